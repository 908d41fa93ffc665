"""Changing a placement after it is recorded (issue 13, item 3): who may, every rule adding a
placement runs checked again, nothing written on bad input or when nothing changed, the audit
log's before and after, and the message to the other side (and not to the wrong one)."""

from __future__ import annotations

import html
from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from apregister.checks import operations as check_operations
from apregister.checks.operations import CONTACT_FIELDS
from apregister.models import (
    AuditAction,
    AuditEvent,
    CheckItem,
    ExtensionRequest,
    ExtensionStatus,
    OutboxMessage,
    Placement,
    PlacementCheck,
    RegistrationType,
    Role,
)
from apregister.placements import change_rules
from apregister.placements.rules import slots_from
from tests.conftest import (
    make_placement,
    make_provider,
    make_pupil,
    make_school,
    make_user,
    submit,
)

TODAY = date.today()
NEXT_MONDAY = TODAY + timedelta(days=7 - TODAY.weekday())
STARTED = TODAY - timedelta(weeks=2)
CONTACTS = {
    "dsl_name": "Dee Lead",
    "dsl_phone": "01632 960001",
    "lead_name": "Lee Placement",
    "lead_email": "lead@school.test",
    "provider_contact_name": "Pat Provider",
    "provider_contact_phone": "01632 960002",
}


def _parts(day: date) -> list[str]:
    return [str(day.day), str(day.month), str(day.year)]


def _text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def _path(placement) -> str:
    return f"/placements/{placement.id}/change"


def _scene(*, start=NEXT_MONDAY, provider=None, **overrides):
    """A school's placement, part time, with the school's and the provider's staff."""
    school = make_school()
    provider = provider or make_provider()
    teacher = make_user(Role.SCHOOL, school, email="teacher@school.test")
    staff = make_user(Role.PROVIDER, provider, email="staff@provider.test")
    values = {
        "start_date": start,
        "session_mask": 0b111,  # Monday AM and PM, Tuesday AM
        "hours_per_week": Decimal("7.5"),
        "full_time": False,
        "cost_per_week": Decimal("300"),
    } | overrides
    placement = make_placement(make_pupil(school), provider, **values)
    return school, placement, teacher, staff


def _form(placement, **overrides) -> dict:
    """The change form as it is shown: every answer as it stands."""
    values = {
        "start_date": _parts(placement.start_date),
        "planned_end": _parts(placement.planned_end),
        "sessions": slots_from(placement.session_mask),
        "hours_per_week": str(placement.hours_per_week),
        "full_time": "full" if placement.full_time else "part",
        "cost_per_week": "" if placement.cost_per_week is None else str(placement.cost_per_week),
        "objectives": placement.objectives,
        "reintegration_plan": placement.reintegration_plan,
    }
    for name in CONTACT_FIELDS:
        values[name] = getattr(placement, name) or ""
    return values | overrides


def _state(db, placement) -> tuple:
    """What a refused change must leave as it was: the placement, its audit trail, the outbox."""
    db.session.expire_all()
    row = db.session.get(Placement, placement.id)
    return (
        {name: getattr(row, name) for name in change_rules.FIELDS},
        row.warnings,
        db.session.scalar(
            select(func.count())
            .select_from(AuditEvent)
            .where(AuditEvent.table_name == "placements", AuditEvent.record_id == str(placement.id))
        ),
        db.session.scalar(select(func.count()).select_from(OutboxMessage)),
        db.session.scalar(select(func.count()).select_from(ExtensionRequest)),
    )


def _messages(db, kind="placement_changed") -> list[OutboxMessage]:
    db.session.expire_all()
    return list(
        db.session.scalars(
            select(OutboxMessage).where(OutboxMessage.kind == kind).order_by(OutboxMessage.id)
        )
    )


# ---- the page ----------------------------------------------------------------------------


def test_the_form_starts_with_the_placement_as_it_stands(client, db, login_as):
    school, placement, teacher, _ = _scene(dsl_name="Dee Lead")
    login_as(Role.SCHOOL, school)
    page = _text(client.get(_path(placement)))
    assert "Change the placement" in page
    assert 'value="7.5"' in page and 'value="300.00"' in page
    assert 'value="Dee Lead"' in page
    assert 'name="start_date"' in page
    assert "Attend every session" in page


def test_the_placement_page_offers_change_links_to_its_commissioner_only(client, db, login_as):
    school, placement, _, staff = _scene()
    login_as(Role.SCHOOL, school)
    page = _text(client.get(f"/placements/{placement.id}"))
    assert f'href="{_path(placement)}#start_date"' in page
    assert f'href="{_path(placement)}#sessions"' in page


def test_the_provider_sees_no_change_link(client, db, login_as):
    school, placement, _, staff = _scene()
    login_as(Role.PROVIDER, placement.provider)
    page = _text(client.get(f"/placements/{placement.id}"))
    assert _path(placement) not in page


def test_once_started_the_dates_are_shown_not_asked(client, db, login_as):
    school, placement, _, _ = _scene(start=STARTED)
    login_as(Role.SCHOOL, school)
    page = _text(client.get(_path(placement)))
    assert 'name="start_date"' not in page
    assert "The placement has started, so its dates cannot be changed here" in page
    assert f"/placements/{placement.id}/extension" in page
    shown = _text(client.get(f"/placements/{placement.id}"))
    assert f'href="{_path(placement)}#start_date"' not in shown
    assert f'href="{_path(placement)}#sessions"' in shown


# ---- who may change it ---------------------------------------------------------------------


def test_the_provider_cannot_change_a_placement(client, db, login_as):
    school, placement, _, _ = _scene()
    login_as(Role.PROVIDER, placement.provider)
    before = _state(db, placement)
    assert client.get(_path(placement)).status_code == 403
    response = submit(
        client, _path(placement), _form(placement, hours_per_week="20"), form_path="/account"
    )
    assert response.status_code == 403
    assert _state(db, placement)[0] == before[0]


def test_another_schools_placement_answers_404(client, db, login_as):
    school, placement, _, _ = _scene()
    login_as(Role.SCHOOL, make_school(name="Another School"))
    before = _state(db, placement)
    assert client.get(_path(placement)).status_code == 404
    response = submit(
        client, _path(placement), _form(placement, hours_per_week="20"), form_path="/account"
    )
    assert response.status_code == 404
    assert _state(db, placement)[0] == before[0]


@pytest.mark.parametrize("closed", ["ended", "cancelled"])
def test_an_ended_or_cancelled_placement_cannot_be_changed(client, db, login_as, closed):
    extra = (
        {"actual_end": TODAY - timedelta(days=1)}
        if closed == "ended"
        else {"cancelled_on": TODAY, "cancel_reason": "Family moved"}
    )
    school, placement, _, _ = _scene(start=STARTED, **extra)
    login_as(Role.SCHOOL, school)
    before = _state(db, placement)
    response = client.get(_path(placement))
    assert response.status_code == 302
    page = _text(client.get(response.headers["Location"]))
    assert "so it cannot be changed" in page
    response = submit(
        client, _path(placement), _form(placement, hours_per_week="20"), form_path="/account"
    )
    assert response.status_code == 302
    assert _state(db, placement) == before


# ---- a change made ----------------------------------------------------------------------------


def test_the_school_changes_the_plan_and_the_provider_is_told(client, db, login_as):
    school, placement, teacher, staff = _scene()
    make_user(Role.PROVIDER, make_provider(name="Elsewhere"), email="other@elsewhere.test")
    make_user(Role.SCHOOL, school, email="colleague@school.test")
    user = login_as(Role.SCHOOL, school)
    new_start = NEXT_MONDAY + timedelta(weeks=1)
    response = submit(
        client,
        _path(placement),
        _form(
            placement,
            start_date=_parts(new_start),
            planned_end="",
            sessions=["wed_am", "wed_pm"],
            hours_per_week="6",
            cost_per_week="250",
            objectives="Attend every session\nJoin the cooking course",
            reintegration_plan="Back to school from week 10",
            **CONTACTS,
        ),
    )
    assert response.status_code == 302, _text(response)[:2000]
    assert response.headers["Location"] == f"/placements/{placement.id}"
    assert "Placement changed" in _text(client.get(response.headers["Location"]))
    db.session.expire_all()
    changed = db.session.get(Placement, placement.id)
    assert changed.start_date == new_start
    assert changed.planned_end == new_start + timedelta(weeks=12)  # blank: the standard length
    assert changed.session_mask == 0b110000
    assert changed.hours_per_week == Decimal("6")
    assert changed.cost_per_week == Decimal("250")
    assert changed.dsl_name == "Dee Lead"

    # the audit log has each changed field with its old and new value
    [event] = db.session.scalars(
        select(AuditEvent).where(
            AuditEvent.table_name == "placements",
            AuditEvent.record_id == str(placement.id),
            AuditEvent.action == AuditAction.UPDATE,
        )
    ).all()
    assert (event.user_id, event.organisation_id) == (user.id, school.id)
    assert event.changes["start_date"] == {
        "old": NEXT_MONDAY.isoformat(),
        "new": new_start.isoformat(),
    }
    assert event.changes["session_mask"] == {"old": 0b111, "new": 0b110000}
    assert event.changes["hours_per_week"]["new"] in ("6", "6.0")
    assert event.changes["cost_per_week"]["old"] in ("300", "300.00")
    assert event.changes["dsl_name"] == {"old": None, "new": "Dee Lead"}
    assert "objectives" in event.changes and "reintegration_plan" in event.changes

    # the provider is told, by number, what changed (not the plan it may not read)
    [message] = _messages(db)
    assert message.to_email == "staff@provider.test"
    assert message.subject == f"Placement {placement.id} changed"
    assert placement.pupil.first_name not in message.subject + message.body
    assert placement.pupil.last_name not in message.subject + message.body
    assert "start date" in message.body and "sessions each week" in message.body
    assert "reintegration plan" not in message.body
    assert message.personalisation["placement_number"] == str(placement.id)
    assert message.personalisation["confirm_again"] == "no"


def test_the_la_changes_it_and_both_the_school_and_the_provider_are_told(client, db, login_as):
    school, placement, teacher, staff = _scene(start=STARTED)
    login_as(Role.LA_OFFICER)
    response = submit(client, _path(placement), _form(placement, reintegration_plan="Sooner"))
    assert response.status_code == 302
    messages = _messages(db)
    # the reintegration plan is not the provider's to read: only the school hears of it
    assert [m.to_email for m in messages] == ["teacher@school.test"]
    assert "The LA has changed placement" in messages[0].body

    response = submit(client, _path(placement), _form(placement, hours_per_week="9"))
    assert response.status_code == 302
    told = sorted(m.to_email for m in _messages(db)[1:])
    assert told == ["staff@provider.test", "teacher@school.test"]


def test_a_user_who_switched_the_kind_off_is_not_told(client, db, login_as):
    from apregister.models import MessagePreference

    school, placement, _, staff = _scene()
    db.session.add(MessagePreference(user_id=staff.id, kind="placement_changed"))
    db.session.commit()
    login_as(Role.SCHOOL, school)
    response = submit(client, _path(placement), _form(placement, hours_per_week="9"))
    assert response.status_code == 302
    assert _messages(db) == []


def test_nothing_changed_says_so_and_writes_nothing(client, db, login_as):
    school, placement, _, _ = _scene()
    login_as(Role.SCHOOL, school)
    before = _state(db, placement)
    response = submit(client, _path(placement), _form(placement))
    assert response.status_code == 302
    assert "No changes to save" in _text(client.get(response.headers["Location"]))
    assert _state(db, placement) == before


def test_once_started_posted_dates_are_ignored(client, db, login_as):
    school, placement, _, _ = _scene(start=STARTED)
    login_as(Role.SCHOOL, school)
    before = _state(db, placement)
    response = submit(
        client,
        _path(placement),
        _form(placement, start_date=_parts(TODAY), planned_end=_parts(TODAY + timedelta(weeks=4))),
    )
    assert response.status_code == 302
    assert _state(db, placement) == before


def test_a_changed_agreement_needs_both_sides_again(client, db, login_as):
    school, placement, teacher, staff = _scene(**CONTACTS)
    check_operations.confirm_agreement(
        placement, as_provider=False, by=teacher, today=TODAY, details="Who does what"
    )
    check_operations.confirm_agreement(placement, as_provider=True, by=staff, today=TODAY)
    db.session.commit()
    login_as(Role.SCHOOL, school)
    # the reintegration plan is not in the agreement: it stays confirmed
    submit(client, _path(placement), _form(placement, reintegration_plan="Sooner"))
    agreement = db.session.scalars(
        select(PlacementCheck).where(PlacementCheck.item == CheckItem.AGREEMENT)
    ).one()
    db.session.refresh(agreement)
    assert agreement.complete
    response = submit(client, _path(placement), _form(placement, cost_per_week="320"))
    assert "both sides need to confirm it again" in _text(client.get(response.headers["Location"]))
    db.session.refresh(agreement)
    assert not agreement.complete
    assert agreement.commissioner_confirmed_on is None
    assert agreement.provider_confirmed_on is None
    assert _messages(db)[-1].personalisation["confirm_again"] == "yes"


# ---- every rule checked again ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"sessions": []}, "Select at least one session"),
        ({"sessions": ["sun_am"]}, "Select sessions from the list"),
        ({"hours_per_week": ""}, "Enter the hours each week, like 12.5"),
        ({"hours_per_week": "0"}, "Hours each week must be from 0.5 to 50"),
        ({"hours_per_week": "60"}, "Hours each week must be from 0.5 to 50"),
        ({"full_time": ""}, "Select full time or part time"),
        ({"full_time": "sometimes"}, "Select full time or part time"),
        ({"cost_per_week": "-5"}, "Cost must be an amount in pounds, like 450"),
        ({"objectives": ""}, "Enter the placement's objectives"),
        ({"reintegration_plan": ""}, "Enter the reintegration plan and timeline"),
        ({"dsl_email": "not an email"}, "Enter an email address in the correct format"),
        ({"lead_phone": "call me"}, "Enter a UK telephone number"),
        ({"start_date": ""}, "Enter the start date"),
        ({"start_date": ["31", "2", "2030"]}, "The start date must be a real date"),
        ({"start_date": _parts(TODAY - timedelta(days=1))}, "must be today or in the future"),
        (
            {"planned_end": _parts(NEXT_MONDAY - timedelta(days=1))},
            "The planned end date must be after the start date",
        ),
    ],
)
def test_bad_input_gets_a_field_message_and_writes_nothing(
    client, db, login_as, overrides, message
):
    school, placement, _, _ = _scene()
    login_as(Role.SCHOOL, school)
    before = _state(db, placement)
    form = _form(placement, hours_per_week="9") | overrides  # a real change besides
    response = submit(client, _path(placement), form)
    assert response.status_code == 200
    page = _text(response)
    assert message in page
    assert "govuk-error-summary" in page
    assert _state(db, placement) == before


def test_sessions_that_clash_with_another_placement_are_refused(client, db, login_as):
    school, placement, _, _ = _scene()
    make_placement(
        placement.pupil, make_provider(name="Farm"), start_date=NEXT_MONDAY, session_mask=0b1000
    )  # Tuesday PM
    login_as(Role.SCHOOL, school)
    before = _state(db, placement)
    response = submit(client, _path(placement), _form(placement, sessions=["tue_pm"]))
    assert "is already placed at Farm for some of these sessions" in _text(response)
    assert _state(db, placement) == before


def test_dates_moved_onto_another_placement_at_the_same_provider_are_refused(client, db, login_as):
    school, placement, _, _ = _scene()
    later = NEXT_MONDAY + timedelta(weeks=13)
    make_placement(placement.pupil, placement.provider, start_date=later, session_mask=0b1)
    login_as(Role.SCHOOL, school)
    before = _state(db, placement)
    response = submit(
        client, _path(placement), _form(placement, start_date=_parts(later), planned_end="")
    )
    assert "already has a placement at" in _text(response)
    assert _state(db, placement) == before


def test_full_time_at_an_unregistered_provider_for_long_is_warned_before_it_is_saved(
    client, db, login_as
):
    tutor = make_provider(name="Tutor Ltd", registration_type=RegistrationType.TUITION)
    school, placement, _, _ = _scene(
        start=STARTED,
        provider=tutor,
        planned_end=STARTED + timedelta(weeks=16),
        session_mask=0b1111,
    )
    login_as(Role.SCHOOL, school)
    before = _state(db, placement)
    everyday = ["mon_am", "tue_am", "wed_am", "thu_am", "fri_am"]
    form = _form(placement, sessions=everyday, hours_per_week="20", full_time="full")
    warned = submit(client, _path(placement), form)
    page = _text(warned)
    assert warned.status_code == 200
    assert "This breaks the DfE limits for unregistered provision" in page
    assert "Your changes are not saved yet" in page
    assert _state(db, placement) == before
    seen = _hidden(page, "warnings_seen")
    # going on needs a reason
    refused = submit(client, _path(placement), form | {"warnings_seen": seen})
    assert "Enter why the change should go ahead despite the warnings" in _text(refused)
    assert _state(db, placement) == before
    done = submit(
        client,
        _path(placement),
        form | {"warnings_seen": seen, "warnings_reason": "Agreed with the LA for 4 weeks"},
    )
    assert done.status_code == 302
    db.session.expire_all()
    changed = db.session.get(Placement, placement.id)
    assert changed.full_time
    assert any("DfE limits" in line for line in changed.warning_list)
    assert "Agreed with the LA for 4 weeks" in changed.warnings_reason


def test_a_school_planning_it_longer_asks_the_la_for_the_extra_weeks(client, db, login_as):
    make_user(Role.LA_OFFICER, email="officer@la.test")
    school, placement, _, _ = _scene()
    login_as(Role.SCHOOL, school)
    longer = NEXT_MONDAY + timedelta(weeks=16)
    form = _form(placement, planned_end=_parts(longer))
    page = _text(submit(client, _path(placement), form))
    assert "past the 12-week limit" in page
    seen = _hidden(page, "warnings_seen")
    done = submit(
        client,
        _path(placement),
        form | {"warnings_seen": seen, "warnings_reason": "Exams in the summer"},
    )
    assert done.status_code == 302
    db.session.expire_all()
    changed = db.session.get(Placement, placement.id)
    assert changed.planned_end == NEXT_MONDAY + timedelta(weeks=12)  # as agreed, till the LA
    [request] = db.session.scalars(select(ExtensionRequest)).all()
    assert request.status is ExtensionStatus.PENDING
    assert request.new_end == longer
    assert request.reason == "Exams in the summer"
    assert [m.to_email for m in _messages(db, "extension_requested")] == ["officer@la.test"]


def test_the_la_planning_it_longer_agrees_it_at_once(client, db, login_as):
    school, placement, _, _ = _scene()
    login_as(Role.LA_LEAD)
    longer = NEXT_MONDAY + timedelta(weeks=16)
    form = _form(placement, planned_end=_parts(longer))
    seen = _hidden(_text(submit(client, _path(placement), form)), "warnings_seen")
    done = submit(
        client, _path(placement), form | {"warnings_seen": seen, "warnings_reason": "Exams"}
    )
    assert done.status_code == 302
    db.session.expire_all()
    assert db.session.get(Placement, placement.id).planned_end == longer
    [request] = db.session.scalars(select(ExtensionRequest)).all()
    assert request.status is ExtensionStatus.APPROVED


def _hidden(page: str, name: str) -> str:
    import re

    match = re.search(rf'<input[^>]*name="{name}"[^>]*>', page)
    assert match, f"no {name} on the page"
    value = re.search(r'value="([^"]*)"', match.group(0))
    return value.group(1) if value else ""


# ---- the pure rules --------------------------------------------------------------------------


def test_dates_change_only_before_the_start():
    assert change_rules.dates_editable(TODAY + timedelta(days=1), TODAY)
    assert not change_rules.dates_editable(TODAY, TODAY)
    assert change_rules.start_refusal(TODAY - timedelta(days=1), TODAY)
    assert change_rules.start_refusal(TODAY, TODAY) is None


def test_the_longest_end_keeps_what_is_already_agreed():
    start = date(2026, 1, 5)
    assert change_rules.longest_end(start, start, start + timedelta(weeks=8), 12) == (
        start + timedelta(weeks=12)
    )
    moved = start + timedelta(weeks=1)
    assert change_rules.longest_end(moved, start, start + timedelta(weeks=16), 12) == (
        moved + timedelta(weeks=16)
    )


def test_differences_and_what_each_side_is_told():
    before = {"objectives": "A", "dsl_name": None, "lead_name": None, "full_time": False}
    after = {"objectives": " A ", "dsl_name": "Dee", "lead_name": "Lee", "full_time": True}
    changed = change_rules.differences(before, after)
    assert changed == ["full_time", "dsl_name", "lead_name"]
    assert change_rules.described(changed) == ["full time or part time", "named contacts"]
    assert change_rules.described(changed, for_provider=True) == ["named contacts"]
    assert change_rules.touches_agreement(changed)
    assert not change_rules.touches_agreement(["full_time", "reintegration_plan"])


def test_only_new_warnings_need_a_reason():
    assert change_rules.new_warnings(["a", "b", "c"], before=["a"], kept=["b"]) == ["c"]
