"""Messages when something changes: to the right people, in the same transaction, with no
pupil's name; users switch off the kinds that are not about a child's safety."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from apregister.messages.kinds import switchable
from apregister.models import ExtensionRequest, MessagePreference, OutboxMessage, Role
from tests.conftest import (
    make_placement,
    make_pupil,
    make_school,
    make_user,
    sign_in,
    submit,
)


def _to(db, email: str) -> list[OutboxMessage]:
    return db.session.scalars(select(OutboxMessage).where(OutboxMessage.to_email == email)).all()


def test_an_extension_request_and_its_decision_reach_the_la_and_the_school(app, client, db):
    school = make_school()
    teacher = make_user(Role.SCHOOL, school)
    officer = make_user(Role.LA_OFFICER)
    placement = make_placement(
        make_pupil(school, first_name="Hidden"), start_date=date.today() - timedelta(weeks=4)
    )
    sign_in(client, teacher)
    new_end = placement.planned_end + timedelta(weeks=4)
    submit(
        client,
        f"/placements/{placement.id}/extension",
        {
            "new_end": [str(new_end.day), str(new_end.month), str(new_end.year)],
            "reason": "Exams",
        },
    )
    (asked,) = _to(db, officer.email)
    assert f"placement {placement.id}" in asked.subject and "Hidden" not in asked.body
    request = db.session.scalars(select(ExtensionRequest)).one()
    la = app.test_client()
    sign_in(la, officer)
    submit(
        la,
        f"/placements/{placement.id}/extensions/{request.id}/decision",
        {"decision": "approve", "reason": "Agreed at panel"},
    )
    (told,) = _to(db, teacher.email)
    assert "approved" in told.subject and "Agreed at panel" in told.body
    assert "Hidden" not in told.subject + told.body


def test_a_user_who_switched_a_kind_off_does_not_get_it(app, client, db):
    school = make_school()
    teacher = make_user(Role.SCHOOL, school)
    db.session.add(MessagePreference(user_id=teacher.id, kind="extension_decided"))
    db.session.commit()
    placement = make_placement(make_pupil(school))
    request = ExtensionRequest(
        placement_id=placement.id,
        requested_on=date.today(),
        new_end=placement.planned_end + timedelta(weeks=2),
        reason="Exams",
    )
    db.session.add(request)
    db.session.commit()
    la = app.test_client()
    sign_in(la, make_user(Role.LA_LEAD))
    submit(
        la,
        f"/placements/{placement.id}/extensions/{request.id}/decision",
        {"decision": "decline", "reason": "No"},
    )
    assert _to(db, teacher.email) == []


def test_users_choose_their_emails_but_not_the_safeguarding_ones(client, db, login_as):
    user = login_as(Role.SCHOOL)
    page = client.get("/account/messages").get_data(as_text=True)
    assert "An absence to follow up the same day" in page  # always sent, not offered
    assert 'value="unexplained_absence"' not in page
    assert 'value="extension_decided"' in page
    offered = {kind.key for kind in switchable(Role.SCHOOL)}
    assert {"extension_decided", "review_due", "agreement_confirmed"} <= offered
    submit(client, "/account/messages", {"kinds": [*offered, "unexplained_absence"]})
    kinds = set(
        db.session.scalars(
            select(MessagePreference.kind).where(MessagePreference.user_id == user.id)
        )
    )
    assert kinds == set()  # both kept on; the safeguarding one is not the user's to choose
    submit(client, "/account/messages", {"kinds": sorted(offered - {"extension_decided"})})
    kinds = set(
        db.session.scalars(
            select(MessagePreference.kind).where(MessagePreference.user_id == user.id)
        )
    )
    assert kinds == {"extension_decided"}


@pytest.mark.parametrize("role", [Role.BOARD])
def test_the_board_has_no_email_choices(client, db, login_as, role):
    login_as(role)
    assert client.get("/account/messages").status_code == 403


def test_an_application_is_put_to_the_la_and_its_decision_to_the_applicant(client, db):
    from datetime import date as day

    from apregister.models import FrameworkDecision, Provider, RegistrationType
    from apregister.providers import operations

    lead = make_user(Role.LA_LEAD)
    details = operations.ProviderDetails(
        name="Applying Tutors",
        registration_type=RegistrationType.TUITION,
        contact_email="office@applying.example",
    )
    provider = operations.apply_to_join(details, today=day.today())
    db.session.commit()
    assert [m.subject for m in _to(db, lead.email)] == [
        "Framework application received: Applying Tutors"
    ]
    provider = db.session.get(Provider, provider.id)
    operations.decide(
        provider,
        FrameworkDecision.REJECT,
        reason="No safeguarding lead",
        role=Role.LA_LEAD,
        today=day.today(),
        by=lead,
    )
    db.session.commit()
    (told,) = _to(db, "office@applying.example")
    assert "not approved" in told.subject and "No safeguarding lead" in told.body


def test_a_provider_is_reminded_of_a_document_about_to_expire_once(app, db):
    from apregister.models import ComplianceDocument, DocumentKind
    from apregister.qa.reminders import send_reminders
    from tests.conftest import make_provider

    provider = make_provider(name="Renewing Tutors", contact_email="office@renewing.example")
    db.session.add(
        ComplianceDocument(
            provider_id=provider.id,
            kind=DocumentKind.INSURANCE,
            title="Insurance",
            expires_on=date.today() + timedelta(days=10),
            file_name="insurance.pdf",
            content_type="application/pdf",
            size=1,
            sha256="0" * 64,
            content=b"%",
        )
    )
    db.session.commit()
    with app.test_request_context():
        assert send_reminders(date.today())["documents"] == 1
        assert send_reminders(date.today())["documents"] == 0  # not twice
        db.session.commit()
    (message,) = _to(db, "office@renewing.example")
    assert message.subject == "Document expiring: Public liability insurance"
