"""Placements at settings off the framework are recorded, not refused, and put in front of the
LA: adding a setting, the check page's questions, the LA's review, suspended providers."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from apregister.models import (
    FrameworkStatus,
    FrameworkStatusChange,
    OutboxMessage,
    Placement,
    Provider,
    RegistrationType,
    Role,
)
from tests.conftest import (
    SETTINGS_FORM,
    make_placement,
    make_provider,
    make_pupil,
    make_school,
    make_user,
    submit,
)
from tests.placements.test_views import MONDAY, _form


def _count(db, model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


SETTING = {
    "name": "Canal Street Boxing",
    "registration_type": RegistrationType.OTHER_UNREGISTERED.value,
    "address_line_1": "Unit 4, Canal Yard",
    "town": "Demoton",
    "postcode": "de2 4bx",
    "contact_name": "Head coach",
    "contact_phone": "01632 960077",
}


@pytest.mark.parametrize("role", [Role.SCHOOL, Role.LA_OFFICER])
def test_a_setting_not_on_the_register_is_added_as_not_on_the_framework(
    client, db, login_as, role
):
    user = login_as(role)
    response = submit(client, "/placements/new/setting?pupil_id=7", SETTING)
    provider = db.session.scalars(select(Provider)).one()
    assert provider.framework_status is FrameworkStatus.NOT_ON_FRAMEWORK
    assert provider.postcode == "DE2 4BX"
    assert response.headers["Location"] == f"/placements/new?provider_id={provider.id}&pupil_id=7"
    change = db.session.scalars(select(FrameworkStatusChange)).one()
    assert change.changed_by_id == user.id and user.organisation.name in change.reason


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("name", "", "Enter the provider&#39;s name"),
        ("registration_type", "", "Select the type of setting"),
        ("postcode", "", "Enter the setting&#39;s postcode"),
        ("postcode", "XX1", "Enter a real postcode"),
        ("contact_name", "", "Enter the name of a contact at the setting"),
        ("contact_phone", "", "Enter a telephone number or an email address for the contact"),
        ("urn", "12", "URN must be 6 digits"),
        ("name", "Evil\x0bName", None),
    ],
)
def test_bad_setting_input_gets_a_field_error_and_writes_nothing(
    client, db, login_as, field, value, message
):
    login_as(Role.SCHOOL)
    response = submit(client, "/placements/new/setting", SETTING | {field: value})
    if message is None:  # control characters are another issue's; never a 500
        assert response.status_code in (200, 302)
        return
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    assert _count(db, Provider) == 0


def test_a_setting_already_on_the_register_is_chosen_not_added_twice(client, db, login_as):
    make_provider(name="Canal Street Boxing", framework_status=FrameworkStatus.APPROVED)
    login_as(Role.SCHOOL)
    response = submit(client, "/placements/new/setting", SETTING | {"name": "canal street  BOXING"})
    assert "already on the register" in response.get_data(as_text=True)
    assert _count(db, Provider) == 1


@pytest.mark.parametrize("role", [Role.PROVIDER, Role.BOARD])
def test_only_commissioners_add_settings(client, db, login_as, role):
    login_as(role)
    assert client.get("/placements/new/setting").status_code == 403


def test_a_school_places_a_pupil_off_the_framework_with_its_reason(client, db, login_as):
    school = make_school()
    login_as(Role.SCHOOL, school)
    lead = make_user(Role.LA_LEAD)
    pupil = make_pupil(school, first_name="Secret")
    setting = make_provider(framework_status=FrameworkStatus.NOT_ON_FRAMEWORK)
    form = _form(pupil, setting, confirmed="")
    check = submit(client, "/placements/new", form).get_data(as_text=True)
    assert "This provider is not approved on the framework" in check
    assert "Why are you placing the pupil with a provider that is not approved?" in check
    refused = submit(client, "/placements/new", form | {"confirmed": "yes"})
    assert "Enter why you are placing the pupil at" in refused.get_data(as_text=True)
    assert _count(db, Placement) == 0
    added = submit(
        client, "/placements/new", form | {"confirmed": "yes", "off_framework_reason": "Nearest"}
    )
    assert added.status_code == 302
    placement = db.session.scalars(select(Placement)).one()
    assert placement.off_framework
    assert placement.off_framework_status is FrameworkStatus.NOT_ON_FRAMEWORK
    assert placement.off_framework_reason == "Nearest"
    message = db.session.scalars(select(OutboxMessage)).one()
    assert message.to_email == lead.email
    assert "Secret" not in message.subject and "Secret" not in message.body
    assert f"/placements/{placement.id}" in message.body
    page = client.get(f"/placements/{placement.id}").get_data(as_text=True)
    assert "Off framework: LA to review" in page and "Nearest" in page
    assert "Review this placement" not in page  # the LA's to do


@pytest.mark.parametrize("status", [FrameworkStatus.SUSPENDED, FrameworkStatus.REMOVED])
def test_at_a_suspended_or_removed_provider_the_school_sees_why_and_confirms(
    client, db, login_as, status
):
    school = make_school()
    login_as(Role.SCHOOL, school)
    pupil = make_pupil(school)
    provider = make_provider(framework_status=status)
    db.session.add(
        FrameworkStatusChange(
            provider_id=provider.id,
            from_status=FrameworkStatus.APPROVED,
            to_status=status,
            reason="Insurance lapsed in October",
            changed_on=date.today() - timedelta(days=9),
        )
    )
    db.session.commit()
    form = _form(pupil, provider, confirmed="", off_framework_reason="The only place")
    check = submit(client, "/placements/new", form).get_data(as_text=True)
    assert f"is {status.value}" in check and "Insurance lapsed in October" in check
    refused = submit(client, "/placements/new", form | {"confirmed": "yes"})
    assert "Confirm that you know" in refused.get_data(as_text=True)
    assert _count(db, Placement) == 0
    added = submit(
        client, "/placements/new", form | {"confirmed": "yes", "confirmed_status": "y"}
    )
    assert added.status_code == 302
    assert db.session.scalars(select(Placement)).one().off_framework_status is status


def test_the_la_reviews_an_off_framework_placement_and_it_leaves_the_queue(
    client, db, login_as
):
    placement = make_placement(
        make_pupil(),
        make_provider(framework_status=FrameworkStatus.NOT_ON_FRAMEWORK),
        off_framework=True,
        off_framework_reason="Nearest",
    )
    officer = login_as(Role.LA_OFFICER)
    listed = client.get("/placements?off_framework=to_review").get_data(as_text=True)
    assert "<strong>1</strong> placement " in listed
    path = f"/placements/{placement.id}/off-framework-review"
    empty = submit(client, path, {"note": "  "})
    assert "Enter what you found and what happens next" in empty.get_data(as_text=True)
    db.session.refresh(placement)
    assert placement.off_framework_reviewed_on is None
    done = submit(client, path, {"note": "Visited; checks seen"})
    assert done.status_code == 302
    db.session.refresh(placement)
    assert placement.off_framework_reviewed_on == date.today()
    assert placement.off_framework_reviewed_by_id == officer.id
    listed = client.get("/placements?off_framework=to_review").get_data(as_text=True)
    assert "<strong>0</strong> placements" in listed
    page = client.get(f"/placements/{placement.id}").get_data(as_text=True)
    assert "Visited; checks seen" in page and officer.name in page
    assert client.get(path).status_code == 302  # already reviewed: back to the placement


@pytest.mark.parametrize("role", [Role.SCHOOL, Role.PROVIDER, Role.BOARD])
def test_only_la_staff_review_off_framework_placements(client, db, login_as, role):
    placement = make_placement(off_framework=True, off_framework_reason="Nearest")
    login_as(role)
    path = f"/placements/{placement.id}/off-framework-review"
    assert client.get(path).status_code == 403
    assert client.post(path, data={"note": "x"}).status_code in (400, 403)
    db.session.refresh(placement)
    assert placement.off_framework_reviewed_on is None


def test_another_schools_off_framework_placement_answers_404(client, db, login_as):
    theirs = make_placement(off_framework=True, off_framework_reason="Their reason")
    login_as(Role.SCHOOL, make_school())
    assert client.get(f"/placements/{theirs.id}").status_code == 404
    listed = client.get("/placements?off_framework=yes").get_data(as_text=True)
    assert "<strong>0</strong> placements" in listed


def test_a_provider_does_not_see_the_commissioners_reason_or_the_review(client, db, login_as):
    provider = make_provider(framework_status=FrameworkStatus.NOT_ON_FRAMEWORK)
    placement = make_placement(
        provider=provider, off_framework=True, off_framework_reason="Private reasoning"
    )
    login_as(Role.PROVIDER, provider)
    page = client.get(f"/placements/{placement.id}").get_data(as_text=True)
    assert "Private reasoning" not in page and "Off framework" not in page
    filtered = client.get("/placements?off_framework=no").get_data(as_text=True)
    assert "<strong>1</strong> placement " in filtered  # the filter is not theirs: ignored


def test_suspending_a_provider_flags_its_placements_to_the_school(app, client, db, login_as):
    school = make_school()
    teacher = make_user(Role.SCHOOL, school)
    provider = make_provider()
    placement = make_placement(make_pupil(school, first_name="Hidden"), provider)
    login_as(Role.LA_LEAD)
    response = submit(
        client,
        f"/providers/{provider.id}/framework-status",
        {"decision": "suspend", "reason": "Safeguarding concerns under investigation"},
    )
    assert response.status_code == 302
    message = db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.to_email == teacher.email)
    ).one()
    assert "Safeguarding concerns under investigation" in message.body
    assert "Hidden" not in message.body and "Hidden" not in message.subject
    school_client = app.test_client()
    from tests.conftest import sign_in

    sign_in(school_client, teacher)
    page = school_client.get(f"/placements/{placement.id}").get_data(as_text=True)
    assert "Provider suspended" in page and "Safeguarding concerns under investigation" in page
    home = school_client.get("/").get_data(as_text=True)
    assert "1</strong> placement at a provider since suspended or removed" in home
    # and the school sees the provider's page, though it is no longer in the directory
    assert school_client.get(f"/providers/{provider.id}").status_code == 200


def test_the_la_lead_sets_a_policy_for_each_kind_of_provider(client, db, login_as):
    from apregister.models import LaSettings, OffFrameworkPolicy

    login_as(Role.LA_LEAD)
    page = client.get("/settings").get_data(as_text=True)
    assert "Providers that are not approved" in page
    settings_form = SETTINGS_FORM | {
        "unregistered_max_days": "2",
        "not_on_framework_policy": "allow",
        "suspended_policy": "refuse",
        "removed_policy": "refuse",
    }
    bad = submit(client, "/settings", settings_form | {"suspended_policy": "maybe"})
    assert "Select whether to allow or refuse these placements" in bad.get_data(as_text=True)
    assert _count(db, LaSettings) == 0
    assert submit(client, "/settings", settings_form).status_code == 302
    saved = db.session.scalars(select(LaSettings)).one()
    assert saved.suspended_policy is OffFrameworkPolicy.REFUSE
    assert saved.not_on_framework_policy is OffFrameworkPolicy.ALLOW
    assert MONDAY  # the placement form's dates are shared with test_views
