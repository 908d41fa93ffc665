"""Warn before, not after: the check page of a new placement and the extension decision page
say what the result would break, before the button; the user may go on with a reason, kept."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from apregister.models import (
    ExtensionRequest,
    ExtensionStatus,
    Placement,
    RegistrationType,
    Role,
    SenStatus,
)
from apregister.placements import warnings
from apregister.settings import current_settings
from tests.conftest import make_placement, make_provider, make_pupil, make_school, make_user, submit
from tests.placements.test_views import MONDAY, _form

SIXTEEN_WEEKS = MONDAY + timedelta(weeks=16)
LATER = [str(SIXTEEN_WEEKS.day), str(SIXTEEN_WEEKS.month), str(SIXTEEN_WEEKS.year)]
REGISTERED = RegistrationType.PUPIL_REFERRAL_UNIT


def test_a_placement_planned_past_12_weeks_is_warned_of_and_needs_a_reason(
    client, db, login_as
):
    school = make_school()
    login_as(Role.SCHOOL, school)
    form = _form(
        make_pupil(school), make_provider(registration_type=REGISTERED), planned_end=LATER
    )
    check = submit(client, "/placements/new", form | {"confirmed": ""}).get_data(as_text=True)
    assert "16.0 weeks, past the 12-week limit" in check
    assert "with a request to the LA to extend it" in check
    refused = submit(client, "/placements/new", form)
    assert "Enter why the placement should go ahead despite the warnings" in refused.get_data(
        as_text=True
    )
    assert db.session.scalars(select(Placement)).first() is None
    assert submit(client, "/placements/new", form | {"warnings_reason": "GCSE year"}).status_code
    placement = db.session.scalars(select(Placement)).one()
    assert placement.planned_end == MONDAY + timedelta(weeks=12)
    assert "past the 12-week limit" in placement.warnings
    assert placement.warnings_reason == "GCSE year"
    request = db.session.scalars(select(ExtensionRequest)).one()
    assert request.status is ExtensionStatus.PENDING
    assert (request.new_end, request.reason) == (SIXTEEN_WEEKS, "GCSE year")
    page = client.get(f"/placements/{placement.id}").get_data(as_text=True)
    assert "Warnings when it was recorded or changed" in page and "GCSE year" in page


def test_when_the_la_commissions_a_longer_placement_it_is_agreed_at_once(client, db, login_as):
    officer = login_as(Role.LA_OFFICER)
    form = _form(make_pupil(), make_provider(registration_type=REGISTERED), planned_end=LATER)
    response = submit(client, "/placements/new", form | {"warnings_reason": "Awaiting a place"})
    assert response.status_code == 302
    placement = db.session.scalars(select(Placement)).one()
    assert placement.planned_end == SIXTEEN_WEEKS
    request = db.session.scalars(select(ExtensionRequest)).one()
    assert request.status is ExtensionStatus.APPROVED and request.decided_by_id == officer.id
    assert "past the 12-week limit" in request.decision_warnings


def test_no_warnings_and_no_reason_for_an_ordinary_placement(client, db, login_as):
    school = make_school()
    login_as(Role.SCHOOL, school)
    form = _form(make_pupil(school), make_provider(registration_type=REGISTERED))
    check = submit(client, "/placements/new", form | {"confirmed": ""}).get_data(as_text=True)
    assert "Warnings" not in check and "warnings_reason" not in check
    assert submit(client, "/placements/new", form).status_code == 302
    assert db.session.scalars(select(Placement)).one().warnings is None


def test_breaking_the_unregistered_limits_is_warned_of(client, db, login_as):
    school = make_school()
    login_as(Role.SCHOOL, school)
    form = _form(
        make_pupil(school),
        make_provider(registration_type=RegistrationType.TUITION),
        planned_end=LATER,
        sessions=["mon_am", "tue_am", "wed_am"],
    )
    check = submit(client, "/placements/new", form | {"confirmed": ""}).get_data(as_text=True)
    assert "This breaks the DfE limits for unregistered provision" in check
    assert "3 sessions on 3 days a week" in check


def _full_timers(provider, n, **pupil):
    for _ in range(n):
        make_placement(make_pupil(**pupil), provider, start_date=MONDAY - timedelta(weeks=2))


def test_the_fifth_full_time_pupil_at_an_unregistered_provider_is_warned_of(
    app, client, db, login_as
):
    tutor = make_provider(registration_type=RegistrationType.TUITION)
    _full_timers(tutor, 4)
    school = make_school()
    login_as(Role.SCHOOL, school)
    form = _form(make_pupil(school), tutor, hours_per_week="25", full_time="full")
    form["sessions"] = ["mon_am", "mon_pm", "tue_am", "tue_pm"]
    check = submit(client, "/placements/new", form | {"confirmed": ""}).get_data(as_text=True)
    assert "would meet the threshold at which a setting must register" in check
    assert "5 full-time pupils" not in check  # a school is not told about other pupils
    lead_client = app.test_client()
    from tests.conftest import sign_in

    sign_in(lead_client, make_user(Role.LA_LEAD))
    la_form = form | {"pupil_id": str(make_pupil().id), "confirmed": ""}
    la_check = submit(lead_client, "/placements/new", la_form).get_data(as_text=True)
    assert "5 full-time pupils of compulsory school age" in la_check


def test_the_first_full_time_pupil_with_an_ehc_plan_is_warned_of(db):
    tutor = make_provider(registration_type=RegistrationType.TUITION)
    pupil = make_pupil(sen_status=SenStatus.EHC_PLAN)
    found = warnings.for_new_placement(
        pupil,
        tutor,
        start=MONDAY,
        end=MONDAY + timedelta(weeks=12),
        session_mask=0b1111111111,
        hours_per_week=25,
        full_time=True,
        settings=current_settings(),
        today=date.today(),
        user=make_user(Role.LA_LEAD),
    )
    assert len(found) == 1 and "1 full-time pupil(s) with an EHC plan" in found[0]
    part_time = warnings.for_new_placement(
        pupil,
        tutor,
        start=MONDAY,
        end=MONDAY + timedelta(weeks=12),
        session_mask=0b11,
        hours_per_week=5,
        full_time=False,
        settings=current_settings(),
        today=date.today(),
        user=make_user(Role.LA_LEAD),
    )
    assert part_time == []


def test_the_extension_decision_page_warns_and_the_warnings_are_kept(client, db, login_as):
    tutor = make_provider(registration_type=RegistrationType.TUITION)
    placement = make_placement(provider=tutor, start_date=date.today() - timedelta(weeks=10))
    request = ExtensionRequest(
        placement_id=placement.id,
        requested_on=date.today(),
        new_end=placement.start_date + timedelta(weeks=20),
        reason="Exams",
    )
    db.session.add(request)
    db.session.commit()
    login_as(Role.LA_LEAD)
    path = f"/placements/{placement.id}/extensions/{request.id}/decision"
    page = client.get(path).get_data(as_text=True)
    assert "Warnings if you approve" in page
    assert "20.0 weeks, past the 12-week limit" in page
    assert "This breaks the DfE limits for unregistered provision" in page
    missing = submit(client, path, {"decision": "approve", "reason": ""})
    assert "Enter the reason for the decision" in missing.get_data(as_text=True)
    assert submit(client, path, {"decision": "approve", "reason": "Agreed at panel"})
    db.session.refresh(request)
    assert request.status is ExtensionStatus.APPROVED
    assert "past the 12-week limit" in request.decision_warnings
    assert request.decision_reason == "Agreed at panel"
