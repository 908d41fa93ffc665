"""Checking and writing an import job's file: the same code for the worker, a small file in
the request, and `flask import-providers`.

Checking reads every row and keeps the counts, the preview and every row's errors on the job;
it writes nothing else. Writing checks every row again (the register may have changed since
the preview) and writes the valid ones in ONE transaction, so a failure part way leaves
nothing behind; each change is logged as imported from the file, by name and checksum.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

from apregister.audit import acting_as, noting
from apregister.extensions import db
from apregister.imports.columns import match_headings
from apregister.imports.files import FormulaCell, ImportFileError, read_table
from apregister.imports.kinds.base import Action, CheckedRow, ImportKind, RowError
from apregister.imports.kinds.registry import KINDS
from apregister.models import LaSettings, User

PREVIEW_ROWS = 50  # of each of create and update, on the preview page
BATCH = 500
PROGRESS_EVERY = 1000
FORMULA = (
    "This cell holds a formula, not a value. Copy the column and paste it back as values, "
    "then import the file again"
)

Progress = Callable[[int], None]


class StopImport(Exception):
    """The write cannot go on (rows that are now invalid): nothing is kept."""


@dataclass
class Outcome:
    counts: Counter
    errors: list[RowError]
    preview: dict[str, Any]
    total: int
    encoding: str | None = None  # a CSV's: "UTF-8" or "Windows-1252"


def count_rows(content: bytes) -> int:
    """The number of rows to check, read (and so the file's shape tested) before any check."""
    return sum(1 for _ in read_table(content).rows)


def _rows(kind: ImportKind, content: bytes, matched_out: dict) -> Iterator[tuple[int, dict]]:
    table = read_table(content)
    matched = match_headings(table.headings, kind.columns)
    if matched.problems:
        raise ImportFileError(". ".join(matched.problems))
    matched_out["unused"] = matched.unused
    matched_out["encoding"] = table.encoding
    keys = [column.key for column in kind.columns]
    for line, row in table.rows:
        yield line, matched.cells(row, keys)


def _checked(kind: ImportKind, context: Any, line: int, cells: dict[str, str]) -> CheckedRow:
    formulas = [key for key, value in cells.items() if isinstance(value, FormulaCell)]
    if formulas:
        headings = {column.key: column.heading for column in kind.columns}
        return CheckedRow(
            line,
            Action.INVALID,
            errors=[RowError(line, headings[key], FORMULA) for key in formulas],
        )
    return kind.check(context, line, cells)


def check(
    kind: ImportKind,
    content: bytes,
    *,
    today: date,
    settings: LaSettings,
    progress: Progress = lambda done: None,
) -> Outcome:
    """Every row checked, nothing written."""
    context = kind.prepare(today=today, settings=settings)
    counts: Counter = Counter()
    errors: list[RowError] = []
    shape: dict = {}
    preview: dict[str, Any] = {"create": [], "update": []}
    done = 0
    for line, cells in _rows(kind, content, shape):
        row = _checked(kind, context, line, cells)
        counts[row.action.value] += 1
        errors.extend(row.errors)
        if row.action is Action.CREATE and len(preview["create"]) < PREVIEW_ROWS:
            preview["create"].append([line, row.key, row.summary])
        elif row.action is Action.UPDATE and len(preview["update"]) < PREVIEW_ROWS:
            preview["update"].append([line, row.key, row.summary, list(row.changed)])
        done += 1
        if done % PROGRESS_EVERY == 0:
            progress(done)
    preview["unused"] = shape.get("unused", [])
    return Outcome(counts, errors, preview, done, shape.get("encoding"))


def write(
    kind: ImportKind,
    content: bytes,
    *,
    detail: str,
    only_valid: bool,
    today: date,
    settings: LaSettings,
    by: User | None,
    progress: Progress = lambda done: None,
) -> Counter:
    """Check every row again and write the valid ones; the caller commits (once). Raises
    StopImport, having written nothing the caller should keep, when a row is invalid and the
    lead did not choose to import only the valid rows."""
    context = kind.prepare(today=today, settings=settings)
    counts: Counter = Counter()
    batch: list[CheckedRow] = []
    done = 0
    with acting_as(by), noting(detail):
        for line, cells in _rows(kind, content, {}):
            row = _checked(kind, context, line, cells)
            counts[row.action.value] += 1
            if row.action is Action.INVALID and not only_valid:
                raise StopImport(
                    f"Row {line} now has errors (the register has changed since the file "
                    f"was checked): {row.errors[0].message}. Nothing was imported. Check "
                    "the file again"
                )
            if row.action in (Action.CREATE, Action.UPDATE):
                batch.append(row)
            done += 1
            if len(batch) >= BATCH:
                _write_batch(kind, context, batch, by)
                batch = []
            if done % PROGRESS_EVERY == 0:
                progress(done)
        if batch:
            _write_batch(kind, context, batch, by)
    counts["written"] = counts[Action.CREATE.value] + counts[Action.UPDATE.value]
    return counts


def _write_batch(kind: ImportKind, context: Any, batch: list[CheckedRow], by: User | None):
    kind.write(context, batch, by=by)
    db.session.flush()


def kind_named(name: str) -> ImportKind:
    return KINDS[name]
