"""Reading an uploaded spreadsheet: every kind of bad file is refused in plain words, and no
bytes at all make the reader raise anything else."""

from __future__ import annotations

import io
import zipfile

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from apregister.imports.columns import match_headings
from apregister.imports.files import (
    MAX_FILE_BYTES,
    WINDOWS_1252,
    FormulaCell,
    ImportFileError,
    read_table,
)
from apregister.imports.kinds.base import Column


def xlsx(rows: list[list]) -> bytes:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def rows_of(data: bytes) -> tuple[list[str], list[tuple[int, list[str]]]]:
    table = read_table(data)
    return table.headings, list(table.rows)


def refused(data: bytes) -> str:
    with pytest.raises(ImportFileError) as caught:
        rows_of(data)
    return str(caught.value)


def test_a_utf8_csv_with_excels_byte_order_mark_is_read_row_by_row():
    headings, rows = rows_of("\ufeffName,URN\r\nAcorn Centre,123456\r\n\r\nBeech,\r\n".encode())
    assert headings == ["Name", "URN"]
    assert rows == [(2, ["Acorn Centre", "123456"]), (4, ["Beech", ""])]


def test_a_windows_1252_csv_is_read_and_said_to_be():
    table = read_table("Name\nCaf\u00e9 \u2013 O\u2019Neil\n".encode("cp1252"))
    assert table.encoding == WINDOWS_1252
    assert list(table.rows) == [(2, ["Caf\u00e9 \u2013 O\u2019Neil"])]


def test_a_semicolon_separated_csv_is_read():
    assert rows_of(b"Name;URN\nAcorn;123456\n")[1] == [(2, ["Acorn", "123456"])]


def test_an_xlsx_gives_dates_as_iso_text_and_numbers_without_a_decimal_point():
    from datetime import date, datetime

    headings, rows = rows_of(
        xlsx(
            [
                ["Start date", "Hours", "Rate", "Full time"],
                [datetime(2025, 3, 3), 12.0, 12.5, True],
                [date(2025, 4, 1), None, 3, False],
            ]
        )
    )
    assert headings == ["Start date", "Hours", "Rate", "Full time"]
    assert rows == [(2, ["2025-03-03", "12", "12.5", "Yes"]), (3, ["2025-04-01", "", "3", "No"])]


def test_formulas_are_marked_in_csv_and_xlsx_alike():
    _, rows = rows_of(b"Name,Total\nAcorn,=1+2\n")
    assert isinstance(rows[0][1][1], FormulaCell)
    _, rows = rows_of(xlsx([["Name", "Total"], ["Acorn", "=SUM(1,2)"]]))
    assert isinstance(rows[0][1][1], FormulaCell)


@pytest.mark.parametrize(
    "data, says",
    [
        (b"", "empty"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "older Excel workbook (.xls)"),
        ("Name\nAcorn\n".encode("utf-16"), "UTF-16"),
        (b"%PDF-1.7\n\x00\x01\x02binary", "must be a CSV or an Excel"),
        (b"PK\x03\x04 this is not really a zip", "could not be opened as an Excel workbook"),
        (b"\n\n,,\n", "no heading row"),
        (b'Name,URN\n"Acorn,123\n' + b"x" * 10, None),  # an unclosed quote: the rest is one cell
    ],
)
def test_bad_files_are_refused_in_plain_words(data, says):
    if says is None:
        rows_of(data)  # read without raising anything but ImportFileError
        return
    assert says in refused(data)


def test_a_file_over_the_limit_is_refused_before_it_is_read():
    assert "smaller than" in refused(b"a" * (MAX_FILE_BYTES + 1))


def test_a_broken_xlsx_is_refused():
    good = xlsx([["Name"], ["Acorn"]])
    assert "could not be opened" in refused(good[: len(good) // 2])


def test_a_zip_bomb_is_refused_without_being_unpacked():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\x00" * (50 * 1024 * 1024))
    data = out.getvalue()
    assert len(data) < 200 * 1024
    assert "unpacks to far more data" in refused(data)


def test_headings_match_by_name_and_common_variants_and_missing_columns_are_named():
    columns = (
        Column("date_of_birth", "Date of birth", ("DOB",), required=True),
        Column("upn", "UPN", ("Unique pupil number",)),
        Column("last_name", "Last name", required=True),
    )
    matched = match_headings(["d.o.b", "Unique Pupil Number", "Notes"], columns)
    assert matched.positions == {"date_of_birth": 0, "upn": 1}
    assert matched.unused == ["Notes"]
    assert matched.problems == ["The file has no 'Last name' column"]
    twice = match_headings(["DOB", "Date of birth", "Last name"], columns)
    assert twice.problems == [
        "The columns 'DOB' and 'Date of birth' both hold date of birth: keep one of them"
    ]


# made once: a workbook's bytes carry the moment it was saved, and hypothesis must see the
# same sizes each time it draws positions in it
GOOD_WORKBOOK = xlsx([["Name", "URN"], ["Acorn", "123456"], ["Beech", "654321"]])


def _read_or_refuse(data: bytes) -> None:
    try:
        rows_of(data)
    except ImportFileError as error:
        assert str(error)


@settings(
    max_examples=300, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow]
)
@given(st.binary(max_size=2000))
def test_any_bytes_are_read_or_refused_in_plain_words(data):
    _read_or_refuse(data)


@settings(
    max_examples=150, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow]
)
@given(st.data())
def test_a_damaged_workbook_is_read_or_refused_in_plain_words(data):
    damaged = bytearray(GOOD_WORKBOOK)
    for _ in range(data.draw(st.integers(1, 8))):
        at = data.draw(st.integers(0, len(damaged) - 1))
        damaged[at] = data.draw(st.integers(0, 255))
    cut = data.draw(st.integers(len(damaged) // 2, len(damaged)))
    _read_or_refuse(bytes(damaged[:cut]))
