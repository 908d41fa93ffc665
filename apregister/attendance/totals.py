"""Attendance day totals (models/kpi.py: AttendanceDayTotal), kept in step with attendance.

One session hook sees every attendance row the ORM inserts, changes or deletes and adds the
difference to the totals of that day and the pupil's school phase, in the same transaction.
The totals are upserted as increments, in a fixed order, so two providers saving registers
at once on PostgreSQL queue on the row rather than lose a count. An increment is only right if
the attendance row it starts from was read under a lock that keeps other writers of the row
out until commit: the register's save takes it first (saving.py). Bulk loads that bypass the
ORM (seed-scale) call `rebuild`; so does `flask rebuild-attendance-totals`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date
from typing import Any

from sqlalchemy import String, case, delete, event, func, insert, inspect, literal, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from apregister.models import (
    NO_SCHOOL_PHASE,
    Attendance,
    AttendanceCode,
    AttendanceDayTotal,
    Placement,
    School,
)
from apregister.models.base import UTCDateTime, utcnow

KEYS = ("placement_id", "date", "code")
Delta = list[int]  # [present, counted]


def counts(code: AttendanceCode | str) -> tuple[int, int]:
    """(present, counted) for one session with `code`."""
    code = AttendanceCode(code)
    return int(code is AttendanceCode.PRESENT), int(code is not AttendanceCode.NOT_REQUIRED)


def _stored(obj: Any, key: str) -> Any:
    """The value in the database before this flush."""
    history = inspect(obj).attrs[key].history
    if history.deleted:
        return history.deleted[0]
    if history.unchanged:
        return history.unchanged[0]
    return inspect(obj).dict.get(key)


def _current(obj: Any, key: str) -> Any:
    return inspect(obj).dict.get(key)


def _changed(obj: Any, keys: Iterable[str]) -> bool:
    state = inspect(obj)
    return any(state.attrs[key].history.has_changes() for key in keys)


def session_changes(session: Session) -> dict[tuple[int, date], Delta]:
    """(placement id, day) -> [present, counted] added by this flush's attendance changes."""
    deltas: dict[tuple[int, date], Delta] = defaultdict(lambda: [0, 0])

    def add(values: tuple, sign: int) -> None:
        placement_id, day, code = values
        present, counted = counts(code)
        delta = deltas[(placement_id, day)]
        delta[0] += sign * present
        delta[1] += sign * counted

    for obj in session.new:
        if isinstance(obj, Attendance):
            add(tuple(_current(obj, key) for key in KEYS), 1)
    for obj in session.deleted:
        if isinstance(obj, Attendance):
            add(tuple(_stored(obj, key) for key in KEYS), -1)
    for obj in session.dirty:
        if isinstance(obj, Attendance) and _changed(obj, KEYS):
            add(tuple(_stored(obj, key) for key in KEYS), -1)
            add(tuple(_current(obj, key) for key in KEYS), 1)
    return {key: delta for key, delta in deltas.items() if delta != [0, 0]}


def _regrouped(session: Session) -> bool:
    """Whether this flush moves recorded sessions to another phase: a school's phase, or a
    placement's school, changed. Neither happens in the application; a rebuild covers it."""
    for obj in session.dirty:
        if isinstance(obj, School) and _changed(obj, ("phase",)):
            return True
        if isinstance(obj, Placement) and _changed(obj, ("school_id",)):
            return True
    return False


def _phase_column():
    schools = School.__table__
    return func.coalesce(schools.c.phase, literal(NO_SCHOOL_PHASE), type_=String)


def _phases(connection: Connection, placement_ids: set[int]) -> dict[int, str]:
    placements, schools = Placement.__table__, School.__table__
    rows = connection.execute(
        select(placements.c.id, _phase_column())
        .select_from(placements.outerjoin(schools, schools.c.id == placements.c.school_id))
        .where(placements.c.id.in_(placement_ids))
    )
    return dict(rows.all())


def _upsert(connection: Connection, rows: list[dict]) -> None:
    table = AttendanceDayTotal.__table__
    dialect_insert = postgresql.insert if connection.dialect.name == "postgresql" else sqlite.insert
    stmt = dialect_insert(table)
    stmt = stmt.on_conflict_do_update(
        index_elements=[table.c.day, table.c.school_phase],
        set_={
            "present": table.c.present + stmt.excluded.present,
            "counted": table.c.counted + stmt.excluded.counted,
            "updated_at": stmt.excluded.updated_at,
        },
    )
    connection.execute(stmt, rows)


def apply(connection: Connection, deltas: dict[tuple[int, date], Delta]) -> None:
    """Add `deltas` (from `session_changes`) to the day totals."""
    if not deltas:
        return
    phases = _phases(connection, {placement_id for placement_id, _ in deltas})
    by_day: dict[tuple[date, str], Delta] = defaultdict(lambda: [0, 0])
    for (placement_id, day), (present, counted) in deltas.items():
        total = by_day[(day, phases.get(placement_id, NO_SCHOOL_PHASE))]
        total[0] += present
        total[1] += counted
    now = utcnow()
    rows = [
        {
            "day": day,
            "school_phase": phase,
            "present": present,
            "counted": counted,
            "created_at": now,
            "updated_at": now,
        }
        # sorted, so that concurrent transactions lock the rows in the same order
        for (day, phase), (present, counted) in sorted(by_day.items())
        if (present, counted) != (0, 0)
    ]
    if rows:
        _upsert(connection, rows)


def rebuild(connection: Connection) -> int:
    """Recompute every day total from the attendance rows; returns how many there are."""
    attendance, placements, schools = (
        Attendance.__table__,
        Placement.__table__,
        School.__table__,
    )
    table = AttendanceDayTotal.__table__
    phase = _phase_column()
    now = literal(utcnow(), UTCDateTime())
    present = AttendanceCode.PRESENT.value
    not_required = AttendanceCode.NOT_REQUIRED.value
    connection.execute(delete(table))
    source = (
        select(
            attendance.c.date,
            phase,
            func.sum(case((attendance.c.code == present, 1), else_=0)),
            func.sum(case((attendance.c.code != not_required, 1), else_=0)),
            now,
            now,
        )
        .select_from(
            attendance.join(placements, placements.c.id == attendance.c.placement_id).outerjoin(
                schools, schools.c.id == placements.c.school_id
            )
        )
        .group_by(attendance.c.date, phase)
    )
    connection.execute(
        insert(table).from_select(
            ["day", "school_phase", "present", "counted", "created_at", "updated_at"], source
        )
    )
    return connection.execute(select(func.count()).select_from(table)).scalar_one()


def _after_flush(session: Session, flush_context: Any) -> None:
    if _regrouped(session):
        rebuild(session.connection())
        return
    apply(session.connection(), session_changes(session))


def install(session_class: Any) -> None:
    """Attach the hook to the application's session class (once)."""
    if not event.contains(session_class, "after_flush", _after_flush):
        event.listen(session_class, "after_flush", _after_flush)
