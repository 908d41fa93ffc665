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
