"""The dashboard's figures as a download (CSV or XLSX), read from the very dict the page is
rendered from (presenter.page): each cell as the page shows it, "fewer than 5" and "not
shown" included, so a download can never hold a figure, or a part of one, the page hides.
The value beside each figure is read back from the text shown, never from the count."""

from __future__ import annotations

import re
from decimal import Decimal

from apregister.dashboard import rules
from apregister.templating import govuk_date, govuk_timestamp

HEADER = ("Table", "Row", "Column", "Figure as shown", "Value")
ABOUT = "About these figures"
MEASURES = "Each measure with its baseline, target, comparator and direction of travel"
TREND_ACTIVE = "Active placements at the end of each month (for this month: today)"
TREND_ATTENDANCE = "Attendance rate at AP each month: sessions attended out of sessions expected"
CAPTIONS = {
    "measures": MEASURES,
    "trend_active": TREND_ACTIVE,
    "trend_attendance": TREND_ATTENDANCE,
}
SMALL_NUMBERS = (
    f'Counts from 1 to 4 are shown as "{rules.SUPPRESSED}". Percentages, averages and '
    "attendance resting on fewer than 5 pupils or placements are not shown, and where a small "
    f'number could be worked out from other figures, another number is "{rules.WITHHELD}".'
)
_NUMBER = re.compile(r"(\d[\d,]*(?:\.\d+)?)(?:%| weeks)?")

Row = tuple[str, str, str, str, int | Decimal | None]


def value_of(text: str) -> int | Decimal | None:
    """The number a figure as shown says ('1,204', '12.5%', '8.3 weeks'), or None."""
    found = _NUMBER.fullmatch(text)
    if found is None:
        return None
    digits = found.group(1).replace(",", "")
    return Decimal(digits) if "." in digits else int(digits)


def rows(page: dict) -> list[Row]:
    """Every figure on the dashboard `page`, one a row: (table, row, column, as shown, value)."""
    found: list[Row] = []

    def add(table: str, row: str, column: str, text: str) -> None:
        found.append((table, row, column, text, value_of(text)))

    window = page["window"]
    about = [
        ("Period", page["period_label"]),
        ("Counts as at", govuk_date(window.day)),
        ("Figures as at", govuk_timestamp(page["figures_as_at"])),
        (
            "Ended placements and attendance",
            f"{govuk_date(window.since)} to {govuk_date(window.as_of)}",
        ),
        *page.get("chosen", []),
    ]
    if page["board"]:
        about.append(("Small numbers", SMALL_NUMBERS))
    found += [(ABOUT, label, "", text, None) for label, text in about]

    baseline = "Baseline"
    if page["baseline_date"]:
        baseline += f" ({govuk_date(page['baseline_date'])})"
    for row in page["kpi_rows"]:
        label = row.kpi.label
        add(MEASURES, label, "Now", row.now.text)
        add(
            MEASURES, label, baseline, row.baseline.text if row.baseline else "No baseline date set"
        )
        add(MEASURES, label, "Target", row.target)
        add(MEASURES, label, "Comparator", row.comparator)
        found.append((MEASURES, label, "Comparator source", row.comparator_source or "", None))
        found.append((MEASURES, label, "Since last month", row.last_month.words, None))
        found.append((MEASURES, label, "Since last term", row.last_term.words, None))

    for breakdown in page["breakdowns"]:
        for bar in breakdown.rows:
            add(breakdown.title, bar.label, "Active placements", bar.text)
        if breakdown.rows:
            add(breakdown.title, "Total", "Active placements", breakdown.total.text)
    title = page["off_framework_title"]
    for row in page["off_framework"]:
        add(title, row.label, "Active placements", row.active)
        add(title, row.label, "Of which off framework", row.off)
        add(title, row.label, "Share off framework", row.share)
    for bar in page["trend"].active:
        add(TREND_ACTIVE, bar.label, "Active placements", bar.text)
    for bar in page["trend"].attendance:
        add(TREND_ATTENDANCE, bar.label, "Attendance rate", bar.text)
    return found


def filename_stem(page: dict) -> str:
    return f"kpi-figures-{page['window'].day.isoformat()}"
