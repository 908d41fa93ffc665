"""Attendance read from the database: the provider's register for one day, rates for lists, what
a school or provider should look at today, and one placement's recent weeks.

Every function takes `today` as a parameter; none reads the clock. A session can be recorded when
it is in the placement's weekly pattern, between its start and its end (the actual end, else the
planned end, or today while it overruns: placements.rules.run_end; both inclusive), and not in
the future.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from enum import StrEnum
from functools import cached_property
from typing import NamedTuple

from sqlalchemy import ColumnElement, Select, and_, case, exists, func, select
from sqlalchemy.orm import aliased

from apregister.access import visible
from apregister.extensions import db
from apregister.models import (
    Attendance,
    AttendanceCode,
    Organisation,
    Placement,
    Pupil,
    Session,
    User,
)
from apregister.placements.queries import during, running_union
from apregister.placements.rules import HALVES, SLOTS, attends, run_end, slot_bit
from apregister.placements.summaries import Keep, build_anew
from apregister.pupils.rules import year_group, year_group_label
from apregister.sql import not_indexed

SESSIONS = tuple(Session(half) for half in HALVES)


# ---- weeks and sessions (pure) ------------------------------------------------------------------


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


# ---- the provider's register for one day ---------------------------------------------------------


@dataclass(frozen=True)
class RegisterRow:
    """What a provider sees of one pupil in its register: name and year group only, and the
    day's two sessions (AM, PM)."""

    placement_id: int
    pupil_name: str
    year_group: str
    cells: tuple[SessionCell, ...]
    # the LA, not the home school, arranged it: a present session is K, not B (DfE, 2024)
    arranged_by_la: bool = False


@dataclass(frozen=True)
class DayRegister:
    """The provider's pupils who have a session on `day`, with what is recorded."""

    day: date
    rows: list[RegisterRow]

    @cached_property
    def cells(self) -> dict[tuple[int, date, Session], SessionCell]:
        return {
            (cell.placement_id, cell.day, cell.session): cell
            for row in self.rows
            for cell in row.cells
        }

    @cached_property
    def names(self) -> dict[int, str]:
        return {row.placement_id: row.pupil_name for row in self.rows}

    @property
    def any_open(self) -> bool:
        return any(cell.open for cell in self.cells.values())

    @property
    def not_recorded(self) -> int:
        """How many sessions that may be recorded have no mark yet."""
        return sum(cell.open and cell.code is None for cell in self.cells.values())


def day_bits(day: date) -> int:
    """The session mask bits of `day`'s weekday (0 at a weekend)."""
    if day.weekday() >= 5:
        return 0
    return slot_bit(day.weekday(), 0) | slot_bit(day.weekday(), 1)


def day_register(user: User, day: date, today: date) -> DayRegister:
    """The placements with `user`'s provider running on `day` that have a session that day,
    with both sessions' marks: one query, however many pupils (two outer joins on the unique
    key of the attendance rows)."""
    morning, afternoon = aliased(Attendance), aliased(Attendance)

    def mark(alias, session: Session):
        return and_(alias.placement_id == Placement.id, alias.date == day, alias.session == session)

    rows = db.session.execute(
        visible(Placement, user)
        .with_only_columns(
            Placement.id,
            Placement.session_mask,
            Placement.start_date,
            Placement.planned_end,
            Placement.actual_end,
            Placement.commissioner_id,
            Placement.school_id,
            Pupil.first_name,
            Pupil.last_name,
            Pupil.date_of_birth,
            morning.code,
            afternoon.code,
        )
        .join(Pupil, Pupil.id == Placement.pupil_id)
        .outerjoin(morning, mark(morning, Session.AM))
        .outerjoin(afternoon, mark(afternoon, Session.PM))
        .where(
            Placement.provider_id == user.organisation_id,
            in_dates_clause(day, day, today),
            Placement.session_mask.bitwise_and(day_bits(day)) != 0,
        )
        .order_by(Pupil.last_name, Pupil.first_name, Placement.id)
    ).all()
    register_rows = []
    for (
        placement_id,
        mask,
        start,
        planned_end,
        actual_end,
        commissioner_id,
        school_id,
        first_name,
        last_name,
        date_of_birth,
        *codes,
    ) in rows:
        end = run_end(planned_end, actual_end, today)
        cells = tuple(
            SessionCell(
                placement_id=placement_id,
                day=day,
                session=session,
                code=codes[half],
                planned=planned(mask, start, end, day, half),
                open=recordable(mask, start, end, day, half, today),
            )
            for half, session in enumerate(SESSIONS)
        )
        register_rows.append(
            RegisterRow(
                placement_id=placement_id,
                pupil_name=f"{first_name} {last_name}",
                year_group=year_group_label(year_group(date_of_birth, today)),
                cells=cells,
                arranged_by_la=commissioner_id != school_id,
            )
        )
    return DayRegister(day=day, rows=register_rows)


def placements_to_save(user: User, ids: Iterable[int]) -> dict[int, Placement]:
    """The placements a save writes to, fetched through `access` (one query)."""
    ids = set(ids)
    if not ids:
        return {}
    return {
        placement.id: placement
        for placement in db.session.scalars(visible(Placement, user).where(Placement.id.in_(ids)))
    }


def day_placement_ids(user: User, day: date, today: date) -> set[int]:
    """The ids of the placements on `day`'s register (for taking a save's locks)."""
    return set(
        db.session.scalars(
            visible(Placement, user)
            .with_only_columns(Placement.id)
            .where(
                Placement.provider_id == user.organisation_id,
                in_dates_clause(day, day, today),
                Placement.session_mask.bitwise_and(day_bits(day)) != 0,
            )
        )
    )


# ---- rates -------------------------------------------------------------------------------------


class Rate(NamedTuple):
    """Present sessions as a percentage of sessions counted ("not required" is not counted)."""

    rate: Decimal | None
    present: int
    counted: int


def rate_of(present: int, counted: int) -> Decimal | None:
    """The same sum as placements.rules.attendance_rate, from counts."""
    if not counted:
        return None
    return (Decimal(100) * present / counted).quantize(Decimal("0.1"))


def session_sums(placement_ids) -> Select:
    """(placement_id, present, counted) for each placement of `placement_ids` (ids, or a
    select of them) that has any session recorded: the sums a rate is worked out from."""
    present = func.sum(case((Attendance.code == AttendanceCode.PRESENT, 1), else_=0))
    counted = func.sum(case((Attendance.code != AttendanceCode.NOT_REQUIRED, 1), else_=0))
    return (
        select(Attendance.placement_id, present.label("present"), counted.label("counted"))
        .where(Attendance.placement_id.in_(placement_ids))
        .group_by(Attendance.placement_id)
    )


def attendance_rates(placement_ids: Iterable[int]) -> dict[int, Rate]:
    """Each placement's rate, present and counted sessions, in one query. Pass ids the caller
    has already fetched through `access`; a placement with nothing recorded gets (None, 0, 0)."""
    ids = set(placement_ids)
    if not ids:
        return {}
    rates = {placement_id: Rate(None, 0, 0) for placement_id in ids}
    for placement_id, present, counted in db.session.execute(session_sums(ids)):
        present, counted = int(present or 0), int(counted or 0)
        rates[placement_id] = Rate(rate_of(present, counted), present, counted)
    return rates


# ---- today ---------------------------------------------------------------------------------------


class Attention(StrEnum):
    NOT_RECORDED = "not_recorded"
    UNAUTHORISED = "unauthorised"

    @property
    def label(self) -> str:
        return {"not_recorded": "Not recorded", "unauthorised": "Unauthorised absence"}[self.value]


@dataclass(frozen=True)
class AttentionItem:
    """A session today a school should know about."""

    placement_id: int
    pupil_name: str
    provider_name: str
    session: Session
    what: Attention


def school_attention_today(
    school_id: int, today: date, *, keep: Keep = build_anew
) -> list[AttentionItem]:
    """For the school's placements running today: sessions in the pattern not yet recorded,
    and unauthorised absences. One query, a row for each placement with both of today's
    marks: the placements from the ranges of ix_placements_running (the school tested there,
    not walked: a school has thousands of placements over the years, a few hundred running),
    the marks by the attendance key. `keep` may keep the statement (summaries.Keep)."""
    rows = db.session.execute(keep("attention today", lambda: _attention_today(school_id, today)))
    items = []
    for placement_id, mask, first, last, provider_name, *codes in rows:
        for half, session in enumerate(SESSIONS):
            code = codes[half]
            if code is AttendanceCode.UNAUTHORISED:
                what = Attention.UNAUTHORISED
            elif code is None and attends(mask, today, half):
                what = Attention.NOT_RECORDED
            else:
                continue
            items.append(
                AttentionItem(placement_id, f"{first} {last}", provider_name, session, what)
            )
    return items


def _attention_today(school_id: int, today: date) -> Select:
    """`school_attention_today`'s statement."""
    running = running_union(
        select(Placement.id, Placement.session_mask, Placement.pupil_id, Placement.provider_id)
        .where(not_indexed(Placement.school_id) == school_id)
        .order_by(None),
        **during(today, today),
    ).subquery("running")
    r = running.c
    morning, afternoon = aliased(Attendance), aliased(Attendance)

    def mark(alias, session: Session):
        return and_(alias.placement_id == r.id, alias.date == today, alias.session == session)

    return (
        select(
            r.id,
            r.session_mask,
            Pupil.first_name,
            Pupil.last_name,
            Organisation.name,
            morning.code,
            afternoon.code,
        )
        .select_from(running)
        .join(Pupil, Pupil.id == r.pupil_id)
        .join(Organisation, Organisation.id == r.provider_id)
        .outerjoin(morning, mark(morning, Session.AM))
        .outerjoin(afternoon, mark(afternoon, Session.PM))
        .order_by(Pupil.last_name, Pupil.first_name, r.id)
    )


def sessions_to_record_today(provider_id: int, today: date) -> Select | None:
    """How many of today's sessions, in the patterns of the provider's placements running
    today, are not yet recorded: a select of that one number, for a page to ask beside its
    other figures (None at the weekend, when there is nothing to record). The placements
    are read from the ranges of ix_placements_running (the provider tested there, not walked
    through all it ever had), the marks by the attendance key."""
    if today.weekday() >= 5:
        return None
    running = running_union(
        select(Placement.id, Placement.session_mask)
        .where(not_indexed(Placement.provider_id) == provider_id)
        .order_by(None),
        **during(today, today),
    ).subquery("running")
    r = running.c

    def due(half: int):
        in_pattern = r.session_mask.bitwise_and(slot_bit(today.weekday(), half)) != 0
        recorded = exists().where(
            Attendance.placement_id == r.id,
            Attendance.date == today,
            Attendance.session == SESSIONS[half],
        )
        return case((and_(in_pattern, ~recorded), 1), else_=0)

    return select(func.coalesce(func.sum(due(0) + due(1)), 0)).select_from(running)


def provider_sessions_to_record_today(provider_id: int, today: date) -> int:
    """`sessions_to_record_today`, asked on its own. One query (none at the weekend)."""
    stmt = sessions_to_record_today(provider_id, today)
    return 0 if stmt is None else int(db.session.scalar(stmt) or 0)


# ---- one placement's recent weeks ---------------------------------------------------------------


def recent_weeks(placement: Placement, today: date, weeks: int = 4) -> list[AttendanceWeek]:
    """Up to `weeks` weeks, oldest first, ending with the week of today (or of the placement's
    end, if it has ended) and starting no earlier than the week it started. One query. Pass a
    placement the caller has fetched through `access`."""
    end = run_end(placement.planned_end, placement.actual_end, today)
    last_monday = week_monday(min(today, end))
    first_monday = max(last_monday - timedelta(weeks=weeks - 1), week_monday(placement.start_date))
    if weeks < 1 or first_monday > last_monday:
        return []
    rows = db.session.execute(
        select(Attendance.date, Attendance.session, Attendance.code).where(
            Attendance.placement_id == placement.id,
            Attendance.date.between(first_monday, last_monday + timedelta(days=4)),
        )
    )
    recorded = {(day, session): code for day, session, code in rows}
    count = (last_monday - first_monday).days // 7 + 1
    return [
        build_week(
            placement.id,
            placement.session_mask,
            placement.start_date,
            end,
            first_monday + timedelta(weeks=n),
            recorded,
            today,
        )
        for n in range(count)
    ]


def placement_attendance(placement: Placement, today: date, weeks: int = 4) -> dict:
    """The variables `attendance/_placement_attendance.html` needs, in two queries."""
    return {
        "attendance_weeks": recent_weeks(placement, today, weeks),
        "attendance_rate": attendance_rates([placement.id])[placement.id],
        "arranged_by_la": arranged_by_la(placement),
    }


def arranged_by_la(placement: Placement) -> bool:
    """Whether the LA commissioned the placement: present sessions are then K, not B."""
    from apregister.models import OrganisationKind

    return placement.commissioner.kind is OrganisationKind.LA
