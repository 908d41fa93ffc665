"""Past sessions a provider has not recorded: every session in a placement's pattern, from its
start (or the look-back's) to yesterday, with no mark. Today's own sessions are the home page's
"to record today".

Counting takes two queries whatever the number of sessions: the provider's placements in the
look-back, then the marks recorded for each, counted in the database; the sessions expected are
worked out from each placement's dates and weekly pattern. Listing them reads the marks of the
placements with a gap, and no others."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import func, select

from apregister.access import visible
from apregister.extensions import db
from apregister.models import Attendance, Placement, Pupil, Session, User
from apregister.placements.rules import HALVES, SLOTS, run_end, slot_bit

# How far back the provider is asked to catch up: a year of sessions.
LOOK_BACK_DAYS = 365
SESSIONS = tuple(Session(half) for half in HALVES)


def weekdays_between(first: date, last: date, weekday: int) -> int:
    """How many days from `first` to `last` (inclusive) fall on `weekday` (Monday 0)."""
    if last < first:
        return 0
    hit = first + timedelta(days=(weekday - first.weekday()) % 7)
    return 0 if hit > last else (last - hit).days // 7 + 1


def expected_sessions(mask: int, first: date, last: date) -> int:
    """Sessions in the weekly pattern `mask` from `first` to `last` (inclusive)."""
    return sum(
        weekdays_between(first, last, day) for day, half in SLOTS if mask & slot_bit(day, half)
    )


@dataclass(frozen=True)
class Gap:
    placement_id: int
    pupil_name: str
    day: date
    session: Session


def _window(today: date) -> tuple[date, date]:
    return today - timedelta(days=LOOK_BACK_DAYS), today - timedelta(days=1)


def _placements(user: User, today: date) -> list[tuple]:
    since, until = _window(today)
    return db.session.execute(
        visible(Placement, user)
        .with_only_columns(
            Placement.id,
            Placement.session_mask,
            Placement.start_date,
            Placement.planned_end,
            Placement.actual_end,
            Pupil.first_name,
            Pupil.last_name,
        )
        .join(Pupil, Pupil.id == Placement.pupil_id)
        .where(
            Placement.provider_id == user.organisation_id,
            Placement.cancelled_on.is_(None),
            Placement.start_date <= until,
            (Placement.actual_end.is_(None)) | (Placement.actual_end >= since),
        )
        .order_by(Pupil.last_name, Pupil.first_name, Placement.id)
    ).all()


def _span(row, today: date) -> tuple[date, date]:
    since, until = _window(today)
    _, _, start, planned_end, actual_end, *_ = row
    return max(start, since), min(run_end(planned_end, actual_end, today), until)


def _gaps_by_placement(user: User, today: date) -> tuple[list[tuple], dict[int, int]]:
    """The provider's placements in the look-back, and how many sessions each is missing."""
    rows = _placements(user, today)
    if not rows:
        return rows, {}
    since, until = _window(today)
    recorded = dict(
        db.session.execute(
            select(Attendance.placement_id, func.count())
            .where(
                Attendance.placement_id.in_([row[0] for row in rows]),
                Attendance.date.between(since, until),
            )
            .group_by(Attendance.placement_id)
        ).all()
    )
    missing = {}
    for row in rows:
        first, last = _span(row, today)
        gap = expected_sessions(row[1], first, last) - recorded.get(row[0], 0)
        if gap > 0:
            missing[row[0]] = gap
    return rows, missing


def count_unrecorded(user: User, today: date) -> int:
    """How many past sessions the provider has still to record (two queries)."""
    return sum(_gaps_by_placement(user, today)[1].values())


def unrecorded_sessions(user: User, today: date) -> list[Gap]:
    """Every past session the provider has still to record, oldest first."""
    rows, missing = _gaps_by_placement(user, today)
    if not missing:
        return []
    since, until = _window(today)
    marked: dict[int, set[tuple[date, Session]]] = defaultdict(set)
    for placement_id, day, session in db.session.execute(
        select(Attendance.placement_id, Attendance.date, Attendance.session).where(
            Attendance.placement_id.in_(missing), Attendance.date.between(since, until)
        )
    ):
        marked[placement_id].add((day, session))
    gaps = []
    for row in rows:
        if row[0] not in missing:
            continue
        first, last = _span(row, today)
        day = first
        while day <= last:
            for half, session in enumerate(SESSIONS):
                if (
                    day.weekday() < 5
                    and row[1] & slot_bit(day.weekday(), half)
                    and (day, session) not in marked[row[0]]
                ):
                    gaps.append(Gap(row[0], f"{row[5]} {row[6]}", day, session))
            day += timedelta(days=1)
    return sorted(gaps, key=lambda gap: (gap.day, gap.session.value, gap.pupil_name))
