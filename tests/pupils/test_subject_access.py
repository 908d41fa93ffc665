"""The subject access export (issue 12): everything held about one pupil, with the audit trail
of each record, for the la_lead only; the download is itself audited."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from apregister.models import (
    AbsenceCase,
    AbsenceTrigger,
    AuditAction,
    AuditEvent,
    Review,
    ReviewDecision,
    Role,
    Session,
)
from tests.conftest import make_placement, make_pupil, make_school, make_user, sign_in, submit


def _scene(db):
    school = make_school()
    pupil = make_pupil(school, first_name="Sasha", last_name="Export")
    other = make_pupil(school, first_name="Nobody", last_name="Else")
    placement = make_placement(pupil)
    make_placement(other)
    db.session.add(
        Review(
            placement_id=placement.id,
            review_date=date.today() - timedelta(days=3),
            decision=ReviewDecision.CONTINUE,
            progress=[{"objective": "Attend every session", "progress": "Good"}],
            notes="Settling in well",
        )
    )
    db.session.add(
        AbsenceCase(
            placement_id=placement.id,
            date=date.today() - timedelta(days=1),
            session=Session.AM,
            trigger=AbsenceTrigger.UNEXPLAINED,
        )
    )
    db.session.commit()
    return school, pupil, placement


def test_the_lead_downloads_everything_about_one_pupil_and_it_is_audited(app, client, db):
    _, pupil, placement = _scene(db)
    lead = make_user(Role.LA_LEAD)
    sign_in(client, lead)
    page = client.get(f"/pupils/{pupil.id}/subject-access")
    assert page.status_code == 200
    assert "Download the file" in page.get_data(as_text=True)
    response = submit(client, f"/pupils/{pupil.id}/subject-access", {})
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    disposition = response.headers["Content-Disposition"]
    assert f"subject-access-pupil-{pupil.id}.json" in disposition and "Sasha" not in disposition
    export = json.loads(response.get_data(as_text=True))
    assert export["pupil"]["first_name"] == "Sasha" and export["pupil"]["upn"] == pupil.upn
    [held] = export["placements"]
    assert held["id"] == placement.id
    assert held["reviews"][0]["notes"] == "Settling in well"
    assert held["absence_cases"][0]["session"] == "AM"
    assert "Nobody" not in json.dumps(export)  # nobody else's data
    tables = {event["table_name"] for event in export["audit_trail"]}
    assert {"pupils", "placements", "reviews", "absence_cases"} <= tables
    downloads = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == AuditAction.SUBJECT_ACCESS)
    ).all()
    assert [(d.user_id, d.record_id) for d in downloads] == [(lead.id, str(pupil.id))]


@pytest.mark.parametrize("role", [Role.LA_OFFICER, Role.SCHOOL, Role.PROVIDER, Role.BOARD])
def test_only_the_la_lead_may_export(app, client, db, role):
    school, pupil, _ = _scene(db)
    user = make_user(role, school if role is Role.SCHOOL else None)
    sign_in(client, user)
    assert client.get(f"/pupils/{pupil.id}/subject-access").status_code == 403
    response = (
        submit(client, f"/pupils/{pupil.id}/subject-access", {}, form_path="/account/messages")
        if role is not Role.BOARD
        else client.post(f"/pupils/{pupil.id}/subject-access")
    )
    assert response.status_code in (400, 403)
    assert (
        db.session.scalar(
            select(func.count(AuditEvent.id)).where(AuditEvent.action == AuditAction.SUBJECT_ACCESS)
        )
        == 0
    )


def test_an_unknown_pupil_answers_404_and_a_post_without_its_token_writes_nothing(app, client, db):
    _, pupil, _ = _scene(db)
    sign_in(client, make_user(Role.LA_LEAD))
    assert client.get("/pupils/999999/subject-access").status_code == 404
    assert client.post(f"/pupils/{pupil.id}/subject-access").status_code == 400
    assert (
        db.session.scalar(
            select(func.count(AuditEvent.id)).where(AuditEvent.action == AuditAction.SUBJECT_ACCESS)
        )
        == 0
    )
