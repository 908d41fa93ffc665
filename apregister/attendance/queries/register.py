"""The provider's register for one day, and the placements a save may touch."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from functools import cached_property

from sqlalchemy import and_
from sqlalchemy.orm import aliased

from apregister.access import visible
from apregister.attendance.queries.weeks import (
    SESSIONS,
    SessionCell,
    in_dates_clause,
    planned,
    recordable,
)
from apregister.extensions import db
from apregister.models import Attendance, Placement, Pupil, Session, User
from apregister.placements.rules import run_end, slot_bit
from apregister.pupils.rules import year_group, year_group_label


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
