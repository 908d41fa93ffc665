from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from apregister.models import AttendanceCode, PlacementStatus, SenStatus, ThresholdWording
from apregister.placements import rules
from apregister.placements.rules import PupilAtProvider, ThresholdPolicy, UnregisteredLimits

TODAY = date(2026, 11, 23)  # a Monday
POLICY = ThresholdPolicy(
    full_time_hours=Decimal("18"),
    pupils=5,
    vulnerable_pupils=1,
    wording=ThresholdWording.EHC_OR_LOOKED_AFTER,
)


def test_planned_end_defaults_to_12_weeks_after_the_start():
    assert rules.default_planned_end(date(2026, 9, 7), 12) == date(2026, 11, 30)


@pytest.mark.parametrize(
    ("start", "today", "past"),
    [
        (TODAY - timedelta(weeks=12), TODAY, False),
        (TODAY - timedelta(weeks=12, days=1), TODAY, True),
        (TODAY, TODAY, False),
    ],
)
def test_past_12_weeks(start, today, past):
    assert rules.past_weeks(start, today, 12) is past


def test_an_ended_placement_is_judged_on_its_end_date():
    start = TODAY - timedelta(weeks=20)
    assert not rules.past_weeks(start, TODAY, 12, ended=start + timedelta(weeks=10))


@pytest.mark.parametrize(
    ("kwargs", "status"),
    [
        ({"start": TODAY + timedelta(days=1)}, PlacementStatus.PLANNED),
        ({"start": TODAY}, PlacementStatus.ACTIVE),
        ({"start": TODAY - timedelta(days=9), "actual_end": TODAY}, PlacementStatus.ENDED),
        (
            {"start": TODAY - timedelta(days=9), "actual_end": TODAY + timedelta(days=3)},
            PlacementStatus.ACTIVE,
        ),
        ({"start": TODAY + timedelta(days=5), "cancelled_on": TODAY}, PlacementStatus.CANCELLED),
    ],
)
def test_status_follows_from_the_dates_and_decisions(kwargs, status):
    values = {"actual_end": None, "cancelled_on": None} | kwargs
    assert rules.status_of(today=TODAY, **values) is status


def test_next_review_is_half_a_term_after_the_last_review_or_the_start():
    start = date(2026, 9, 7)
    assert rules.next_review_due(start, None, 42) == date(2026, 10, 19)
    assert rules.next_review_due(start, date(2026, 10, 12), 42) == date(2026, 11, 23)


def test_review_overdue_only_for_active_placements():
    start = TODAY - timedelta(days=50)
    assert rules.review_overdue(PlacementStatus.ACTIVE, start, None, 42, TODAY)
    assert not rules.review_overdue(
        PlacementStatus.ACTIVE, start, TODAY - timedelta(days=3), 42, TODAY
    )
    assert not rules.review_overdue(PlacementStatus.ENDED, start, None, 42, TODAY)


@given(st.sets(st.sampled_from([value for value, _ in rules.SLOT_CHOICES])))
def test_session_mask_round_trips(slots):
    mask = rules.mask_from(slots)
    assert set(rules.slots_from(mask)) == slots
    assert rules.sessions_per_week(mask) == len(slots)


def test_attends_only_on_pattern_weekdays():
    mask = rules.mask_from(["mon_am", "wed_pm"])
    assert rules.attends(mask, TODAY, 0)
    assert not rules.attends(mask, TODAY, 1)
    assert rules.attends(mask, TODAY + timedelta(days=2), 1)
    assert not rules.attends(mask, TODAY + timedelta(days=5), 0)  # Saturday


LIMITS = UnregisteredLimits(max_weeks=12, max_sessions=4, max_days=2)
SLOT_VALUES = [value for value, _ in rules.SLOT_CHOICES]


def _breach(weeks, mask, *, full_time=False, actual_end=None, today=TODAY, ran_weeks=None):
    return rules.unregistered_breach(
        start=TODAY,
        planned_end=TODAY + timedelta(weeks=weeks),
        actual_end=actual_end,
        session_mask=mask,
        full_time=full_time,
        today=today if ran_weeks is None else TODAY + timedelta(weeks=ran_weeks),
        limits=LIMITS,
    )


@pytest.mark.parametrize(
    ("weeks", "slots", "full_time", "flagged"),
    [
        (12, SLOT_VALUES, True, False),  # short and intensive: allowed
        (20, ["mon_am", "mon_pm", "tue_am", "tue_pm"], False, False),  # 4 sessions, 2 days
        (20, SLOT_VALUES[:5], False, True),  # 5 sessions
        (20, ["mon_am", "wed_am", "fri_am"], False, True),  # 3 sessions on 3 days
        (20, ["mon_am", "tue_am"], True, True),  # declared full time
        (13, SLOT_VALUES, True, True),
    ],
)
def test_unregistered_placement_must_be_short_or_part_time(weeks, slots, full_time, flagged):
    problem = _breach(weeks, rules.mask_from(slots), full_time=full_time)
    assert (problem is not None) is flagged


def test_an_overrun_counts_towards_the_unregistered_limit():
    mask = rules.mask_from(SLOT_VALUES)
    # planned for 10 weeks, still running after 13: it has broken the limit
    assert _breach(10, mask, full_time=True, ran_weeks=12) is None
    problem = _breach(10, mask, full_time=True, ran_weeks=13)
    assert problem is not None and "has run 13.0 weeks" in problem
    # an end recorded within 12 weeks settles it, whatever today is
    ended = TODAY + timedelta(weeks=11)
    assert _breach(10, mask, full_time=True, actual_end=ended, ran_weeks=30) is None


def test_part_time_masks_are_exactly_those_within_the_limits():
    allowed = set(rules.part_time_masks(LIMITS))
    assert rules.mask_from(["mon_am", "mon_pm", "thu_am", "thu_pm"]) in allowed
    assert rules.mask_from(["mon_am", "tue_am", "wed_am"]) not in allowed
    assert len(allowed) == 5 * 3 + 10 * 9  # one or two days, each AM, PM or both
    for mask in range(1, 1024):
        assert (mask in allowed) is not rules.heavier_than_part_time(mask, False, LIMITS)


def test_overrunning_is_running_past_the_planned_end_with_no_end_recorded():
    def over(planned_end, actual_end=None, cancelled_on=None, start=TODAY - timedelta(weeks=13)):
        return rules.overrunning(
            start=start,
            planned_end=planned_end,
            actual_end=actual_end,
            cancelled_on=cancelled_on,
            today=TODAY,
        )

    assert over(TODAY - timedelta(days=1))
    assert not over(TODAY)  # its last planned day
    assert not over(TODAY - timedelta(days=1), actual_end=TODAY - timedelta(days=1))
    assert not over(TODAY - timedelta(days=1), actual_end=TODAY + timedelta(days=3))
    assert not over(TODAY - timedelta(days=1), cancelled_on=TODAY - timedelta(weeks=14))


def test_run_end_is_today_for_an_overrun():
    assert rules.run_end(TODAY - timedelta(days=3), None, TODAY) == TODAY
    assert rules.run_end(TODAY + timedelta(days=3), None, TODAY) == TODAY + timedelta(days=3)
    assert rules.run_end(TODAY + timedelta(days=3), TODAY - timedelta(days=9), TODAY) == (
        TODAY - timedelta(days=9)
    )


def test_attendance_rate_leaves_out_sessions_not_required():
    codes = [AttendanceCode.PRESENT] * 3 + [
        AttendanceCode.UNAUTHORISED,
        AttendanceCode.NOT_REQUIRED,
    ]
    assert rules.attendance_rate(codes) == Decimal("75.0")
    assert rules.attendance_rate([AttendanceCode.NOT_REQUIRED]) is None


def _pupil(hours="25", csa=True, sen=SenStatus.NONE, looked_after=False):
    return PupilAtProvider(Decimal(hours), csa, sen, looked_after)


def test_five_full_time_pupils_meet_the_threshold():
    assert rules.registration_alert([_pupil()] * 4, POLICY) is None
    alert = rules.registration_alert([_pupil()] * 5, POLICY)
    assert alert.full_time_pupils == 5


def test_part_time_and_older_pupils_do_not_count():
    pupils = [_pupil()] * 4 + [_pupil(hours="17.5"), _pupil(csa=False)]
    assert rules.registration_alert(pupils, POLICY) is None


def test_full_time_is_at_or_above_the_setting():
    assert rules.registration_alert([_pupil(hours="18")] * 5, POLICY) is not None


@pytest.mark.parametrize(
    ("pupil", "in_force", "act_2026"),
    [
        (_pupil(sen=SenStatus.EHC_PLAN), True, True),
        (_pupil(looked_after=True), True, True),
        (_pupil(sen=SenStatus.SEN_SUPPORT), False, True),
        (_pupil(), False, False),
        (_pupil(hours="10", sen=SenStatus.EHC_PLAN), False, False),
    ],
)
def test_one_vulnerable_full_time_pupil_meets_the_threshold(pupil, in_force, act_2026):
    assert (rules.registration_alert([pupil], POLICY) is not None) is in_force
    wider = ThresholdPolicy(Decimal("18"), 5, 1, ThresholdWording.SEN_OR_LOOKED_AFTER)
    assert (rules.registration_alert([pupil], wider) is not None) is act_2026


def test_overlaps_is_inclusive():
    assert rules.overlaps(TODAY, TODAY, TODAY, TODAY + timedelta(days=1))
    assert not rules.overlaps(TODAY, TODAY, TODAY + timedelta(days=1), TODAY + timedelta(days=2))


def test_double_booking_is_the_same_provider_for_overlapping_dates_or_shared_sessions():
    from apregister.placements.rules import Booking, double_booking

    mon_am, tue_am = 0b1, 0b100
    new = Booking(1, date(2025, 3, 3), date(2025, 5, 23), mon_am)
    assert double_booking(new, Booking(1, date(2025, 5, 23), date(2025, 7, 1), tue_am)) == (
        "start_date"
    )
    assert double_booking(new, Booking(2, date(2025, 4, 1), date(2025, 4, 30), mon_am)) == (
        "sessions"
    )
    assert double_booking(new, Booking(2, date(2025, 4, 1), date(2025, 4, 30), tue_am)) is None
    assert double_booking(new, Booking(1, date(2025, 5, 24), date(2025, 7, 1), mon_am)) is None
