"""The placement filters in SQL agree with the rules they stand for."""

from __future__ import annotations

from datetime import date, timedelta
from itertools import product

import pytest
from sqlalchemy import select

from apregister.extensions import db
from apregister.models import Placement, PlacementStatus
from apregister.placements import queries, rules
from tests.conftest import make_placement, make_provider, make_pupil

DAY = date(2026, 3, 2)
OFFSETS = (-30, -1, 0, 1, 30)  # days from DAY


@pytest.fixture
def every_shape():
    """Placements starting, ending and cancelled on every side of DAY."""
    provider = make_provider()
    placements = []
    for start, end in product(OFFSETS, (None, *OFFSETS)):
        if end is not None and end < start:
            continue
        placements.append(
            make_placement(
                make_pupil(),
                provider,
                start_date=DAY + timedelta(days=start),
                planned_end=DAY + timedelta(days=start + 84),
                actual_end=None if end is None else DAY + timedelta(days=end),
            )
        )
    for start in (1, 30):
        placements.append(
            make_placement(
                make_pupil(),
                provider,
                start_date=DAY + timedelta(days=start),
                cancelled_on=DAY - timedelta(days=2),
            )
        )
    return placements


def ids(clause) -> set[int]:
    return set(db.session.scalars(select(Placement.id).where(clause)))


@pytest.mark.parametrize("status", list(PlacementStatus))
@pytest.mark.parametrize("offset", OFFSETS)
def test_status_clause_agrees_with_the_status_rule(every_shape, status, offset):
    today = DAY + timedelta(days=offset)
    expected = {p.id for p in every_shape if p.status_on(today) is status}
    assert ids(queries.status_clause(status, today)) == expected


@pytest.mark.parametrize("offset", OFFSETS)
def test_current_is_active_or_planned(every_shape, offset):
    today = DAY + timedelta(days=offset)
    current = {PlacementStatus.ACTIVE, PlacementStatus.PLANNED}
    expected = {p.id for p in every_shape if p.status_on(today) in current}
    assert ids(queries.current_clause(today)) == expected


@pytest.mark.parametrize(("first", "last"), [(-30, -1), (-1, 0), (0, 0), (1, 30), (-30, 30)])
def test_running_during_a_window_includes_the_day_it_ended(every_shape, first, last):
    first_day, last_day = DAY + timedelta(days=first), DAY + timedelta(days=last)
    expected = {
        p.id
        for p in every_shape
        if p.cancelled_on is None
        and rules.overlaps(p.start_date, p.actual_end or date.max, first_day, last_day)
    }
    running = queries.running_union(select(Placement.id), **queries.during(first_day, last_day))
    assert set(db.session.scalars(running)) == expected


@pytest.mark.parametrize("offset", OFFSETS)
def test_running_union_finds_what_running_on_finds(every_shape, offset):
    today = DAY + timedelta(days=offset)
    union = queries.running_union(select(Placement.id), started_by=today, ended_after=today)
    assert set(db.session.scalars(union)) == ids(queries.running_on(today))


# ---- overruns and the unregistered limits -----------------------------------------------------

LIMITS = rules.UnregisteredLimits(max_weeks=12, max_sessions=4, max_days=2)
MASKS = (
    rules.mask_from(["mon_am", "mon_pm", "thu_am", "thu_pm"]),  # 4 sessions on 2 days
    rules.mask_from(["mon_am", "tue_am", "wed_am"]),  # 3 sessions on 3 days
    0b1111111111,  # full week
)


@pytest.fixture
def lengths():
    """Placements planned and run for lengths on each side of 12 weeks, at registered and
    unregistered providers, part and full time, ended and not."""
    from apregister.models import RegistrationType

    unregistered = make_provider(registration_type=RegistrationType.TUITION)
    registered = make_provider(registration_type=RegistrationType.PUPIL_REFERRAL_UNIT)
    pupil = make_pupil()  # written directly: no rule about one pupil's placements applies
    found = []
    for provider, weeks_ago, planned_weeks, ended_weeks, (mask, full_time) in product(
        (unregistered, registered),
        (1, 12, 13, 20),
        (6, 12, 13),
        (None, 11, 13),
        ((MASKS[0], False), (MASKS[0], True), (MASKS[1], False), (MASKS[2], True)),
    ):
        start = DAY - timedelta(weeks=weeks_ago)
        actual_end = None if ended_weeks is None else start + timedelta(weeks=ended_weeks)
        if actual_end is not None and actual_end > DAY + timedelta(weeks=30):
            continue
        found.append(
            make_placement(
                pupil,
                provider,
                start_date=start,
                planned_end=start + timedelta(weeks=planned_weeks),
                actual_end=actual_end,
                session_mask=mask,
                full_time=full_time,
            )
        )
    return found


def test_the_overrunning_and_unregistered_clauses_agree_with_their_rules(lengths):
    for today in (DAY, DAY + timedelta(days=1), DAY + timedelta(weeks=5)):
        overrunning = {
            p.id
            for p in lengths
            if rules.overrunning(
                start=p.start_date,
                planned_end=p.planned_end,
                actual_end=p.actual_end,
                cancelled_on=p.cancelled_on,
                today=today,
            )
        }
        assert ids(queries.overrunning_clause(today)) == overrunning
        breaches = {
            p.id
            for p in lengths
            if p.status_on(today) in (PlacementStatus.ACTIVE, PlacementStatus.PLANNED)
            and not p.provider.is_registered
            and rules.unregistered_breach(
                start=p.start_date,
                planned_end=p.planned_end,
                actual_end=p.actual_end,
                session_mask=p.session_mask,
                full_time=p.full_time,
                today=today,
                limits=LIMITS,
            )
        }
        assert breaches and overrunning
        assert ids(queries.unregistered_breach_clause(LIMITS, today)) == breaches


def test_the_review_due_clause_agrees_with_the_next_review_rule(every_shape):
    for offset in OFFSETS:
        today = DAY + timedelta(days=offset)
        expected = {
            p.id
            for p in every_shape
            if p.status_on(today) is PlacementStatus.ACTIVE
            and rules.next_review_due(p.start_date, None, 42) <= today + timedelta(days=7)
        }
        assert ids(queries.review_due_clause(42, 7, today)) == expected
