"""Issue 15 in a real browser: the LA lead imports a 200-row placements spreadsheet.

The first file has 3 bad rows: the check lists exactly those rows, on the page and in the
downloaded error report, and importing without choosing to leave them out is refused with
nothing written. The corrected file imports all 200; the placements are then on the register's
list; the same file again has nothing to import. axe-core (WCAG 2.2 AA) runs on every page.
"""

from __future__ import annotations

import csv
import re
from datetime import date, timedelta
from pathlib import Path

import pytest
from openpyxl import Workbook
from playwright.sync_api import Page, expect
from sqlalchemy import func, select

from apregister.extensions import db
from apregister.models import Placement, Role
from tests.browser.conftest import AccessibilityChecker, heading, open_section, sign_in
from tests.browser.test_placement_journey import summary_value
from tests.conftest import (
    make_placement,
    make_provider,
    make_pupil,
    make_school,
    make_upn,
    make_user,
)
from tests.imports.test_import_worker import add_pupils

pytestmark = pytest.mark.browser

ROWS = 200
PROVIDER_NAME = "Bright Futures Tuition"
OTHER_PROVIDER_NAME = "Harbour Lane Learning Centre"
HEADINGS = [
    "UPN",
    "Provider",
    "Reason",
    "Start date",
    "Sessions",
    "Hours each week",
    "Full time",
    "Objectives",
    "Reintegration plan",
]
REASON = "To re-engage the pupil in education"
# index in the file's data -> (column, the bad value, the start of the message about it)
BAD = {
    9: ("Start date", "31/02/2025", "Enter a real date"),
    99: ("Reason", "Because the school asked", "'Because the school asked' is not a reason"),
    189: ("Hours each week", "99", "Hours each week must be from 0.5 to 50"),
}


def row_number(index: int) -> int:
    """The spreadsheet's row for a data row: row 1 holds the headings."""
    return index + 2


def placements_xlsx(path: Path, upns: list[str], start: date, *, bad: bool) -> Path:
    """The file the lead uploads. Good start dates are date cells, as Excel keeps them; a bad
    one is text Excel could not read as a date."""
    book = Workbook()
    sheet = book.active
    sheet.title = "Placements"
    sheet.append(HEADINGS)
    for index, upn in enumerate(upns):
        row: list[object] = [
            upn,
            PROVIDER_NAME,
            REASON,
            start,
            "Mon AM; Mon PM",
            "6",
            "No",
            "Attend every session",
            "Back to school by the summer",
        ]
        if bad and index in BAD:
            column, value, _ = BAD[index]
            row[HEADINGS.index(column)] = value
        sheet.append(row)
    book.save(path)
    return path


def placements_at(provider_id: int | None = None) -> int:
    db.session.expire_all()
    stmt = select(func.count()).select_from(Placement)
    if provider_id is not None:
        stmt = stmt.where(Placement.provider_id == provider_id)
    return db.session.scalar(stmt)


def check_the_file(page: Page, base_url: str, axe: AccessibilityChecker, path: Path) -> None:
    """On the imports page: Placements chosen, the file uploaded, the check asked for."""
    expect(page).to_have_url(f"{base_url}/imports")
    expect(heading(page)).to_have_text("Import spreadsheets")
    axe.check()
    page.get_by_role("radio", name="Placements", exact=True).check()
    page.get_by_label("Upload the file", exact=True).set_input_files(path)
    page.get_by_role("button", name="Check the file").click()
    expect(page).to_have_url(re.compile(rf"^{re.escape(base_url)}/imports/\d+$"))
    expect(heading(page)).to_have_text(path.name)
    expect(page.locator(".govuk-caption-l")).to_have_text("Import of placements")


def expect_counts(page: Page, add: int, unchanged: int, invalid: int) -> None:
    expect(summary_value(page, "To add")).to_have_text(f"{add:,}")
    expect(summary_value(page, "To update")).to_have_text("0")
    expect(summary_value(page, "Already on the register, unchanged")).to_have_text(f"{unchanged:,}")
    expect(summary_value(page, "Rows with errors")).to_have_text(f"{invalid:,}")


def test_la_lead_imports_200_placements_after_correcting_3_bad_rows(
    page: Page, base_url: str, accessibility: AccessibilityChecker, tmp_path: Path
) -> None:
    axe = accessibility
    school = make_school(name="Northgate Academy")
    provider = make_provider(name=PROVIDER_NAME)
    upns = add_pupils(school, ROWS)
    # One placement already on the register, elsewhere: the list must tell the two apart.
    make_placement(
        make_pupil(school, upn=make_upn(ROWS + 1)), make_provider(name=OTHER_PROVIDER_NAME)
    )
    lead = make_user(Role.LA_LEAD, name="Lola Lead")
    today = date.today()
    start = today - timedelta(days=today.weekday(), weeks=3)  # a Monday three weeks ago
    with_errors = placements_xlsx(tmp_path / "placements.xlsx", upns, start, bad=True)
    corrected = placements_xlsx(tmp_path / "placements-corrected.xlsx", upns, start, bad=False)

    sign_in(page, base_url, axe, lead.email)
    expect(heading(page)).to_have_text("Work queue")
    axe.check()

    # 1. Admin > Imports: the file with 3 bad rows checked.
    open_section(page, "Imports")
    check_the_file(page, base_url, axe, with_errors)
    expect_counts(page, add=ROWS - len(BAD), unchanged=0, invalid=len(BAD))
    errors = page.get_by_role("table", name="Errors by row")
    expected = [
        [str(row_number(index)), column, message] for index, (column, _, message) in BAD.items()
    ]
    rows = errors.locator("tbody tr")
    expect(rows).to_have_count(len(BAD))
    for row, (line, column, message) in zip(rows.all(), expected, strict=True):
        cells = row.get_by_role("cell")
        expect(cells.nth(0)).to_have_text(line)
        expect(cells.nth(1)).to_have_text(column)
        expect(cells.nth(2)).to_contain_text(message)
    import_button = page.get_by_role("button", name=f"Import {ROWS - len(BAD)} placements")
    expect(import_button).to_be_visible()
    axe.check()

    # The error report holds the same 3 rows.
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download the error report (CSV)").click()
    download = download_info.value
    assert re.fullmatch(r"import-\d+-errors\.csv", download.suggested_filename)
    report = Path(download.path()).read_text(encoding="utf-8-sig")
    lines = list(csv.reader(report.splitlines()))
    assert lines[0] == ["Row", "Column", "Error"]
    assert [line[:2] for line in lines[1:]] == [line[:2] for line in expected]
    for line, (_, _, message) in zip(lines[1:], expected, strict=True):
        assert line[2].startswith(message), line[2]

    # 2. Import pressed without choosing to leave the bad rows out: refused, nothing written.
    import_button.click()
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("There is a problem")
    expect(summary).to_contain_text("import only the rows without errors")
    only_valid = page.get_by_role(
        "checkbox", name="Import only the rows without errors, and leave out the others"
    )
    expect(only_valid).not_to_be_checked()
    expect(page.locator(".govuk-error-message")).to_contain_text(
        "Some rows have errors: correct them and check the file again, or choose to import "
        "only the rows without errors"
    )
    expect(page).to_have_title(re.compile(r"^Error: "))
    axe.check()
    assert placements_at(provider.id) == 0
    assert placements_at() == 1  # the one from before

    # 3. The corrected file: all 200 to add, no errors, imported.
    open_section(page, "Imports")
    check_the_file(page, base_url, axe, corrected)
    expect_counts(page, add=ROWS, unchanged=0, invalid=0)
    expect(page.get_by_role("table", name="Errors by row")).to_have_count(0)
    expect(page.get_by_role("checkbox")).to_have_count(0)
    axe.check()
    page.get_by_role("button", name=f"Import {ROWS} placements").click()
    expect(page.get_by_role("heading", name="Import complete")).to_be_visible()
    expect(page.locator(".govuk-panel__body")).to_have_text(f"{ROWS} placements added or updated")
    axe.check()
    assert placements_at(provider.id) == ROWS

    # 4. The placements on the register's list: the provider chosen in the filter, then one
    # pupil found by UPN.
    open_section(page, "Placements")
    expect(page).to_have_url(f"{base_url}/placements")
    expect(heading(page)).to_have_text("Placements")
    count = page.get_by_role("status").filter(has_text="placement")
    expect(count).to_contain_text(f"{ROWS + 1} placements.")
    axe.check()
    page.get_by_role("combobox", name="Provider").fill("bright fut")
    option = page.get_by_role("option", name=PROVIDER_NAME)
    expect(option).to_be_visible()
    option.click()
    page.get_by_role("button", name="Apply filters").click()
    expect(page).to_have_url(re.compile(rf"[?&]provider_id={provider.id}(&|$)"))
    expect(count).to_contain_text(f"{ROWS} placements match your filters")
    listed = page.locator("table.govuk-table tbody tr")
    expect(listed).to_have_count(25)  # the first page
    for row in listed.all():
        expect(row).to_contain_text(PROVIDER_NAME)
        expect(row).to_contain_text("Active")
    axe.check()

    wanted = upns[150]
    page.get_by_label("Find a pupil's placements by name or UPN").fill(wanted)
    page.get_by_role("button", name="Search", exact=True).click()
    expect(page.get_by_role("heading", name=f"Results for ‘{wanted}’")).to_be_visible()
    expect(listed).to_have_count(1)
    expect(listed).to_contain_text(PROVIDER_NAME)
    expect(listed).to_contain_text("Northgate Academy")
    axe.check()
    assert wanted not in page.url

    # 5. The same file again: every row is already on the register, so nothing to import.
    open_section(page, "Imports")
    check_the_file(page, base_url, axe, corrected)
    expect_counts(page, add=0, unchanged=ROWS, invalid=0)
    expect(page.get_by_role("main")).to_contain_text(
        "There is nothing to import: every row is already on the register as it is in the file"
    )
    expect(page.get_by_role("button", name=re.compile(r"^Import \d"))).to_have_count(0)
    axe.check()
    assert placements_at(provider.id) == ROWS

    axe.assert_no_violations()
