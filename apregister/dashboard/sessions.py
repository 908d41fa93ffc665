"""Attendance figures for the dashboard: sessions present and counted in a window, and how
many placements they are about (enough to know whether fewer than 5 pupils are behind it).

Over the whole register (or one school phase of it) the sessions come from the day totals
(attendance/totals.py); for one provider, from its own placements' session rows."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import Select, and_, case, exists, false, func, select, true

from apregister.dashboard import rules
from apregister.dashboard.selection import Selection
from apregister.extensions import db
from apregister.models import Attendance, AttendanceCode, AttendanceDayTotal, Placement
from apregister.placements.queries import during, running_union

# Placements are counted up to here where only "fewer than 5 or not" matters.
ENOUGH = rules.SMALL_MAX + 1

_PRESENT = case((Attendance.code == AttendanceCode.PRESENT, 1), else_=0)
_COUNTED = case((Attendance.code != AttendanceCode.NOT_REQUIRED, 1), else_=0)


@dataclass
class Sessions:
    """Sessions recorded in a window: present, counted (expected), and the first day with a
    session counted (None if there was none)."""

    present: int = 0
    counted: int = 0
    first_counted: date | None = None

    def add(self, day: date, present: int | None, counted: int | None) -> None:
        self.present += int(present or 0)
        self.counted += int(counted or 0)
        if counted and (self.first_counted is None or day < self.first_counted):
            self.first_counted = day

    @property
    def rate(self):
        return rules.share(self.present, self.counted)


def by_day(selection: Selection, since: date, as_of: date) -> Select:
    """(day, present, counted) for each day with sessions recorded from `since` to `as_of`:
    a row a day, however many sessions."""
    if selection.uses_day_totals:
        totals = AttendanceDayTotal.__table__
        stmt = select(totals.c.day, func.sum(totals.c.present), func.sum(totals.c.counted))
        stmt = stmt.where(totals.c.day.between(since, as_of)).group_by(totals.c.day)
        if selection.phase is not None:
            stmt = stmt.where(totals.c.school_phase == selection.phase.value)
        return stmt
    # One provider's sessions (or a narrower scope): read through its placements.
    return (
        selection.columns(Attendance.date, func.sum(_PRESENT), func.sum(_COUNTED))
        .join(
            Attendance,
            and_(Attendance.placement_id == Placement.id, Attendance.date.between(since, as_of)),
        )
        .group_by(Attendance.date)
    )


def sessions_in(selection: Selection, windows: Sequence[tuple[date, date]]) -> list[Sessions]:
    """The sessions of each (since, as_of) window, from one query."""
    found = [Sessions() for _ in windows]
    if not windows:
        return found
    first = min(since for since, _ in windows)
    last = max(as_of for _, as_of in windows)
    for day, present, counted in db.session.execute(by_day(selection, first, last)):
        for sessions, (since, as_of) in zip(found, windows, strict=True):
            if since <= day <= as_of:
                sessions.add(day, present, counted)
    return found


def placements_attending(selection: Selection, as_of: date, sessions: Sessions) -> int:
    """How many placements had a session they were expected at from `sessions.first_counted`
    to `as_of`, counted up to ENOUGH (one query, however many rows).

    Over the whole register the sessions are read in date order until the fifth placement
    turns up: every session read before it belongs to one of the first four, who have at
    most two a day, so it reads a few thousand rows at most; it starts on the first day with
    a session counted, not in the summer's "not required" weeks. Narrower selections look
    at the placements running then instead, stopping at the fifth. With no session counted
    the database is told so, and answers without reading anything."""
    since = sessions.first_counted or as_of
    expected = and_(
        true() if sessions.counted else false(),
        Attendance.date.between(since, as_of),
        Attendance.code != AttendanceCode.NOT_REQUIRED,
    )
    if selection.uses_day_totals and selection.phase is None:
        found = select(Attendance.placement_id).where(expected).distinct()
    else:
        attended = exists().where(Attendance.placement_id == Placement.id, expected)
        found = running_union(
            selection.columns(Placement.id).where(attended), **during(since, as_of)
        )
    return db.session.scalar(select(func.count()).select_from(found.limit(ENOUGH).subquery()))
