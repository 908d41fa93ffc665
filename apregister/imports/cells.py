"""Reading one spreadsheet cell: dates, choices, yes/no, numbers and lists, in plain words.

Each parser takes the cell's text (already stripped, never blank: a kind decides what a blank
cell means) and returns the value, or raises `CellError` whose message the kind reports
against that column.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from datetime import date
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import Any, TypeVar

from apregister.forms import TEXT_AREA_CONTROLS, control_characters
from apregister.imports.kinds.base import Column, RowError

E = TypeVar("E", bound=StrEnum)
T = TypeVar("T")
LIST_SEPARATOR = ";"
MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ),
        start=1,
    )
    for name in names
}
_ISO = re.compile(r"([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})(?:[ T]00:00(?::00)?)?")
_SLASHED = re.compile(r"([0-9]{1,2})[/.]([0-9]{1,2})[/.]([0-9]{4})")
_WORDS = re.compile(r"([0-9]{1,2})(?:st|nd|rd|th)?\s+([a-z]+)\.?,?\s+([0-9]{4})")
DATE_MESSAGE = "Enter a real date, like 3/3/2025 or 3 March 2025"
YES = frozenset({"yes", "y", "true", "1"})
NO = frozenset({"no", "n", "false", "0"})


class CellError(Exception):
    """The cell cannot be read; the message says what to write instead."""

    @property
    def message(self) -> str:
        return str(self.args[0])


def fold(text: str) -> str:
    """A choice as it is compared: lower case, without spaces, underscores or hyphens."""
    return re.sub(r"[\s_\-]+", "", text.lower())


def parse_date(raw: str) -> date:
    """A date in a UK form: 2025-03-03, 3/3/2025, 03/03/2025, 3 March 2025 or 3 Mar 2025. Day
    first, never month first."""
    text = raw.strip().lower()
    parts: tuple[int, int, int] | None = None
    if match := _ISO.fullmatch(text):
        parts = int(match[1]), int(match[2]), int(match[3])
    elif match := _SLASHED.fullmatch(text):
        parts = int(match[3]), int(match[2]), int(match[1])
    elif (match := _WORDS.fullmatch(text)) and match[2] in MONTHS:
        parts = int(match[3]), MONTHS[match[2]], int(match[1])
    if parts is None:
        raise CellError(DATE_MESSAGE)
    try:
        return date(*parts)
    except ValueError:
        raise CellError(DATE_MESSAGE) from None


def one_of(enum: type[E], noun: str, *, extra: Mapping[str, E] | None = None) -> Callable[[str], E]:
    """A parser for a member of `enum` by its value or its label, ignoring case, spaces,
    underscores and hyphens ("EHC plan", "ehc_plan"); `extra` adds other spellings."""
    lookup: dict[str, E] = {}
    for member in enum:
        for spelling in (member.value, getattr(member, "label", member.value), member.name):
            lookup.setdefault(fold(spelling), member)
    for spelling, member in (extra or {}).items():
        lookup.setdefault(fold(spelling), member)
    allowed = ", ".join(getattr(member, "label", member.value) for member in enum)

    def parse(raw: str) -> E:
        member = lookup.get(fold(raw))
        if member is None:
            raise CellError(f"'{raw}' is not {noun}. Use one of: {allowed}")
        return member

    return parse


def parse_yes_no(raw: str) -> bool:
    word = raw.strip().lower()
    if word in YES:
        return True
    if word in NO:
        return False
    raise CellError("Enter yes or no")


def parse_decimal(
    raw: str, *, places: int, low: Decimal, high: Decimal, message: str, pounds: bool = False
) -> Decimal:
    """A number with at most `places` decimal places, from `low` to `high`; `message` says
    what to enter. Money may have a pound sign and thousands commas."""
    text = raw.strip()
    if pounds:
        text = text.removeprefix("£").strip()
        if re.fullmatch(r"[0-9]{1,3}(,[0-9]{3})+(\.[0-9]+)?", text):
            text = text.replace(",", "")
    if not re.fullmatch(r"-?[0-9]+(\.[0-9]+)?", text):
        raise CellError(message)
    try:
        value = Decimal(text)
    except InvalidOperation:  # pragma: no cover - the pattern admits only numbers
        raise CellError(message) from None
    if value != value.quantize(Decimal(1).scaleb(-places)) or not low <= value <= high:
        raise CellError(message)
    return value.quantize(Decimal(1).scaleb(-places))


def parse_whole(raw: str, *, low: int, high: int, message: str) -> int:
    text = raw.strip()
    if re.fullmatch(r"[0-9]+\.0+", text):  # a spreadsheet's 12.0
        text = text.split(".")[0]
    if not re.fullmatch(r"-?[0-9]+", text) or not low <= int(text) <= high:
        raise CellError(message)
    return int(text)


def parse_list(raw: str, parse_one: Callable[[str], T]) -> list[T]:
    """Items separated by ";", each read by `parse_one`; blanks and repeats are dropped. Every
    item's problem is reported at once."""
    items: list[T] = []
    problems: list[str] = []
    for part in raw.split(LIST_SEPARATOR):
        if not part.strip():
            continue
        try:
            item = parse_one(part.strip())
        except CellError as problem:
            problems.append(problem.message)
            continue
        if item not in items:
            items.append(item)
    if problems:
        raise CellError("; ".join(dict.fromkeys(problems)))
    return items


def parse_text(raw: str, *, max_length: int | None, what: str, multi_line: bool = False) -> str:
    """Text, without control characters (a text area may have line breaks and tabs)."""
    if control_characters(raw, TEXT_AREA_CONTROLS if multi_line else frozenset()):
        raise CellError("Remove the special characters, such as tabs or control codes")
    if max_length is not None and len(raw) > max_length:
        raise CellError(f"{what} must be {max_length} characters or fewer")
    return raw


class RowReader:
    """Reads one row's cells for a kind, collecting a RowError per bad cell, by heading."""

    def __init__(self, line: int, cells: Mapping[str, str], columns: Mapping[str, Column]):
        self.line = line
        self.cells = cells
        self.columns = columns
        self.errors: list[RowError] = []

    def error(self, key: str | None, message: str) -> None:
        column = self.columns[key].heading if key is not None else None
        self.errors.append(RowError(self.line, column, message))

    def raw(self, key: str) -> str:
        return self.cells.get(key, "")

    def read(self, key: str, parse: Callable[[str], Any], *, missing: str | None = None) -> Any:
        """The cell's value; None when it is blank (an error first if `missing` says it must
        not be) or when it cannot be read (the error is kept)."""
        raw = self.cells.get(key, "")
        if not raw:
            if missing:
                self.error(key, missing)
            return None
        try:
            return parse(raw)
        except CellError as problem:
            self.error(key, problem.message)
            return None

    def text(
        self,
        key: str,
        *,
        max_length: int | None,
        what: str,
        multi_line: bool = False,
        missing: str | None = None,
    ) -> str | None:
        return self.read(
            key,
            lambda raw: parse_text(raw, max_length=max_length, what=what, multi_line=multi_line),
            missing=missing,
        )
