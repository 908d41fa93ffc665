"""An XLSX workbook written while it is sent: the sheet's XML is made row by row and zipped as
it goes (stream-zip), so the first bytes leave at once and memory stays flat, however many
rows there are.

One sheet; text is written as inline strings, so a cell that starts with "=" or reads "#N/A"
is text, never a formula or an error; numbers are numbers; dates are dates (a date format
from the built-in ones, which every spreadsheet program knows).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from itertools import islice
from typing import Any
from xml.sax.saxutils import escape

from stream_zip import ZIP_32, stream_zip

from apregister.exports import cell, printable

_EPOCH = datetime(1899, 12, 30)  # the spreadsheet's day 0, as Excel counts
_ROWS_PER_CHUNK = 500
_SHEET_NAME_NOT = re.compile(r"[\[\]:*?/\\]")
_FILE_MODE = 0o600

_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" '
    'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/styles.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
    "</Types>"
)
_ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="xl/workbook.xml"/>'
    "</Relationships>"
)
_WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/worksheet" Target="worksheets/sheet1.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/styles" Target="styles.xml"/>'
    "</Relationships>"
)
# style 0: general; 1: a date (built-in format 14); 2: a date and time (built-in format 22)
_STYLES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    '<fonts count="1"><font><sz val="11"/><name val="Arial"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="3">'
    '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="14" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="22" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    "</cellXfs>"
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    "</styleSheet>"
)
_SHEET_START = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
)
_SHEET_END = "</sheetData></worksheet>"


def _workbook(title: str) -> str:
    name = _SHEET_NAME_NOT.sub(" ", title).strip()[:31] or "Data"
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        f'<sheets><sheet name="{escape(name, {chr(34): "&quot;"})}" sheetId="1" r:id="rId1"/>'
        "</sheets></workbook>"
    )


def _value(value: Any) -> str:
    """One cell's XML (without its reference: a cell's place is its order in the row)."""
    if value is None:
        return "<c/>"
    if isinstance(value, bool):
        return f'<c t="b"><v>{int(value)}</v></c>'
    if isinstance(value, int | float | Decimal):
        return f"<c><v>{value}</v></c>"
    if isinstance(value, datetime):
        serial = (value.replace(tzinfo=None) - _EPOCH).total_seconds() / 86400
        return f'<c s="2"><v>{serial}</v></c>'
    if isinstance(value, date):
        return f'<c s="1"><v>{(value - _EPOCH.date()).days}</v></c>'
    if isinstance(value, Enum | list | tuple):
        value = cell(value).lstrip("'")
    text = escape(printable(str(value)))
    return f'<c t="inlineStr"><is><t xml:space="preserve">{text}</t></is></c>'


def _row(values: Sequence[Any]) -> str:
    return "<row>" + "".join(_value(value) for value in values) + "</row>"


def _sheet(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> Iterator[bytes]:
    yield (_SHEET_START + _row(header)).encode()
    rows = iter(rows)
    while chunk := list(islice(rows, _ROWS_PER_CHUNK)):
        yield "".join(_row(row) for row in chunk).encode()
    yield _SHEET_END.encode()


def workbook_chunks(
    header: Sequence[str], rows: Iterable[Sequence[Any]], title: str = "Data"
) -> Iterator[bytes]:
    """The XLSX file's bytes, in pieces, as the rows are read."""
    made = datetime.now().replace(microsecond=0)

    def member(name: str, chunks: Iterable[bytes]):
        return name, made, _FILE_MODE, ZIP_32, chunks

    return stream_zip(
        [
            member("[Content_Types].xml", [_CONTENT_TYPES.encode()]),
            member("_rels/.rels", [_ROOT_RELS.encode()]),
            member("xl/workbook.xml", [_workbook(title).encode()]),
            member("xl/_rels/workbook.xml.rels", [_WORKBOOK_RELS.encode()]),
            member("xl/styles.xml", [_STYLES.encode()]),
            member("xl/worksheets/sheet1.xml", _sheet(header, rows)),
        ]
    )
