"""Reading an uploaded spreadsheet: a CSV (UTF-8, or Excel's Windows-1252) or an XLSX workbook.

The type is judged from the bytes, never the name. Whatever is wrong with a file as a whole is
an `ImportFileError` in plain words; nothing else escapes, whatever the bytes (a broken or
hostile workbook, a zip bomb, a binary file with a .csv name).
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time

MAX_FILE_BYTES = 25 * 1024 * 1024
MAX_ROWS = 100_000
MAX_COLUMNS = 100
MAX_CELL_CHARACTERS = 10_000
# an XLSX is a zip of XML: what it may unpack to, in all and against its packed size
MAX_UNPACKED_BYTES = 400 * 1024 * 1024
MAX_PACKING_RATIO = 200

CSV = "csv"
XLSX = "xlsx"
WINDOWS_1252 = "Windows-1252"

SAVE_AS = "Save it from your spreadsheet as 'CSV UTF-8' or 'Excel Workbook (.xlsx)' and try again"
BROKEN_XLSX = "The file could not be opened as an Excel workbook. " + SAVE_AS


class ImportFileError(Exception):
    """The file as a whole cannot be read."""


class FormulaCell(str):
    """A cell that holds a formula, not a value: the row is refused at that column."""

    __slots__ = ()


@dataclass
class Table:
    file_type: str  # CSV or XLSX
    encoding: str | None  # for a CSV: "UTF-8" or WINDOWS_1252
    headings: list[str]
    rows: Iterator[tuple[int, list[str]]]  # (line in the file, cells), blank rows left out


def size_problem(size: int) -> str | None:
    if size == 0:
        return "The selected file is empty"
    if size > MAX_FILE_BYTES:
        return f"The selected file must be smaller than {MAX_FILE_BYTES // (1024 * 1024)}MB"
    return None


def file_type(data: bytes) -> str:
    """CSV or XLSX, from the content; anything else is refused in plain words."""
    if data.startswith(b"PK\x03\x04"):
        return XLSX
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise ImportFileError(
            "The file is an older Excel workbook (.xls). Save it as 'Excel Workbook (.xlsx)' "
            "or 'CSV UTF-8' and try again"
        )
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ImportFileError("The selected file must be a CSV or an Excel (.xlsx) spreadsheet")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ImportFileError("The file is saved as UTF-16 ('Unicode text'). " + SAVE_AS)
    return CSV


def read_table(data: bytes) -> Table:
    problem = size_problem(len(data))
    if problem:
        raise ImportFileError(problem)
    if file_type(data) == XLSX:
        return _read_xlsx(data)
    return _read_csv(data)


# ---- CSV ------------------------------------------------------------------------------------


def _decode(data: bytes) -> tuple[str, str]:
    try:
        return data.decode("utf-8-sig"), "UTF-8"
    except UnicodeDecodeError:
        pass
    try:
        # Excel's plain 'CSV (Comma delimited)' on a UK Windows machine
        return data.decode("cp1252"), WINDOWS_1252
    except UnicodeDecodeError:
        raise ImportFileError("The file's text could not be read. " + SAVE_AS) from None


def _csv_cell(text: str) -> str:
    text = text.strip()
    if text.startswith("="):
        return FormulaCell(text)
    return text


def _read_csv(data: bytes) -> Table:
    text, encoding = _decode(data)
    if "\x00" in text:
        raise ImportFileError("The selected file must be a CSV or an Excel (.xlsx) spreadsheet")
    try:
        dialect = csv.Sniffer().sniff(text[:8192], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    try:
        first = next(reader, None)
    except csv.Error:
        raise ImportFileError("The file could not be read as a CSV. " + SAVE_AS) from None
    if not first or not any(cell.strip() for cell in first):
        raise ImportFileError("The file has no heading row: put the column headings in row 1")
    headings = _headings(first)

    def rows() -> Iterator[tuple[int, list[str]]]:
        try:
            for cells in reader:
                line = reader.line_num
                yield from _kept(line, [_csv_cell(cell) for cell in cells])
        except csv.Error:
            raise ImportFileError(
                f"The file could not be read past line {reader.line_num}: a quote mark may "
                "be missing. " + SAVE_AS
            ) from None

    return Table(CSV, encoding, headings, rows())


# ---- XLSX -----------------------------------------------------------------------------------


def _check_zip(data: bytes) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
            names = {member.filename for member in members}
    except (zipfile.BadZipFile, ValueError, OSError, EOFError):
        raise ImportFileError(
            "The file could not be opened as an Excel workbook. " + SAVE_AS
        ) from None
    if "xl/workbook.xml" not in names:
        raise ImportFileError("The selected file must be a CSV or an Excel (.xlsx) spreadsheet")
    unpacked = sum(member.file_size for member in members)
    packed = sum(member.compress_size for member in members) or 1
    if unpacked > MAX_UNPACKED_BYTES or unpacked / packed > MAX_PACKING_RATIO:
        raise ImportFileError(
            "The workbook unpacks to far more data than a spreadsheet of this size holds, so "
            "it was not opened. " + SAVE_AS
        )


def _xlsx_cell(cell) -> str:
    value = cell.value
    if value is None:
        return ""
    if getattr(cell, "data_type", None) == "f" or (
        isinstance(value, str) and value.startswith("=")
    ):
        return FormulaCell(str(value))
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time(0) else value.isoformat(" ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    return str(value).strip()


def _read_xlsx(data: bytes) -> Table:
    import openpyxl

    _check_zip(data)
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
        sheet = workbook.worksheets[0]
        cells_of = sheet.iter_rows()
        first = next(cells_of, None)
    except Exception:  # whatever a broken or hostile workbook makes openpyxl raise
        raise ImportFileError(BROKEN_XLSX) from None
    if first is None or not any(_xlsx_cell(cell) for cell in first):
        raise ImportFileError("The file has no heading row: put the column headings in row 1")
    headings = _headings([_xlsx_cell(cell) for cell in first])

    def rows() -> Iterator[tuple[int, list[str]]]:
        line = 1
        try:
            for line, cells in enumerate(cells_of, start=2):
                yield from _kept(line, [_xlsx_cell(cell) for cell in cells[:MAX_COLUMNS]])
        except ImportFileError:
            raise
        except Exception:
            raise ImportFileError(
                f"The workbook could not be read past row {line}. " + SAVE_AS
            ) from None
        finally:
            workbook.close()

    return Table(XLSX, None, headings, rows())


# ---- both -----------------------------------------------------------------------------------


def _headings(cells: list[str]) -> list[str]:
    while cells and not str(cells[-1]).strip():
        cells = cells[:-1]
    if len(cells) > MAX_COLUMNS:
        raise ImportFileError(f"The file has more than {MAX_COLUMNS} columns")
    return [str(cell).strip() for cell in cells]


def _kept(line: int, cells: list[str]) -> Iterator[tuple[int, list[str]]]:
    if line - 1 > MAX_ROWS:
        raise ImportFileError(
            f"The file has more than {MAX_ROWS:,} rows. Split it into smaller files"
        )
    if not any(cells):
        return
    for cell in cells:
        if len(cell) > MAX_CELL_CHARACTERS:
            raise ImportFileError(
                f"Row {line} has a cell longer than {MAX_CELL_CHARACTERS:,} characters"
            )
    yield line, cells
