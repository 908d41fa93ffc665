"""Weeks, sessions and school days: which sessions a placement may have recorded (pure, but
for the SQL form of the same dates)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import ColumnElement, and_, func

from apregister.models import AttendanceCode, Placement, Session
from apregister.placements.rules import HALVES, SLOTS, attends

SESSIONS = tuple(Session(half) for half in HALVES)


def week_monday(day: date) -> date:
    """The Monday of the week `day` falls in."""
    return day - timedelta(days=day.weekday())


def planned(mask: int, start: date, end: date, day: date, half: int) -> bool:
    """The pupil is expected at this session: it is in the pattern and within the dates."""
    return start <= day <= end and attends(mask, day, half)


def recordable(mask: int, start: date, end: date, day: date, half: int, today: date) -> bool:
    """The provider may record this session: planned, and not in the future."""
    return day <= today and planned(mask, start, end, day, half)


@dataclass(frozen=True)
class SessionCell:
    """One session (AM or PM) of one placement on one day."""

    placement_id: int
    day: date
    session: Session
    code: AttendanceCode | None  # what is recorded; None when nothing is
    planned: bool  # in the placement's pattern and within its dates
    open: bool  # planned and not in the future: the provider may record it

    @property
    def half(self) -> int:
        return HALVES.index(self.session.value)


@dataclass(frozen=True)
class AttendanceWeek:
    """A week of one placement: ten cells, Monday AM to Friday PM."""

    monday: date
    cells: tuple[SessionCell, ...]


def build_week(
    placement_id: int,
    mask: int,
    start: date,
    end: date,
    monday: date,
    recorded: dict[tuple[date, Session], AttendanceCode],
    today: date,
) -> AttendanceWeek:
    cells = []
    for weekday, half in SLOTS:
        day = monday + timedelta(days=weekday)
        session = SESSIONS[half]
        cells.append(
            SessionCell(
                placement_id=placement_id,
                day=day,
                session=session,
                code=recorded.get((day, session)),
                planned=planned(mask, start, end, day, half),
                open=recordable(mask, start, end, day, half, today),
            )
        )
    return AttendanceWeek(monday=monday, cells=tuple(cells))


def in_dates_clause(first: date, last: date, today: date) -> ColumnElement[bool]:
    """Not cancelled, and running on at least one day from `first` to `last` (inclusive). A
    placement with no end recorded runs until today at least (rules.run_end): an overrun
    stays on the register until it is ended."""
    ends_after = func.coalesce(Placement.actual_end, Placement.planned_end) >= first
    if today >= first:
        ends_after = ends_after | Placement.actual_end.is_(None)
    return and_(Placement.cancelled_on.is_(None), Placement.start_date <= last, ends_after)


# ---- school days (pure) --------------------------------------------------------------------------


def school_day_on_or_before(day: date) -> date:
    """`day` if it is a weekday, else the Friday before it. School days are weekdays here (term
    dates vary by LA; weekends are never school days), as in absences.rules."""
    return day - timedelta(days=max(0, day.weekday() - 4))


def previous_school_day(day: date) -> date:
    return school_day_on_or_before(day - timedelta(days=1))


def next_school_day(day: date) -> date:
    day += timedelta(days=1)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day
