"""Importing schools: matched by URN; a new one becomes an organisation of kind school, which
pupils can then belong to and school users can be invited to."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select

from apregister.extensions import db
from apregister.imports.cells import CellError, RowReader, one_of
from apregister.imports.kinds.base import Action, CheckedRow, Column
from apregister.models import LaSettings, Organisation, School, SchoolPhase, User
from apregister.providers.rules import urn_problem

NAME_LENGTH = Organisation.__mapper__.columns["name"].type.length

COLUMNS = (
    Column(
        "urn",
        "URN",
        ("School URN", "urn"),
        required=True,
        example="140001",
        guidance="The school's 6-digit unique reference number on GIAS. Required.",
    ),
    Column(
        "name",
        "Name",
        ("School name", "School", "name"),
        required=True,
        example="Northfield Academy",
        guidance="Required for a school new to the register.",
    ),
    Column(
        "phase",
        "Phase",
        ("School phase", "Phase of education", "phase"),
        required=True,
        example="Secondary",
        guidance="Primary, Secondary, All-through or Special. "
        "Required for a school new to the register.",
    ),
)
BY_KEY = {column.key: column for column in COLUMNS}
_PHASE = one_of(
    SchoolPhase,
    "a school phase",
    extra={"all through": SchoolPhase.ALL_THROUGH, "through": SchoolPhase.ALL_THROUGH},
)


def _urn(raw: str) -> str:
    problem = urn_problem(raw)
    if problem:
        raise CellError(problem)
    return raw


def _name(raw: str) -> str:
    if len(raw) > NAME_LENGTH:
        raise CellError(f"The school's name must be {NAME_LENGTH} characters or fewer")
    return " ".join(raw.split())


@dataclass
class SchoolsContext:
    schools: dict[str, tuple[int, str, SchoolPhase]]  # URN: id, name, phase
    seen: dict[str, int] = field(default_factory=dict)  # URN: the row it was first on


class SchoolsKind:
    name = "schools"
    label = "Schools"
    noun = "school"
    matched_by = "Schools are matched by URN"
    columns: tuple[Column, ...] = COLUMNS

    def prepare(self, *, today: date, settings: LaSettings) -> SchoolsContext:
        rows = db.session.execute(select(School.id, School.urn, School.name, School.phase))
        return SchoolsContext({row.urn: (row.id, row.name, row.phase) for row in rows if row.urn})

    def check(self, context: SchoolsContext, line: int, cells: Mapping[str, str]) -> CheckedRow:
        reader = RowReader(line, cells, BY_KEY)
        urn = reader.read("urn", _urn, missing="Enter the school's URN")
        existing = context.schools.get(urn) if urn else None
        new = existing is None
        name = reader.read("name", _name, missing="Enter the school's name" if new else None)
        phase = reader.read("phase", _PHASE, missing="Enter the school's phase" if new else None)
        if urn:
            earlier = context.seen.setdefault(urn, line)
            if earlier != line:
                reader.error("urn", f"This URN is also on row {earlier}")
        if reader.errors:
            return CheckedRow(line, Action.INVALID, reader.errors, key=urn or "")
        if existing is None:
            return CheckedRow(
                line,
                Action.CREATE,
                key=urn,
                summary=f"New school: {name}",
                values=(urn, name, phase),
            )
        school_id, old_name, old_phase = existing
        changed = {
            key: value
            for key, value, old in (("name", name, old_name), ("phase", phase, old_phase))
            if value is not None and value != old
        }
        if not changed:
            return CheckedRow(line, Action.UNCHANGED, key=urn, summary=old_name)
        return CheckedRow(
            line,
            Action.UPDATE,
            key=urn,
            summary=old_name,
            changed=tuple(BY_KEY[key].heading for key in changed),
            values=(school_id, changed),
        )

    def write(
        self, context: SchoolsContext, rows: Sequence[CheckedRow], *, by: User | None
    ) -> None:
        updates = {row.values[0]: row.values[1] for row in rows if row.action is Action.UPDATE}
        if updates:
            for school in db.session.scalars(select(School).where(School.id.in_(updates))):
                for key, value in updates[school.id].items():
                    setattr(school, key, value)
        for row in rows:
            if row.action is Action.CREATE:
                urn, name, phase = row.values
                db.session.add(School(urn=urn, name=name, phase=phase))
        db.session.flush()


KIND = SchoolsKind()
