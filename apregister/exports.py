"""CSV and XLSX downloads that stream, so memory stays flat however many rows there are."""

from __future__ import annotations

import csv
import io
import os
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any

from flask import Response
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from sqlalchemy import Select
from sqlalchemy.orm import Session

from apregister.extensions import db

# A cell starting with one of these is read as a formula by spreadsheet programs.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


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
    text = str(value)
    if text.startswith(_FORMULA_START):
        text = "'" + text
    return text


def _lines(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    for row in rows:
        writer.writerow([cell(value) for value in row])
        if buffer.tell() > 64 * 1024:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def stream_rows(
    stmt: Select, to_row: Callable[[Any], Sequence[Any]], batch: int = 1000
) -> Iterator[Sequence[Any]]:
    """Rows of an (already access-scoped) query, read in batches by a session of their own:
    the request's session is closed when the view returns, before the download is sent."""
    engine = db.engine  # looked up now, while the request's app context is still there

    def rows() -> Iterator[Sequence[Any]]:
        with Session(engine) as session:
            for record in session.scalars(stmt.execution_options(yield_per=batch)):
                yield to_row(record)

    return rows()


def csv_response(filename: str, header: Sequence[str], rows: Iterable[Sequence[Any]]) -> Response:
    response = Response(_lines(header, rows), mimetype="text/csv; charset=utf-8")
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _xlsx_value(cell_value: Any, sheet: Any) -> Any:
    """Numbers and dates stay typed; text is always text, never a formula."""
    if cell_value is None or isinstance(cell_value, bool | int | float | Decimal | date):
        return float(cell_value) if isinstance(cell_value, Decimal) else cell_value
    if isinstance(cell_value, Enum | list | tuple):
        cell_value = cell(cell_value).lstrip("'")
    text = str(cell_value)
    written = WriteOnlyCell(sheet, value=text)
    written.data_type = "s"  # a leading "=" stays text
    return written


def xlsx_response(
    filename: str, header: Sequence[str], rows: Iterable[Sequence[Any]], title: str = "Data"
) -> Response:
    """An XLSX built row by row in openpyxl's write-only mode (rows go to a temporary file, not
    memory), then streamed and deleted."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31])
    sheet.append(list(header))
    for row in rows:
        sheet.append([_xlsx_value(value, sheet) for value in row])
    handle = tempfile.NamedTemporaryFile(suffix=".xlsx", delete=False)  # noqa: SIM115
    handle.close()
    workbook.save(handle.name)

    def chunks() -> Iterator[bytes]:
        try:
            with open(handle.name, "rb") as stream:
                while chunk := stream.read(64 * 1024):
                    yield chunk
        finally:
            os.unlink(handle.name)

    response = Response(
        chunks(), mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
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
