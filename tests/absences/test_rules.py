"""Cut-off times, lateness, the repeated-absence pattern and the K/B codes, without the app."""

from datetime import UTC, date, datetime, timedelta

import pytest

from apregister.absences import rules
from apregister.models import AttendanceCode, Session

WEDNESDAY = date(2026, 12, 2)
FRIDAY = date(2026, 12, 4)
MONDAY = date(2026, 12, 7)


@pytest.mark.parametrize(
    ("utc", "sessions"),
    [
        (datetime(2026, 12, 2, 10, 29, tzinfo=UTC), []),
        (datetime(2026, 12, 2, 10, 30, tzinfo=UTC), [Session.AM]),
        (datetime(2026, 12, 2, 14, 30, tzinfo=UTC), [Session.AM, Session.PM]),
        # British Summer Time: 09:30 UTC is 10:30 in the UK
        (datetime(2026, 6, 3, 9, 30, tzinfo=UTC), [Session.AM]),
        (datetime(2026, 12, 5, 15, 0, tzinfo=UTC), []),  # a Saturday
    ],
)
def test_sessions_past_their_cut_off_in_uk_time(utc, sessions):
    assert rules.sessions_past_cutoff(utc, "10:30", "14:30")[1] == sessions


@pytest.mark.parametrize("value", ["25:00", "10.30", "", "9:5", "ten"])
def test_a_cut_off_that_is_not_a_time_is_never_passed(value):
    assert rules.parse_cutoff(value) is None


def test_a_case_is_late_once_the_next_school_day_has_passed():
    assert rules.latest_late_day(WEDNESDAY + timedelta(days=2)) == WEDNESDAY  # Friday
    assert rules.latest_late_day(WEDNESDAY + timedelta(days=1)) < WEDNESDAY  # Thursday
    # Friday's case may wait for Monday; on Tuesday it is late
    assert rules.latest_late_day(MONDAY) < FRIDAY
    assert FRIDAY <= rules.latest_late_day(MONDAY + timedelta(days=1)) < MONDAY


def test_three_absences_in_ten_school_days_is_a_pattern():
    days = [MONDAY, MONDAY - timedelta(days=3), MONDAY - timedelta(days=9)]
    assert rules.repeated(days, MONDAY, 3, 10)
    assert not rules.repeated(days, MONDAY, 3, 5)
    assert rules.school_days_back(MONDAY, 2) == FRIDAY


def test_present_is_k_where_the_la_arranged_the_provision_and_b_where_the_school_did():
    assert AttendanceCode.PRESENT.dfe_code_for(arranged_by_la=True) == "K"
    assert AttendanceCode.PRESENT.dfe_code_for(arranged_by_la=False) == "B"
    assert AttendanceCode.UNEXPLAINED.dfe_code_for(arranged_by_la=True) == "N"
    assert AttendanceCode.UNAUTHORISED.dfe_code_for(arranged_by_la=True) == "O"


def test_the_schools_view_shows_k_for_a_placement_the_la_arranged(app, db):
    from flask import render_template

    from apregister.attendance import queries
    from apregister.models import Attendance
    from tests.conftest import make_la, make_placement, make_pupil

    la = make_la()
    monday = date.today() - timedelta(days=date.today().weekday() + 7)
    placement = make_placement(make_pupil(), start_date=monday, commissioner_id=la.id)
    db.session.add(
        Attendance(
            placement_id=placement.id, date=monday, session=Session.AM, code=AttendanceCode.PRESENT
        )
    )
    db.session.commit()
    context = queries.placement_attendance(placement, monday + timedelta(days=2))
    with app.test_request_context():
        page = render_template("attendance/_placement_attendance.html", **context)
    assert "Present (K)" in page and "Present (B)" not in page
