"""The files a lead downloads to fill in: a template per kind, and a file's error report."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

from apregister.exports import cell
from apregister.imports.kinds.base import ImportKind

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
GUIDANCE_HEADINGS = ("Column", "Required", "What to enter", "Also accepted as the heading")


def _guidance_rows(kind: ImportKind) -> list[tuple[str, str, str, str]]:
    return [
        (
            column.heading,
            "Yes" if column.required else "No",
            column.guidance,
            "; ".join(column.variants),
        )
        for column in kind.columns
    ]


def template_xlsx(kind: ImportKind) -> bytes:
    """A workbook: the headings and one row of example data, and a guidance sheet."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    workbook = Workbook()
    data = workbook.active
    data.title = kind.label
    data.append([column.heading for column in kind.columns])
    data.append([column.example for column in kind.columns])
    for index, column in enumerate(kind.columns, start=1):
        data.cell(row=1, column=index).font = Font(bold=True)
        data.column_dimensions[data.cell(row=1, column=index).column_letter].width = max(
            14, min(40, len(column.heading) + 4)
        )
        data.cell(row=2, column=index).number_format = "@"  # text: a UPN stays as typed
    data.freeze_panes = "A2"
    guidance = workbook.create_sheet("Guidance")
    guidance.append([f"How to fill in the {kind.label.lower()} sheet"])
    guidance["A1"].font = Font(bold=True, size=14)
    guidance.append(
        [
            "Row 1 holds the headings; put one record on each row below it and replace the "
            "example row. Dates as 31/12/2025. Lists separated by semicolons. "
            + kind.matched_by
            + ". Importing the same file again changes nothing."
        ]
    )
    guidance.append([])
    guidance.append(list(GUIDANCE_HEADINGS))
    for cell_ in guidance[4]:
        cell_.font = Font(bold=True)
    for row in _guidance_rows(kind):
        guidance.append(list(row))
    for letter, width in zip("ABCD", (28, 10, 80, 36), strict=True):
        guidance.column_dimensions[letter].width = width
    for row in guidance.iter_rows(min_row=5):
        row[2].alignment = Alignment(wrap_text=True, vertical="top")
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def template_csv(kind: ImportKind) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([column.heading for column in kind.columns])
    writer.writerow([column.example for column in kind.columns])
    return "\ufeff" + out.getvalue()  # Excel opens it as UTF-8


ERROR_HEADINGS = ("Row", "Column", "Error")


def error_rows(errors: Iterable[Sequence]) -> Iterable[Sequence[str]]:
    """The error report's rows, each cell made safe to open in a spreadsheet."""
    for line, column, message in errors:
        yield (str(line), cell(column or ""), cell(message))
