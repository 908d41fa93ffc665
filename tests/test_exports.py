"""XLSX cells: text stays text, whatever it looks like."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

from openpyxl import load_workbook

from apregister.exports import xlsx_response


def test_text_that_looks_like_a_formula_or_an_error_stays_text(app):
    with app.test_request_context():
        response = xlsx_response(
            "t.xlsx",
            ["A", "B", "C", "D", "E"],
            [["=SUM(1,2)", "#N/A", "plain", Decimal("12.5"), date(2026, 3, 2)]],
        )
        body = b"".join(response.response)
    sheet = load_workbook(io.BytesIO(body)).active
    cells = list(sheet.iter_rows(min_row=2, values_only=False))[0]
    assert [cell.value for cell in cells[:3]] == ["=SUM(1,2)", "#N/A", "plain"]
    assert [cell.data_type for cell in cells[:3]] == ["s", "s", "s"]
    assert cells[3].value == 12.5 and cells[3].data_type == "n"
    assert cells[4].value.date() == date(2026, 3, 2)


def test_an_xlsx_is_sent_while_its_rows_are_still_being_read(app):
    read = []

    def rows():
        for number in range(5000):
            read.append(number)
            yield [f"Row {number}", number, date(2026, 1, 1)]

    with app.test_request_context():
        response = xlsx_response("big.xlsx", ["Name", "Number", "Day"], rows())
        pieces = iter(response.response)
        first = next(pieces)
        assert first.startswith(b"PK")  # a zip's first bytes, sent before the rows are read
        assert len(read) < 5000
        body = first + b"".join(pieces)
    assert len(read) == 5000
    sheet = load_workbook(io.BytesIO(body), read_only=True).active
    values = list(sheet.iter_rows(values_only=True))
    assert values[0] == ("Name", "Number", "Day")
    assert values[4999][0] == "Row 4998" and values[5000][1] == 4999
    assert values[1][2].date() == date(2026, 1, 1)


def test_an_xlsx_keeps_odd_text_as_it_was(app):
    odd = ['He said "no" & <left>', "tab\there", "ends with a space ", "Zoë O’Neill"]
    with app.test_request_context():
        body = b"".join(xlsx_response("odd.xlsx", ["A", "B", "C", "D"], [odd]).response)
    sheet = load_workbook(io.BytesIO(body)).active
    assert [cell.value for cell in sheet[2]] == odd
