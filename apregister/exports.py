"""CSV downloads that stream, so memory stays flat however many rows there are."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime
from enum import Enum
from typing import Any

from flask import Response, stream_with_context

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


def csv_response(filename: str, header: Sequence[str], rows: Iterable[Sequence[Any]]) -> Response:
    response = Response(
        stream_with_context(_lines(header, rows)), mimetype="text/csv; charset=utf-8"
    )
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
