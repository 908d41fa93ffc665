from datetime import date, timedelta
from decimal import Decimal

import pytest
from flask import render_template

from apregister.attendance import queries
from apregister.attendance.queries import Attention, AttentionItem, Rate
from apregister.models import Attendance, AttendanceCode, Session
from apregister.placements.rules import attendance_rate, mask_from
from tests.conftest import count_queries, make_placement, make_provider, make_pupil, make_school

WEDNESDAY = date(2025, 3, 5)
MONDAY = date(2025, 3, 3)
AM, PM = Session.AM, Session.PM
P, A, U, X = (
    AttendanceCode.PRESENT,
    AttendanceCode.AUTHORISED,
    AttendanceCode.UNAUTHORISED,
    AttendanceCode.NOT_REQUIRED,
)


def _mark(db, placement, day: date, session: Session, code: AttendanceCode) -> None:
    db.session.add(Attendance(placement_id=placement.id, date=day, session=session, code=code))
    db.session.commit()


def _placed(school=None, provider=None, *, last_name="Pupil", **overrides):
    values = {"start_date": MONDAY - timedelta(weeks=2)} | overrides
    pupil = make_pupil(school or make_school(), first_name="Sam", last_name=last_name)
    return make_placement(pupil, provider or make_provider(), **values)


# ---- weeks --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "monday"),
    [
        (date(2025, 3, 3), date(2025, 3, 3)),
        (date(2025, 3, 5), date(2025, 3, 3)),
        (date(2025, 3, 9), date(2025, 3, 3)),
        (date(2025, 1, 1), date(2024, 12, 30)),
    ],
)
def test_week_monday(day, monday):
    assert queries.week_monday(day) == monday


def test_a_session_is_recordable_in_the_pattern_within_the_dates_and_not_in_future():
    mask = mask_from(["mon_am", "wed_pm"])
    start, end = MONDAY, MONDAY + timedelta(weeks=1)
    assert queries.recordable(mask, start, end, MONDAY, 0, today=WEDNESDAY)
    assert not queries.recordable(mask, start, end, MONDAY, 1, today=WEDNESDAY)  # pattern
    assert queries.recordable(mask, start, end, WEDNESDAY, 1, today=WEDNESDAY)  # today
    next_monday = MONDAY + timedelta(weeks=1)
    assert not queries.recordable(mask, start, end, next_monday, 0, today=WEDNESDAY)  # future
    assert queries.recordable(mask, start, end, next_monday, 0, today=next_monday)  # last day
    assert not queries.recordable(mask, MONDAY + timedelta(days=1), end, MONDAY, 0, WEDNESDAY)
    assert not queries.recordable(0b1111111111, start, end, date(2025, 3, 8), 0, WEDNESDAY)


# ---- rates --------------------------------------------------------------------------------------


def test_attendance_rates_in_one_query(db):
    mixed, nothing, only_not_required, perfect = (_placed() for _ in range(4))
    codes = [P, P, P, U, X]
    for n, code in enumerate(codes):
        _mark(db, mixed, MONDAY + timedelta(days=n), AM, code)
    _mark(db, only_not_required, MONDAY, AM, X)
    _mark(db, perfect, MONDAY, AM, P)
    _mark(db, perfect, MONDAY, PM, P)
    _mark(db, perfect, MONDAY + timedelta(days=1), AM, A)

    ids = [mixed.id, nothing.id, only_not_required.id, perfect.id]
    with count_queries() as statements:
        rates = queries.attendance_rates(ids)
    assert len(statements) == 1
    assert rates == {
        mixed.id: (Decimal("75.0"), 3, 4),
        nothing.id: (None, 0, 0),
        only_not_required.id: (None, 0, 0),
        perfect.id: (Decimal("66.7"), 2, 3),
    }
    assert rates[mixed.id].rate == attendance_rate(codes)
    assert rates[perfect.id] == Rate(attendance_rate([P, P, A]), 2, 3)


def test_attendance_rates_of_nothing_asks_nothing(db):
    with count_queries() as statements:
        assert queries.attendance_rates([]) == {}
    assert statements == []


@pytest.mark.parametrize(("present", "counted"), [(0, 0), (1, 3), (2, 3), (21, 25), (5, 5)])
def test_rate_of_counts_matches_the_rule(present, counted):
    codes = [P] * present + [U] * (counted - present)
    assert queries.rate_of(present, counted) == attendance_rate(codes)


# ---- what a school should look at today ---------------------------------------------------------


def test_school_attention_today(db):
    school = make_school()
    provider = make_provider(name="Riverside Tuition")
    both = mask_from(["wed_am", "wed_pm"])
    half_recorded = _placed(school, provider, last_name="Able", session_mask=both)
    _mark(db, half_recorded, WEDNESDAY, AM, P)
    truant = _placed(school, provider, last_name="Baker", session_mask=mask_from(["wed_am"]))
    _mark(db, truant, WEDNESDAY, AM, U)
    all_done = _placed(school, provider, last_name="Cole", session_mask=both)
    _mark(db, all_done, WEDNESDAY, AM, A)
    _mark(db, all_done, WEDNESDAY, PM, X)
    # none of these should show
    _placed(school, provider, last_name="NotToday", session_mask=mask_from(["mon_am"]))
    _placed(school, provider, last_name="Ended", session_mask=both, actual_end=MONDAY)
    _placed(
        school,
        provider,
        last_name="Later",
        session_mask=both,
        start_date=WEDNESDAY + timedelta(days=1),
    )
    _placed(
        school,
        provider,
        last_name="Cancelled",
        session_mask=both,
        start_date=WEDNESDAY,
        cancelled_on=MONDAY,
    )
    _placed(make_school(), provider, last_name="Elsewhere", session_mask=both)
    last_day = _placed(
        school,
        provider,
        last_name="LastDay",
        session_mask=mask_from(["wed_pm"]),
        actual_end=WEDNESDAY,
    )
    # past its planned end with no end recorded: still there, so still expected
    overran = _placed(school, provider, last_name="Overran", session_mask=both, planned_end=MONDAY)

    school_id = school.id  # loaded before counting
    with count_queries() as statements:
        items = queries.school_attention_today(school_id, WEDNESDAY)
    assert len(statements) == 1
    assert items == [
        AttentionItem(
            half_recorded.id, "Sam Able", "Riverside Tuition", PM, Attention.NOT_RECORDED
        ),
        AttentionItem(truant.id, "Sam Baker", "Riverside Tuition", AM, Attention.UNAUTHORISED),
        AttentionItem(last_day.id, "Sam LastDay", "Riverside Tuition", PM, Attention.NOT_RECORDED),
        AttentionItem(overran.id, "Sam Overran", "Riverside Tuition", AM, Attention.NOT_RECORDED),
        AttentionItem(overran.id, "Sam Overran", "Riverside Tuition", PM, Attention.NOT_RECORDED),
    ]
    assert items[1].what.label == "Unauthorised absence"
    assert items[0].what.label == "Not recorded"


def test_school_attention_at_the_weekend_is_empty(db):
    school = make_school()
    _placed(school, session_mask=0b1111111111)
    assert queries.school_attention_today(school.id, date(2025, 3, 8)) == []


# ---- what a provider should record today --------------------------------------------------------


def test_provider_sessions_to_record_today(db):
    provider = make_provider()
    both = mask_from(["wed_am", "wed_pm"])
    half_recorded = _placed(provider=provider, session_mask=both)
    _mark(db, half_recorded, WEDNESDAY, AM, P)
    _placed(provider=provider, session_mask=both)  # 2 to do
    _placed(provider=provider, session_mask=mask_from(["wed_pm", "thu_am"]))  # 1 to do
    done = _placed(provider=provider, session_mask=mask_from(["wed_am"]))
    _mark(db, done, WEDNESDAY, AM, U)
    _placed(provider=provider, session_mask=mask_from(["mon_am"]))
    _placed(provider=provider, session_mask=both, actual_end=MONDAY)
    _placed(provider=provider, session_mask=both, start_date=WEDNESDAY + timedelta(days=1))
    _placed(session_mask=both)  # another provider's

    provider_id = provider.id  # loaded before counting
    with count_queries() as statements:
        assert queries.provider_sessions_to_record_today(provider_id, WEDNESDAY) == 4
    assert len(statements) == 1
    assert queries.provider_sessions_to_record_today(provider.id, date(2025, 3, 9)) == 0
    assert queries.provider_sessions_to_record_today(make_provider().id, WEDNESDAY) == 0


# ---- one placement's recent weeks ---------------------------------------------------------------


def test_recent_weeks_in_one_query(db):
    placement = _placed(
        start_date=MONDAY - timedelta(weeks=1, days=-2),
        session_mask=mask_from(["mon_am", "wed_pm"]),
    )
    _mark(db, placement, MONDAY, AM, P)
    _mark(db, placement, MONDAY - timedelta(days=5), PM, A)  # the Wednesday before

    db.session.refresh(placement)  # loaded before counting
    with count_queries() as statements:
        weeks = queries.recent_weeks(placement, WEDNESDAY)
    assert len(statements) == 1
    # it started on the Wednesday of the week before, so only two weeks so far
    assert [week.monday for week in weeks] == [MONDAY - timedelta(weeks=1), MONDAY]
    assert all(len(week.cells) == 10 for week in weeks)
    first, this = weeks
    assert [(c.day, c.session, c.code) for c in first.cells if c.planned] == [
        (MONDAY - timedelta(days=5), PM, A)
    ]
    assert not first.cells[0].planned  # Monday AM, before the start
    assert this.cells[0].code is P and this.cells[0].open
    assert this.cells[5].session is PM and this.cells[5].open and this.cells[5].code is None
    assert not this.cells[1].planned


def test_recent_weeks_stop_at_the_end_and_count_back(db):
    placement = _placed(
        start_date=MONDAY - timedelta(weeks=10),
        actual_end=MONDAY - timedelta(weeks=2),
    )
    weeks = queries.recent_weeks(placement, WEDNESDAY, weeks=3)
    assert [week.monday for week in weeks] == [
        MONDAY - timedelta(weeks=4),
        MONDAY - timedelta(weeks=3),
        MONDAY - timedelta(weeks=2),
    ]
    assert weeks[-1].cells[0].open and not weeks[-1].cells[2].planned


def test_recent_weeks_of_a_placement_not_started_is_empty(db):
    placement = _placed(start_date=WEDNESDAY + timedelta(weeks=1))
    assert queries.recent_weeks(placement, WEDNESDAY) == []


def test_the_future_sessions_of_this_week_are_planned_but_not_open(db):
    placement = _placed(session_mask=0b1111111111)
    (this,) = queries.recent_weeks(placement, WEDNESDAY, weeks=1)
    assert [c.open for c in this.cells] == [True] * 6 + [False] * 4
    assert all(c.planned for c in this.cells)


# ---- the placement attendance partial -----------------------------------------------------------


def test_placement_partial_shows_the_weeks_and_the_rate(app, db):
    placement = _placed(
        start_date=MONDAY - timedelta(weeks=1),
        session_mask=mask_from(["mon_am", "mon_pm", "tue_am"]),
    )
    _mark(db, placement, MONDAY, AM, P)
    _mark(db, placement, MONDAY, PM, U)
    _mark(db, placement, MONDAY - timedelta(weeks=1), AM, P)
    _mark(db, placement, MONDAY - timedelta(weeks=1), PM, P)
    _mark(db, placement, MONDAY - timedelta(weeks=1, days=-1), AM, X)
    context = queries.placement_attendance(placement, WEDNESDAY)
    with app.test_request_context():
        page = render_template("attendance/_placement_attendance.html", **context)
    assert "75.0%" in page and "(present at 3 of the 4 sessions recorded)" in page
    assert "Present (B)" in page
    assert "Unauthorised absence (O)" in page
    assert "Not required (X)" in page
    assert "Not recorded" in page  # Tuesday AM this week
    assert "no session" in page
    assert "<caption" in page
    assert page.count('<th scope="row"') == 2
    assert page.count('<th scope="col"') == 11


def test_placement_partial_with_nothing_recorded(app, db):
    placement = _placed(start_date=WEDNESDAY + timedelta(weeks=1))
    with app.test_request_context():
        page = render_template(
            "attendance/_placement_attendance.html",
            **queries.placement_attendance(placement, WEDNESDAY),
        )
    assert "No attendance has been recorded yet" in page
    assert "<table" not in page


def test_placement_partial_says_session_for_one(app, db):
    with app.test_request_context():
        page = render_template(
            "attendance/_placement_attendance.html",
            attendance_weeks=[],
            attendance_rate=Rate(Decimal("100.0"), 1, 1),
        )
    assert "100.0%" in page and "(present at 1 of the 1 session recorded)" in page
    assert "<h2" not in page  # the page including it gives the heading
