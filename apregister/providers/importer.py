"""Check a CSV file of providers for `flask import-providers`: every row, before any is written.

The columns are named like the fields of `ProviderDetails`, plus `framework_status`. Problems are
reported by the file's line number (the header is line 1) and the column, in plain words.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Any

from email_validator import EmailNotValidError, validate_email
from sqlalchemy import Numeric, select

from apregister.extensions import db
from apregister.forms import TEXT_AREA_CONTROLS, control_characters
from apregister.models import (
    FrameworkStatus,
    KeyStage,
    OfstedJudgement,
    Provider,
    ProvisionType,
    RegistrationType,
    Specialism,
)
from apregister.models.provider import name_key
from apregister.providers import rules
from apregister.providers.operations import ProviderDetails

DETAIL_COLUMNS = tuple(f.name for f in fields(ProviderDetails))
COLUMNS = (*DETAIL_COLUMNS, "framework_status")
REQUIRED_COLUMNS = ("name", "registration_type")
DEFAULT_STATUS = FrameworkStatus.APPLIED
LIST_SEPARATOR = ";"
MAX_INTEGER = 2**31 - 1  # what an INTEGER column holds on PostgreSQL
MULTI_LINE_COLUMNS = frozenset({"description", "internal_notes"})  # text areas on the form


class ImportFileError(Exception):
    """The file as a whole cannot be read (not UTF-8, not CSV, wrong columns)."""


@dataclass(frozen=True)
class RowError:
    line: int
    column: str | None
    message: str

    def __str__(self) -> str:
        where = f"row {self.line}, {self.column}" if self.column else f"row {self.line}"
        return f"{where}: {self.message}"


@dataclass(frozen=True)
class ImportRow:
    line: int
    details: ProviderDetails
    status: FrameworkStatus


@dataclass
class CheckedImport:
    rows: list[ImportRow] = field(default_factory=list)  # the valid rows, in file order
    errors: list[RowError] = field(default_factory=list)

    @property
    def invalid_rows(self) -> int:
        return len({error.line for error in self.errors})


@dataclass(frozen=True)
class Register:
    """What is already on the register, keyed the way duplicates are found, to the name."""

    names: Mapping[str, str]
    urns: Mapping[str, str]
    ukprns: Mapping[str, str]


def current_register() -> Register:
    rows = db.session.execute(
        select(Provider.name, Provider.name_key, Provider.urn, Provider.ukprn)
    ).all()
    return Register(
        names={row.name_key: row.name for row in rows},
        urns={row.urn: row.name for row in rows if row.urn},
        ukprns={row.ukprn: row.name for row in rows if row.ukprn},
    )


def decode(data: bytes) -> str:
    """The file's text; a byte order mark (as Excel writes) is dropped."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportFileError(
            "The file is not UTF-8 text. Save it as 'CSV UTF-8 (comma delimited)' and try again"
        ) from None


# ---- one cell ---------------------------------------------------------------------------------


class _Invalid(Exception):
    pass


def _fold(text: str) -> str:
    return " ".join(text.lower().replace("_", " ").replace("-", " ").split())


def _one_of(enum: type[StrEnum], noun: str) -> Callable[[str], StrEnum]:
    """Accept a member's value or its label, ignoring case."""
    lookup: dict[str, StrEnum] = {}
    for member in enum:
        for spelling in (member.value, getattr(member, "label", member.value)):
            lookup.setdefault(_fold(spelling), member)
    allowed = ", ".join(member.value for member in enum)

    def parse(raw: str) -> StrEnum:
        member = lookup.get(_fold(raw))
        if member is None:
            raise _Invalid(f"'{raw}' is not {noun}. Use one of: {allowed}")
        return member

    return parse


def _many(enum: type[StrEnum], noun: str) -> Callable[[str], list[StrEnum]]:
    one = _one_of(enum, noun)

    def parse(raw: str) -> list[StrEnum]:
        members, problems = [], []
        for part in filter(None, (part.strip() for part in raw.split(LIST_SEPARATOR))):
            try:
                member = one(part)
            except _Invalid as problem:
                problems.append(str(problem))
            else:
                if member not in members:
                    members.append(member)
        if problems:
            raise _Invalid("; ".join(problems))
        return members

    return parse


def _checked(
    problem: Callable[[str], str | None], *, compact: bool = False
) -> Callable[[str], str]:
    def parse(raw: str) -> str:
        value = re.sub(r"\s+", "", raw).upper() if compact else raw
        message = problem(value)
        if message:
            raise _Invalid(message)
        return value

    return parse


def _normalised(normalise: Callable[[str], str | None], message: str) -> Callable[[str], str]:
    def parse(raw: str) -> str:
        value = normalise(raw)
        if value is None:
            raise _Invalid(message)
        return value

    return parse


def _email(raw: str) -> str:
    try:
        return validate_email(raw, check_deliverability=False, test_environment=True).normalized
    except EmailNotValidError:
        raise _Invalid(
            "Enter an email address in the correct format, like name@example.com"
        ) from None


def _website(raw: str) -> str:
    if re.fullmatch(r"https?://[^\s/]+\.[^\s]+", raw, re.IGNORECASE):
        return raw
    if re.fullmatch(r"[a-z0-9-]+(\.[a-z0-9-]+)+(/\S*)?", raw, re.IGNORECASE):
        return f"https://{raw}"
    raise _Invalid("Enter the website address, like https://www.example.org")


_DATE_FORMATS = (
    re.compile(r"(?P<year>[0-9]{4})-(?P<month>[0-9]{1,2})-(?P<day>[0-9]{1,2})"),
    re.compile(r"(?P<day>[0-9]{1,2})/(?P<month>[0-9]{1,2})/(?P<year>[0-9]{4})"),
)


def _past_date(today: date) -> Callable[[str], date]:
    def parse(raw: str) -> date:
        for pattern in _DATE_FORMATS:
            match = pattern.fullmatch(raw)
            if match:
                try:
                    value = date(*(int(match[part]) for part in ("year", "month", "day")))
                except ValueError:
                    break
                if value > today:
                    raise _Invalid("The date must be today or in the past")
                return value
        raise _Invalid("Enter a real date, like 2024-03-27 or 27/3/2024")

    return parse


def _capacity(raw: str) -> int:
    if not re.fullmatch(r"[0-9]+", raw):
        raise _Invalid("Capacity must be a whole number of places, 0 or more, like 12")
    value = int(raw)
    if value > MAX_INTEGER:
        raise _Invalid("Capacity is too large")
    return value


_RATE: Numeric = Provider.__mapper__.columns["daily_rate"].type  # pence, and at most this many


def _money(raw: str) -> Decimal:
    compact = raw.removeprefix("£").strip()
    if re.fullmatch(r"[0-9]{1,3}(,[0-9]{3})+(\.[0-9]{1,2})?", compact):
        compact = compact.replace(",", "")
    if not re.fullmatch(r"[0-9]+(\.[0-9]{1,2})?", compact):
        raise _Invalid("Daily rate must be an amount in pounds, 0 or more, like 85.50")
    value = Decimal(compact).quantize(Decimal(1).scaleb(-_RATE.scale))
    if value >= 10 ** (_RATE.precision - _RATE.scale):
        raise _Invalid("Daily rate is too large")
    return value


def _parsers(today: date) -> dict[str, Callable[[str], Any]]:
    phone = _normalised(rules.normalise_phone, "Enter a UK phone number, like 01632 960 001")
    return {
        "registration_type": _one_of(RegistrationType, "a registration type"),
        "framework_status": _one_of(FrameworkStatus, "a framework status"),
        "ofsted_judgement": _one_of(OfstedJudgement, "an Ofsted judgement"),
        "provision_types": _many(ProvisionType, "a provision type"),
        "specialisms": _many(Specialism, "a specialism"),
        "key_stages": _many(KeyStage, "a key stage"),
        "urn": _checked(rules.urn_problem),
        "ukprn": _checked(rules.ukprn_problem),
        "company_number": _checked(rules.company_number_problem, compact=True),
        "charity_number": _checked(rules.charity_number_problem, compact=True),
        "postcode": _normalised(rules.normalise_postcode, "Enter a UK postcode, like SW1A 1AA"),
        "contact_email": _email,
        "safeguarding_lead_email": _email,
        "contact_phone": phone,
        "safeguarding_lead_phone": phone,
        "website": _website,
        "ofsted_date": _past_date(today),
        "capacity": _capacity,
        "daily_rate": _money,
    }


def _max_length(column: str) -> int | None:
    columns = Provider.__mapper__.columns
    return getattr(columns[column].type, "length", None) if column in columns else None


_MISSING = {"name": "Enter the provider's name", "registration_type": "Enter the registration type"}


# ---- the file ---------------------------------------------------------------------------------


def _check_header(header: list[str]) -> list[str]:
    names = [name.strip() for name in header]
    problems = []
    blank = [str(number) for number, name in enumerate(names, start=1) if not name]
    if blank:
        problems.append(f"Column {', '.join(blank)} has no heading: name it or remove it")
    unknown = [name for name in names if name and name not in COLUMNS]
    if unknown:
        problems.append(
            f"Unknown column{'s' if len(unknown) > 1 else ''}: {', '.join(unknown)}. "
            f"Columns must be named exactly like these: {', '.join(COLUMNS)}"
        )
    repeated = sorted({name for name in names if name and names.count(name) > 1})
    if repeated:
        problems.append(f"Column named more than once: {', '.join(repeated)}")
    missing = [name for name in REQUIRED_COLUMNS if name not in names]
    if missing:
        problems.append(f"The file has no {' or '.join(missing)} column")
    if problems:
        raise ImportFileError("\n".join(problems))
    return names


def _check_row(
    line: int, cells: dict[str, str], parsers: dict[str, Callable[[str], Any]]
) -> tuple[dict[str, Any], list[RowError]]:
    values: dict[str, Any] = {}
    errors = []
    for column, raw in cells.items():
        if not raw:
            if column in _MISSING:
                errors.append(RowError(line, column, _MISSING[column]))
            continue
        allowed = TEXT_AREA_CONTROLS if column in MULTI_LINE_COLUMNS else frozenset()
        if control_characters(raw, allowed):
            errors.append(
                RowError(
                    line, column, "Remove the special characters, such as tabs or control codes"
                )
            )
            continue
        try:
            value = parsers.get(column, str)(raw)
        except _Invalid as problem:
            errors.append(RowError(line, column, str(problem)))
            continue
        limit = _max_length(column)
        if isinstance(value, str) and limit is not None and len(value) > limit:
            errors.append(RowError(line, column, f"Enter {limit} characters or fewer"))
            continue
        values[column] = value
    return values, errors


def _duplicates(
    line: int, values: dict[str, Any], register: Register, seen: dict[str, dict[str, int]]
) -> list[RowError]:
    errors = []
    checks = (
        ("name", "name", name_key, register.names),
        ("urn", "URN", str, register.urns),
        ("ukprn", "UKPRN", str, register.ukprns),
    )
    for column, noun, key_of, on_register in checks:
        if column not in values:
            continue
        key = key_of(values[column])
        if key in on_register:
            errors.append(
                RowError(
                    line,
                    column,
                    f"A provider with this {noun} is already on the register: {on_register[key]}",
                )
            )
        elif key in seen[column]:
            errors.append(
                RowError(line, column, f"Row {seen[column][key]} of this file has the same {noun}")
            )
        else:
            seen[column][key] = line
    return errors


def check_providers(text: str, *, register: Register, today: date) -> CheckedImport:
    """Every row checked and turned into `ProviderDetails`; nothing is written."""
    reader = csv.reader(io.StringIO(text, newline=""))
    parsers = _parsers(today)
    result = CheckedImport()
    seen: dict[str, dict[str, int]] = {"name": {}, "urn": {}, "ukprn": {}}
    try:
        header = next(reader, None)
        if not header or not any(name.strip() for name in header):
            raise ImportFileError("The first line of the file must name the columns")
        names = _check_header(header)
        while True:
            line = reader.line_num + 1  # where this record starts, even if a cell spans lines
            row = next(reader, None)
            if row is None:
                break
            cells = [cell.strip() for cell in row]
            if not any(cells):
                continue  # blank lines, and rows of empty cells that spreadsheets leave behind
            if len(cells) > len(names) and any(cells[len(names) :]):
                result.errors.append(
                    RowError(
                        line, None, f"Has {len(cells)} cells but there are {len(names)} columns"
                    )
                )
                continue
            cells += [""] * (len(names) - len(cells))  # a short row: the rest are empty
            values, errors = _check_row(line, dict(zip(names, cells, strict=False)), parsers)
            errors += _duplicates(line, values, register, seen)
            if errors:
                result.errors += errors
                continue
            status = values.pop("framework_status", DEFAULT_STATUS)
            result.rows.append(ImportRow(line, ProviderDetails(**values), status))
    except csv.Error as error:
        raise ImportFileError(f"Line {reader.line_num} is not valid CSV: {error}") from None
    return result
