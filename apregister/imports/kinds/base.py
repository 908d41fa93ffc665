"""The shape every kind of import has: its columns, a check of one row, and a batch write.

The engine (apregister/imports/engine.py) reads the file, matches its headings to a kind's
columns, calls `prepare` once, `check` for every row in file order, and, when the lead has
confirmed, `write` for batches of the rows that came out CREATE or UPDATE (checked again at
that moment, so the register may have changed since the preview). A kind never commits.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Any, Protocol

from apregister.models import LaSettings, User


@dataclass(frozen=True)
class Column:
    key: str  # the name the kind reads the cell by, e.g. "date_of_birth"
    heading: str  # the heading in the template, e.g. "Date of birth"
    variants: tuple[str, ...] = ()  # other headings that mean the same, e.g. ("DOB",)
    required: bool = False  # the column must be in the file (a cell may still be optional)
    example: str = ""  # the template's row of example data
    guidance: str = ""  # one or two sentences for the template's guidance sheet


@dataclass(frozen=True)
class RowError:
    line: int  # the row of the file (the heading row is 1)
    column: str | None  # the column's heading, or None for the row as a whole
    message: str  # plain words, as the forms say it: "Enter the pupil's date of birth"


class Action(StrEnum):
    CREATE = "create"
    UPDATE = "update"
    UNCHANGED = "unchanged"  # already on the register just so: importing it again does nothing
    INVALID = "invalid"


@dataclass
class CheckedRow:
    line: int
    action: Action
    errors: list[RowError] = field(default_factory=list)  # INVALID exactly when not empty
    key: str = ""  # what the row is matched by: a UPN, a URN, a provider's reference
    summary: str = ""  # a short description for the preview ("Placement at X from 3 March 2025")
    changed: tuple[str, ...] = ()  # for UPDATE: the headings of the columns that change
    values: Any = None  # whatever `write` needs; never stored, never logged


class ImportKind(Protocol):
    name: str  # in URLs and on the job row: "providers", "schools", "pupils", "placements"
    label: str  # "Placements"
    noun: str  # "placement", "placements" are made from it with an "s"
    matched_by: str  # the sentence for the preview: "Pupils are matched by UPN"
    columns: tuple[Column, ...]

    def prepare(self, *, today: date, settings: LaSettings) -> Any:
        """What every row is checked against, read once (a few queries, whatever the file's
        size): e.g. the UPNs already on the register and their pupils' ids."""

    def check(self, context: Any, line: int, cells: Mapping[str, str]) -> CheckedRow:
        """One row: `cells` maps every column key to the cell's text, stripped, "" when blank
        or when the column is not in the file. Never raises for bad data. Remembers the row in
        `context` so a later row that repeats it (the same UPN twice) is an error."""

    def write(self, context: Any, rows: Sequence[CheckedRow], *, by: User | None) -> None:
        """Create or update the records of a batch of CREATE and UPDATE rows, through the ORM
        (so the audit hook logs them); flush, never commit."""
