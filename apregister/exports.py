"""CSV and XLSX downloads that stream, so memory stays flat however many rows there are."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from operator import call
from typing import Any

from flask import Response
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from sqlalchemy import Select, String, type_coerce
from sqlalchemy.orm import Session

from apregister.extensions import db
from apregister.models import Organisation, Placement, Provider, Pupil

# A cell starting with one of these is read as a formula by spreadsheet programs.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def printable(text: str) -> str:
    """The text without the control characters XML (so XLSX) cannot hold, such as NUL or a
    vertical tab, whatever was stored before the forms refused them. Line breaks and tabs stay."""
    return text if text.isprintable() else ILLEGAL_CHARACTERS_RE.sub("", text)


def cell(value: Any) -> str:
    """One value as safe CSV text: enums by label, dates ISO, formulas defused."""
    if value is None:
        return ""
    if isinstance(value, Enum):
        value = getattr(value, "label", value.value)
    elif isinstance(value, datetime | date):
        value = value.isoformat()
    elif isinstance(value, list | tuple):
        value = "; ".join(cell(item) for item in value)
    text = printable(str(value))
    if text.startswith(_FORMULA_START):
        text = "'" + text
    return text


# ---- columns read straight from SQL --------------------------------------------------------
# cell() for a value whose type the column already knows, without asking it again per value.


def _text(value: str | None) -> str:
    if value is None:
        return ""
    if not value.isprintable():  # printable(), without a call for the usual case
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
    return "'" + value if value.startswith(_FORMULA_START) else value


def _number(value: int | Decimal | None) -> str:
    if value is None:
        return ""
    text = str(value)  # digits, a point, perhaps a minus: the one formula start it can have
    return "'" + text if text[0] == "-" else text


def _date(value: date | str | None) -> str:
    # read as stored (date_column's `as_text`): SQLite's ISO text as it is, a driver's date
    if value is None:
        return ""
    return value if value.__class__ is str else value.isoformat()


@dataclass(frozen=True)
class Column:
    """One export column read as a plain SQL column: its heading and the expression selected.
    With `convert`, a value read becomes the typed value through it, worked out once for each
    distinct value in an export (flags, enums, session patterns). Without, the value is shown
    as read, and `text` writes it for CSV exactly as cell() would, knowing its type."""

    heading: str
    expression: Any
    text: Callable[[Any], str] = cell
    convert: Callable[[Any], Any] | None = None
    # what CSV reads instead of `expression`, when `text` takes it as stored
    as_text: Any = None


def text_column(heading: str, expression: Any) -> Column:
    return Column(heading, expression, _text)


def number_column(heading: str, expression: Any) -> Column:
    return Column(heading, expression, _number)


def date_column(heading: str, expression: Any) -> Column:
    # CSV reads the date as stored: no parsing each one only to write it out again
    return Column(heading, expression, _date, as_text=type_coerce(expression, String()))


def coded_column(heading: str, expression: Any, convert: Callable[[Any], Any]) -> Column:
    """A column of few distinct values (a flag, a session pattern) shown as `convert` says."""
    return Column(heading, expression, convert=convert)


def label_column(heading: str, attribute: Any) -> Column:
    """A StrEnum column, by its label: read as the stored string, each member made once."""
    enum = attribute.type.enum_class
    return Column(
        heading,
        type_coerce(attribute, String()),
        convert=lambda stored: None if stored is None else enum(stored),
    )


class _Memo(dict):
    """A dict that fills itself: `make(key)`, the first time a key is asked for."""

    def __init__(self, make: Callable[[Any], Any]):
        super().__init__()
        self.make = make

    def __missing__(self, key: Any) -> Any:
        self[key] = made = self.make(key)
        return made


class SelectedRows:
    """The rows of a column select, read in batches by a session of its own (the request's
    session is closed when the view returns, before the download is sent). Iterating gives
    typed values (XLSX, pages); csv_response reads `text_batches` instead."""

    def __init__(self, stmt: Select, columns: Sequence[Column], batch: int = 2000):
        self.engine = db.engine  # looked up now, while the request's app context is still there
        self.stmt = stmt.execution_options(yield_per=batch)
        self.columns = tuple(columns)

    def limited(self, rows: int) -> SelectedRows:
        """The first `rows` rows only."""
        return SelectedRows(self.stmt.limit(rows), self.columns)

    def _batches(self, stmt: Select | None = None) -> Iterator[Sequence[Any]]:
        # a plain connection: the rows are columns, with nothing for the ORM to load
        with self.engine.connect() as connection:
            yield from connection.execute(self.stmt if stmt is None else stmt).partitions()

    def __iter__(self) -> Iterator[list[Any]]:
        converts = [
            None if column.convert is None else _Memo(column.convert).__getitem__
            for column in self.columns
        ]
        for batch in self._batches():
            for row in batch:
                yield [
                    value if to is None else to(value)
                    for to, value in zip(converts, row, strict=True)
                ]

    def text_batches(self) -> Iterator[list[list[str]]]:
        texts = [
            column.text if column.convert is None else _text_memo(column.convert)
            for column in self.columns
        ]
        as_text = [
            column.expression if column.as_text is None else column.as_text
            for column in self.columns
        ]
        for batch in self._batches(self.stmt.with_only_columns(*as_text)):
            yield [list(map(call, texts, row)) for row in batch]


def _text_memo(convert: Callable[[Any], Any]) -> Callable[[Any], str]:
    return _Memo(lambda value: cell(convert(value))).__getitem__


class Joined:
    """The tables a placement export reads beside placements, each under an alias of its own
    so that nothing in a scoped statement's where-clause is correlated with them."""

    pupil = Pupil.__table__.alias("export_pupil")
    provider = Provider.__table__.alias("export_provider")
    provider_organisation = Organisation.__table__.alias("export_provider_organisation")
    school = Organisation.__table__.alias("export_school")
    pupil_name = pupil.c.first_name + " " + pupil.c.last_name  # as Pupil.name reads


def placement_rows(stmt: Select, columns: Sequence[Column]) -> SelectedRows:
    """`columns` for the placements an access-scoped `select(Placement)` finds: its
    where-clause and order kept, its entity swapped for the columns, joined to the pupil, the
    provider (its organisation row too) and the school they are read from."""
    placements = Placement.__table__
    joined = (
        placements.join(Joined.pupil, Joined.pupil.c.id == placements.c.pupil_id)
        .join(Joined.provider, Joined.provider.c.id == placements.c.provider_id)
        .join(
            Joined.provider_organisation,
            Joined.provider_organisation.c.id == placements.c.provider_id,
        )
        .outerjoin(Joined.school, Joined.school.c.id == placements.c.school_id)
    )
    selected = stmt.with_only_columns(*(column.expression for column in columns))
    return SelectedRows(selected.select_from(joined), columns)


def stream_rows(
    stmt: Select, to_row: Callable[[Any], Sequence[Any]], batch: int = 1000
) -> Iterator[Sequence[Any]]:
    """Rows of an (already access-scoped) query of ORM records, read in batches by a session
    of their own, like SelectedRows."""
    engine = db.engine  # looked up now, while the request's app context is still there

    def rows() -> Iterator[Sequence[Any]]:
        with Session(engine) as session:
            for record in session.scalars(stmt.execution_options(yield_per=batch)):
                yield to_row(record)

    return rows()


# ---- responses -----------------------------------------------------------------------------


def _chunks(header: Sequence[str], batches: Iterable[Iterable[Sequence[str]]]) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    for batch in batches:
        writer.writerows(batch)
        if buffer.tell() > 64 * 1024:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def _lines(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> Iterator[str]:
    if isinstance(rows, SelectedRows):
        return _chunks(header, rows.text_batches())
    return _chunks(header, ([[cell(value) for value in row]] for row in rows))


def csv_response(filename: str, header: Sequence[str], rows: Iterable[Sequence[Any]]) -> Response:
    response = Response(_lines(header, rows), mimetype="text/csv; charset=utf-8")
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def xlsx_response(
    filename: str, header: Sequence[str], rows: Iterable[Sequence[Any]], title: str = "Data"
) -> Response:
    """An XLSX written as it is sent (xlsx_stream): the first bytes go at once, memory stays
    flat, and no worker waits for a whole workbook to be built."""
    from apregister.xlsx_stream import workbook_chunks  # it writes cells with cell() above

    response = Response(
        workbook_chunks(header, rows, title),
        mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def table_response(
    fmt: str, stem: str, header: Sequence[str], rows: Iterable[Sequence[Any]]
) -> Response:
    """The same table as CSV or XLSX."""
    if fmt == "xlsx":
        return xlsx_response(f"{stem}.xlsx", header, rows, title=stem)
    return csv_response(f"{stem}.csv", header, rows)
