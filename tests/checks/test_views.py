"""The pre-start checks through the pages, for each party to a placement and for strangers."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from apregister.models import CheckItem, LaSettings, PlacementCheck, Role
from tests.conftest import (
    SETTINGS_FORM,
    make_placement,
    make_provider,
    make_pupil,
    make_school,
    make_user,
    sign_in,
    submit,
)

TODAY = date.today()


def _rows(db) -> int:
    return db.session.scalar(select(func.count()).select_from(PlacementCheck))


def _scene(start=None):
    school = make_school()
    provider = make_provider()
    placement = make_placement(
        make_pupil(school), provider, start_date=start or TODAY + timedelta(days=7)
    )
    return school, provider, placement


def _client(app, role, organisation=None):
    client = app.test_client()
    sign_in(client, make_user(role, organisation))
    return client


def _page(client, placement) -> str:
    response = client.get(f"/placements/{placement.id}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_school_records_a_risk_assessment(app, db):
    school, _, placement = _scene()
    client = _client(app, Role.SCHOOL, school)
    assert "Not ready: 0 of 6 checks done" in _page(client, placement)
    response = submit(
        client,
        f"/placements/{placement.id}/checks/risk_assessment",
        {"details": "Low risk; plan kept on the school's system"},
    )
    assert response.status_code == 302
    check = db.session.scalars(select(PlacementCheck)).one()
    assert check.item is CheckItem.RISK_ASSESSMENT and check.complete
    assert check.recorded_on == TODAY
    page = _page(client, placement)
    assert "govuk-task-list" in page
    assert "Not ready: 1 of 6 checks done" in page


def test_missing_details_is_a_field_error_and_nothing_is_written(app, db):
    school, _, placement = _scene()
    client = _client(app, Role.SCHOOL, school)
    response = submit(
        client,
        f"/placements/{placement.id}/checks/parent_agreement",
        {"given_by": "Ann Lee, mother", "given_how": "", "details": "  "},
    )
    text = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "govuk-error-summary" in text
    assert "Enter what they agreed to" in text
    assert "Enter how they agreed" in text
    assert "Enter the date they agreed" in text
    assert _rows(db) == 0


def test_provider_records_its_staff_checks_but_nothing_else(app, db):
    _, provider, placement = _scene()
    client = _client(app, Role.PROVIDER, provider)
    response = submit(
        client,
        f"/placements/{placement.id}/checks/staff_checks",
        {
            "given_by": "Jo Smith, head of centre",
            "given_on": ["1", "3", "2026"],
            "details": "Enhanced DBS with barred list for all staff",
        },
    )
    assert response.status_code == 302
    check = db.session.scalars(select(PlacementCheck)).one()
    assert check.given_on == date(2026, 3, 1)
    for item in ("risk_assessment", "parent_agreement", "pupil_views"):
        assert client.get(f"/placements/{placement.id}/checks/{item}").status_code == 403
    response = client.post(f"/placements/{placement.id}/checks/pupil_views", data={"details": "x"})
    assert response.status_code in (400, 403)
    assert _rows(db) == 1


def test_provider_sees_the_task_list_but_not_the_pupils_words(app, db):
    school, provider, placement = _scene()
    school_client = _client(app, Role.SCHOOL, school)
    submit(
        school_client,
        f"/placements/{placement.id}/checks/pupil_views",
        {"details": "I want to try the motor vehicle course"},
    )
    page = _page(_client(app, Role.PROVIDER, provider), placement)
    assert "The pupil&#39;s views" in page or "The pupil's views" in page
    assert "Not ready: 1 of 6 checks done" in page
    assert "motor vehicle" not in page
    assert f"/placements/{placement.id}/checks/pupil_views" not in page


def test_both_sides_confirm_the_agreement(app, db):
    school, provider, placement = _scene()
    school_client = _client(app, Role.SCHOOL, school)
    provider_client = _client(app, Role.PROVIDER, provider)
    agreement = f"/placements/{placement.id}/agreement"

    # the provider waits for the commissioner
    assert "Confirm the agreement" not in provider_client.get(agreement).get_data(as_text=True)

    response = submit(
        school_client,
        f"/placements/{placement.id}/agreement/contacts",
        {
            "dsl_name": "Dee Lead",
            "dsl_phone": "01632 960 001",
            "dsl_email": "dsl@school.test",
            "provider_contact_name": "Pat Provider",
        },
    )
    assert response.status_code == 302
    # the provider's contact has no telephone or email yet: not confirmed, nothing written
    response = submit(
        school_client, f"{agreement}/confirm", {"details": "Who does what"}, form_path=agreement
    )
    assert response.status_code == 302
    assert _rows(db) == 0
    assert "Add a name and a telephone or email for the home school" in school_client.get(
        agreement
    ).get_data(as_text=True)
    submit(
        school_client,
        f"/placements/{placement.id}/agreement/contacts",
        {
            "dsl_name": "Dee Lead",
            "dsl_phone": "01632 960 001",
            "dsl_email": "dsl@school.test",
            "lead_name": "Lee Placement",
            "lead_email": "lead@school.test",
            "provider_contact_name": "Pat Provider",
            "provider_contact_phone": "01632 960 002",
        },
    )
    response = submit(
        school_client,
        f"{agreement}/confirm",
        {"details": "School follows up absence; provider takes the register"},
        form_path=agreement,
    )
    assert response.status_code == 302
    check = db.session.scalars(select(PlacementCheck)).one()
    assert check.commissioner_confirmed_on == TODAY and not check.complete

    response = submit(provider_client, f"{agreement}/confirm", {}, form_path=agreement)
    assert response.status_code == 302
    db.session.refresh(check)
    assert check.complete and check.provider_confirmed_on == TODAY

    text = school_client.get(f"{agreement}.txt")
    assert text.status_code == 200
    assert "attachment" in text.headers["Content-Disposition"]
    body = text.get_data(as_text=True)
    assert "Dee Lead, 01632 960001, dsl@school.test" in body
    assert "School follows up absence" in body
    assert provider_client.get(f"{agreement}/print").status_code == 200

    # changing a contact means both sides confirm again
    submit(
        school_client,
        f"/placements/{placement.id}/agreement/contacts",
        {"dsl_name": "Someone Else"},
    )
    db.session.refresh(check)
    assert not check.complete and check.provider_confirmed_on is None


def test_confirming_without_who_does_what_is_a_field_error(app, db):
    school, _, placement = _scene()
    client = _client(app, Role.SCHOOL, school)
    agreement = f"/placements/{placement.id}/agreement"
    response = submit(client, f"{agreement}/confirm", {"details": ""}, form_path=agreement)
    assert response.status_code == 400
    assert "Enter who does what" in response.get_data(as_text=True)
    assert _rows(db) == 0


@pytest.mark.parametrize("role", [Role.LA_LEAD, Role.LA_OFFICER])
def test_la_sees_and_records_every_item(app, db, role):
    _, _, placement = _scene(start=TODAY - timedelta(days=2))
    client = _client(app, role)
    page = _page(client, placement)
    assert "Started without its checks" in page
    for item in CheckItem:
        assert item.label.replace("'", "&#39;") in page or item.label in page
    response = submit(
        client,
        f"/placements/{placement.id}/checks/transport_lunch",
        {"details": "Taxi arranged by the LA; packed lunch"},
    )
    assert response.status_code == 302
    assert _rows(db) == 1


@pytest.mark.parametrize("role", [Role.SCHOOL, Role.PROVIDER])
def test_another_school_or_provider_gets_404_and_nothing_is_written(app, db, role):
    _, _, placement = _scene()
    client = _client(app, role)  # its own, unrelated organisation
    base = f"/placements/{placement.id}"
    for path in (
        f"{base}/checks/staff_checks",
        f"{base}/agreement",
        f"{base}/agreement.txt",
        f"{base}/agreement.html",
        f"{base}/agreement/print",
    ):
        assert client.get(path).status_code == 404, path
    response = client.post(f"{base}/checks/staff_checks", data={"details": "x"})
    assert response.status_code in (400, 404)
    response = client.post(f"{base}/agreement/confirm", data={"details": "x"})
    assert response.status_code in (400, 404)
    assert _rows(db) == 0


def test_settings_choose_which_checks_are_required(app, db):
    school, _, placement = _scene(start=TODAY - timedelta(days=1))
    lead = _client(app, Role.LA_LEAD)
    form = lead.get("/settings").get_data(as_text=True)
    assert 'name="required_checks"' in form
    form = SETTINGS_FORM | {
        "required_checks_shown": "1",
        "required_checks": ["risk_assessment", "transport_lunch"],
    }
    assert submit(lead, "/settings", form).status_code == 302
    saved = db.session.scalars(select(LaSettings)).one()
    assert saved.required_checks == "risk_assessment,transport_lunch"

    school_client = _client(app, Role.SCHOOL, school)
    page = _page(school_client, placement)
    assert "Started without its checks: 0 of 2 done" in page
    assert "Not required" in page
    for item, details in (("risk_assessment", "Low"), ("transport_lunch", "Bus pass")):
        submit(school_client, f"/placements/{placement.id}/checks/{item}", {"details": details})
    page = _page(school_client, placement)
    assert "Ready to start" in page
    assert "Started without its checks" not in page

    # a post without the checkboxes at all (an older script) keeps the choice
    form.pop("required_checks_shown")
    form.pop("required_checks")
    assert submit(lead, "/settings", form).status_code == 302
    db.session.refresh(saved)
    assert saved.required_checks == "risk_assessment,transport_lunch"

    # none ticked, from the page: nothing is required
    assert submit(lead, "/settings", form | {"required_checks_shown": "1"}).status_code == 302
    db.session.refresh(saved)
    assert saved.required_checks == ""


def test_a_made_up_item_is_not_found(app, db):
    school, _, placement = _scene()
    client = _client(app, Role.SCHOOL, school)
    assert client.get(f"/placements/{placement.id}/checks/nonsense").status_code == 404
