"""Past sessions a provider has not recorded: every session in a placement's pattern, from its
start (or the look-back's) to yesterday, with no mark. Today's own sessions are the home page's
"to record today".

Everything here is counted by day in a fixed number of queries, whatever the number of
sessions: the provider's placements in the look-back, then the marks recorded on each day,
counted in the database. The sessions expected on each day are worked out from each placement's
dates and weekly pattern (a running sum per weekday, not a walk through every day of every
placement). A day's sessions still to record are those expected less those recorded. Listing
one page of sessions reads the marks of that page's days only."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from operator import itemgetter
from typing import NamedTuple

from sqlalchemy import Select, String, bindparam, func, select, type_coerce

from apregister.access import visible
from apregister.extensions import db
from apregister.models import Attendance, Placement, Pupil, Session, User
from apregister.placements.queries import during, running_union, tested_in_index
from apregister.placements.rules import HALVES, run_end, slot_bit
from apregister.placements.summaries import Keep, build_anew
from apregister.sql import not_indexed

# How far back the provider is asked to catch up: a year of sessions.
LOOK_BACK_DAYS = 365
SESSIONS = tuple(Session(half) for half in HALVES)


@dataclass(frozen=True)
class Gap:
    placement_id: int
    pupil_name: str
    day: date
    session: Session


class UnrecordedDay(NamedTuple):
    day: date
    sessions: int


class _Placement(NamedTuple):
    id: int
    mask: int
    first: date  # the first and last days counted: its dates within the look-back
    last: date


def _window(today: date) -> tuple[date, date]:
    return today - timedelta(days=LOOK_BACK_DAYS), today - timedelta(days=1)


def _placements(user: User, today: date, keep: Keep = build_anew) -> list[_Placement]:
    """The provider's placements running at some time in the look-back (one query): read from
    the ranges of ix_placements_running (the provider tested there, not used to walk every
    placement it ever had), those still open and those ended within the year."""
    since, until = _window(today)

    def build() -> Select:
        return running_union(
            tested_in_index(visible(Placement, user))
            .with_only_columns(
                Placement.id,
                Placement.session_mask,
                Placement.start_date,
                Placement.planned_end,
                Placement.actual_end,
            )
            .where(not_indexed(Placement.provider_id) == user.organisation_id)
            .order_by(None),
            **during(since, until),
        )

    rows = db.session.execute(keep("unrecorded placements", build)).all()
    found = []  # in the order of their ids, as the pages list a day's gaps for equal names
    for placement_id, mask, start, planned_end, actual_end in sorted(rows, key=itemgetter(0)):
        first, last = max(start, since), min(run_end(planned_end, actual_end, today), until)
        if first <= last and mask:
            found.append(_Placement(placement_id, mask, first, last))
    return found


@lru_cache(maxsize=1024)
def _sessions_by_weekday(mask: int) -> tuple[int, ...]:
    """How many sessions the pattern `mask` has on each weekday, Monday first."""
    return tuple(
        sum(bool(mask & slot_bit(weekday, half)) for half in (0, 1)) for weekday in range(5)
    )


def _expected_by_day(placements: list[_Placement], today: date) -> dict[date, int]:
    """How many sessions the placements' patterns and dates expect on each day of the
    look-back: for each weekday, a running sum over the weeks of the sessions starting and
    stopping, so the work grows with the placements and the weeks, not their product."""
    since, until = _window(today)
    base = since - timedelta(days=since.weekday())  # the Monday of the look-back's first week
    weeks = (until - base).days // 7 + 1
    steps = [[0] * (weeks + 1) for _ in range(5)]
    monday = base.toordinal()  # days as whole numbers, the look-back's first Monday's
    for placement in placements:
        first, last = placement.first.toordinal(), placement.last.toordinal()
        first_weekday, last_weekday = (first - monday) % 7, (last - monday) % 7
        for weekday, count in enumerate(_sessions_by_weekday(placement.mask)):
            if not count:
                continue
            # the first and the last of that weekday within the placement's dates
            start = first + (weekday - first_weekday) % 7
            stop = last - (last_weekday - weekday) % 7
            if start > stop:
                continue
            steps[weekday][(start - monday) // 7] += count
            steps[weekday][(stop - monday) // 7 + 1] -= count
    expected = {}
    for weekday, changes in enumerate(steps):
        running = 0
        for week in range(weeks):
            running += changes[week]
            if running:
                expected[date.fromordinal(monday + 7 * week + weekday)] = running
    return expected


def _recorded_by_day(
    placements: list[_Placement], today: date, keep: Keep = build_anew
) -> dict[date, int]:
    """How many sessions of the placements are recorded on each day of the look-back (one
    query, counted in the database)."""
    since, until = _window(today)

    def build() -> Select:
        return (
            select(Attendance.date, func.count())
            .where(
                Attendance.placement_id.in_(bindparam("ids", expanding=True)),
                Attendance.date.between(since, until),
            )
            .group_by(Attendance.date)
        )

    ids = [placement.id for placement in placements]
    return dict(db.session.execute(keep("recorded by day", build), {"ids": ids}).all())


def _to_record_by_day(
    user: User, today: date, keep: Keep = build_anew
) -> tuple[list[_Placement], dict[date, int]]:
    """The placements, and the sessions still to record on each day that has any, oldest day
    first (two queries, one when the provider has no placements). `keep` may keep the
    statements (placements.summaries.Keep)."""
    placements = _placements(user, today, keep)
    if not placements:
        return placements, {}
    expected = _expected_by_day(placements, today)
    recorded = _recorded_by_day(placements, today, keep)
    missing = {}
    for day in sorted(expected):
        gap = expected[day] - recorded.get(day, 0)
        if gap > 0:
            missing[day] = gap
    return placements, missing


def count_unrecorded(user: User, today: date, *, keep: Keep = build_anew) -> int:
    """How many past sessions the provider has still to record (two queries)."""
    return sum(_to_record_by_day(user, today, keep)[1].values())


def unrecorded_days(user: User, today: date) -> list[UnrecordedDay]:
    """Every past day with sessions still to record, and how many, the latest day first (two
    queries)."""
    missing = _to_record_by_day(user, today)[1]
    return [UnrecordedDay(day, missing[day]) for day in reversed(missing)]


def unrecorded_page(
    user: User, today: date, number: int, per_page: int
) -> tuple[int, int, int, list[Gap]]:
    """(total, page number, pages, the page's sessions): every past session still to record,
    oldest first (by day, then session, then pupil), one page at a time. Four queries at most,
    whatever the page: the counts by day say which days the page covers, and only those days'
    marks and pupils are read."""
    placements, missing = _to_record_by_day(user, today)
    total = sum(missing.values())
    pages = max(1, -(-total // per_page))
    number = min(max(number, 1), pages)
    start = (number - 1) * per_page
    days, before, skip = [], 0, 0
    for day, count in missing.items():
        if before + count > start and before < start + per_page:
            if not days:
                skip = start - before
            days.append(day)
        before += count
    if not days:
        return total, number, pages, []
    on_the_days = [
        placement
        for placement in placements
        if placement.first <= days[-1] and placement.last >= days[0]
    ]
    ids = [placement.id for placement in on_the_days]
    # plain tuples, the session as stored: thousands of look-ups below, each a Row's
    # comparison and an enum made from every value read, had been a quarter of the page
    marked = set(
        map(
            tuple,
            db.session.execute(
                select(
                    Attendance.placement_id,
                    Attendance.date,
                    type_coerce(Attendance.session, String),
                ).where(Attendance.placement_id.in_(ids), Attendance.date.in_(days))
            ),
        )
    )
    names = {
        placement_id: f"{first_name} {last_name}"
        for placement_id, first_name, last_name in db.session.execute(
            visible(Placement, user)
            .with_only_columns(Placement.id, Pupil.first_name, Pupil.last_name)
            .join(Pupil, Pupil.id == Placement.pupil_id)
            .where(Placement.id.in_(ids))
        )
    }
    gaps = [
        Gap(placement.id, names[placement.id], day, session)
        for day in days
        for placement in on_the_days
        if placement.first <= day <= placement.last
        for half, session in enumerate(SESSIONS)
        if placement.mask & slot_bit(day.weekday(), half)
        and (placement.id, day, session.value) not in marked
    ]
    gaps.sort(key=lambda gap: (gap.day, gap.session.value, gap.pupil_name))
    return total, number, pages, gaps[skip : skip + per_page]
