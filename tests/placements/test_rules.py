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


LIMITS = UnregisteredLimits(max_weeks=12, max_sessions=4)


@pytest.mark.parametrize(
    ("weeks", "sessions", "flagged"),
    [(12, 10, False), (20, 4, False), (20, 5, True), (13, 10, True)],
)
def test_unregistered_placement_must_be_short_or_part_time(weeks, sessions, flagged):
    mask = rules.mask_from([value for value, _ in rules.SLOT_CHOICES][:sessions])
    problem = rules.unregistered_flag(
        start=TODAY, planned_end=TODAY + timedelta(weeks=weeks), session_mask=mask, limits=LIMITS
    )
    assert (problem is not None) is flagged


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
