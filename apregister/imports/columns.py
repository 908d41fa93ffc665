"""Matching a file's headings to a kind's columns, by name, with the common variants."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from apregister.imports.kinds.base import Column

_NOT_LETTERS = re.compile(r"[^a-z0-9]+")


def folded(heading: str) -> str:
    """'Date of birth', 'date_of_birth' and 'DATE-OF-BIRTH ' all fold to 'dateofbirth'."""
    return _NOT_LETTERS.sub("", heading.lower())


@dataclass
class Matched:
    positions: dict[str, int] = field(default_factory=dict)  # column key -> index in a row
    unused: list[str] = field(default_factory=list)  # headings that match no column
    problems: list[str] = field(default_factory=list)  # the file cannot be imported while any

    def cells(self, row: Sequence[str], keys: Sequence[str]) -> dict[str, str]:
        cells = dict.fromkeys(keys, "")
        for key, index in self.positions.items():
            if index < len(row):
                cells[key] = row[index]
        return cells


def match_headings(headings: Sequence[str], columns: Sequence[Column]) -> Matched:
    names: dict[str, Column] = {}
    for column in columns:
        for name in (column.heading, column.key, *column.variants):
            names.setdefault(folded(name), column)
    matched = Matched()
    seen: dict[str, str] = {}
    for index, heading in enumerate(headings):
        if not heading:
            continue
        column = names.get(folded(heading))
        if column is None:
            matched.unused.append(heading)
            continue
        if column.key in matched.positions:
            matched.problems.append(
                f"The columns '{seen[column.key]}' and '{heading}' both hold "
                f"{column.heading.lower()}: keep one of them"
            )
            continue
        matched.positions[column.key] = index
        seen[column.key] = heading
    for column in columns:
        if column.required and column.key not in matched.positions:
            also = f" (or {', '.join(repr(v) for v in column.variants)})" if column.variants else ""
            matched.problems.append(f"The file has no '{column.heading}' column{also}")
    return matched
