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
