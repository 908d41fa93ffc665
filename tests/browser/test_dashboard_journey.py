"""The KPI dashboard in a real browser: the LA's lead sets a target and a comparator, and the
improvement board reads the figures, made safe to share.

Six placements are active, three at each of two providers, one of them for a pupil with an EHC
plan and one off framework, so several counts are from 1 to 4. The lead sees the exact figures
and sets a baseline date, a target and a comparator for active placements; a board member, in
a browser of their own, sees "fewer than 5" for every small count, the tables behind the
charts, no table by provider or school, no choice but the period, no pupil's name and no link
to a placement or a pupil, and is refused the placement and pupil pages. axe-core (WCAG 2.2
AA) runs on every page each of them visits.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from playwright.sync_api import Locator, Page, expect

from apregister.models import PlacementReason, RegistrationType, Role, SenStatus
from apregister.templating import govuk_date
from tests.browser.conftest import AccessibilityChecker, FreshPage, heading, open_section, sign_in
from tests.conftest import (
    make_placement,
    make_provider,
    make_pupil,
    make_school,
    make_user,
)

pytestmark = pytest.mark.browser

TUITION = "Riverside Tuition Centre"
INDEPENDENT = "Oakfield Independent School"
# (first name, last name, provider, reason, SEN status): three placements at each provider,
# one pupil with an EHC plan.
PUPILS = (
    ("Marnie", "Quillfeather", TUITION, PlacementReason.RE_ENGAGE, SenStatus.EHC_PLAN),
    ("Tobias", "Fenwright", TUITION, PlacementReason.RE_ENGAGE, SenStatus.NONE),
    ("Ayla", "Brennock", TUITION, PlacementReason.MEDICAL, SenStatus.SEN_SUPPORT),
    ("Rufus", "Okonkwole", INDEPENDENT, PlacementReason.RE_ENGAGE, SenStatus.NONE),
    ("Nell", "Harrowgate", INDEPENDENT, PlacementReason.RE_ENGAGE, SenStatus.NONE),
    ("Caspian", "Lowestoft", INDEPENDENT, PlacementReason.MEDICAL, SenStatus.NONE),
)
ACTIVE = len(PUPILS)
RE_ENGAGE = PlacementReason.RE_ENGAGE.label
MEDICAL = PlacementReason.MEDICAL.label

TARGET = "5"
COMPARATOR = "8"
SOURCE = "Statistical neighbours' average, January 2026"
SUPPRESSED = "fewer than 5"


@dataclass(frozen=True)
class Dates:
    today: date

    @property
    def start(self) -> date:
        """Every placement started a fortnight ago: after the day a month back, so the
        direction of travel against last month is always "up from 0"."""
        return self.today - timedelta(weeks=2)

    @property
    def baseline(self) -> date:
        """Before any placement started, so the baseline is 0."""
        return self.today - timedelta(days=30)


# ---- helpers ------------------------------------------------------------------------------


def open_every_disclosure(page: Page) -> None:
    """The dashboard keeps its tables behind disclosures: open them, as a reader would."""
    for details in page.locator("details.app-dashboard__details").all():
        if details.get_attribute("open") is None:
            details.locator("summary").click()


def success_banner(page: Page) -> Locator:
    return page.locator(".govuk-notification-banner--success")


def fill_date(group: Locator, day: date) -> None:
    group.get_by_label("Day", exact=True).fill(str(day.day))
    group.get_by_label("Month", exact=True).fill(str(day.month))
    group.get_by_label("Year", exact=True).fill(str(day.year))


def measures(page: Page) -> Locator:
    return page.get_by_role(
        "table",
        name="Each measure with its baseline, target, comparator and direction of travel",
    )


def measure_cells(page: Page, label: str) -> Locator:
    """The cells (now, baseline, target, comparator, direction) of one measure's row."""
    row = (
        measures(page)
        .get_by_role("row")
        .filter(has=page.get_by_role("rowheader", name=label, exact=True))
    )
    return row.get_by_role("cell")


def figures(page: Page, caption: str) -> dict[str, str]:
    """A figure table (the one behind a chart) as {row label: figure as shown}."""
    table = page.get_by_role("table", name=caption, exact=True)
    expect(table).to_be_visible()
    rows = table.locator("tbody tr")
    return {
        row.get_by_role("rowheader").inner_text().strip(): row.get_by_role("cell")
        .inner_text()
        .strip()
        for row in rows.all()
    }


def off_framework(page: Page) -> dict[str, list[str]]:
    """The off-framework table as {registration status: [active, off framework, share]}."""
    table = page.get_by_role(
        "table", name="Active placements off framework, by registration status", exact=True
    )
    expect(table).to_be_visible()
    return {
        row.get_by_role("rowheader").inner_text().strip(): [
            cell.strip() for cell in row.get_by_role("cell").all_inner_texts()
        ]
        for row in table.locator("tbody tr").all()
    }


ORGANISATIONS = ("Providers with QA up to date", "Registration-threshold alerts")


def small_numbers_shown(page: Page) -> list[str]:
    """Every table cell in main that shows a bare count of children from 1 to 4 (counts of
    providers are not about children, and are shown as they are)."""
    rows = page.get_by_role("main").locator("tr")
    for label in ORGANISATIONS:
        rows = rows.filter(has_not=page.get_by_role("rowheader", name=label, exact=True))
    cells = rows.locator("td").all_inner_texts()
    assert len(cells) > 50, "the dashboard's tables are missing"
    return [text for text in cells if re.fullmatch(r"\s*[1-4]\s*", text)]


# ---- the steps ------------------------------------------------------------------------------


def lead_sets_a_target_and_a_comparator(
    page: Page, base_url: str, axe: AccessibilityChecker, dates: Dates
) -> None:
    expect(heading(page)).to_have_text("Work queue")
    axe.check()

    open_section(page, "Dashboard")
    expect(page).to_have_url(f"{base_url}/dashboard")
    expect(heading(page)).to_have_text("KPI dashboard")
    open_every_disclosure(page)
    # The LA sees exact figures, small ones included.
    now, baseline, target, comparator, _ = (
        measure_cells(page, "Active placements").nth(i) for i in range(5)
    )
    expect(now).to_have_text(str(ACTIVE))
    expect(baseline).to_have_text("No baseline date set")
    expect(target).to_have_text("Not set")
    expect(comparator).to_have_text("Not set")
    expect(measure_cells(page, "Share with an EHC plan").first).to_have_text("16.7%")
    assert figures(page, "Active placements by provider") == {
        INDEPENDENT: "3",
        TUITION: "3",
        "Total": str(ACTIVE),
    }
    expect(
        page.get_by_role("table", name="Active placements by school", exact=True)
    ).to_be_visible()
    assert off_framework(page) == {
        "Registered": ["3", "0", "0.0%"],
        "Unregistered": ["3", "1", "33.3%"],
        "Total": [str(ACTIVE), "1", "16.7%"],
    }
    expect(measure_cells(page, "Share of active placements off framework").first).to_have_text(
        "16.7%"
    )
    assert "3" in small_numbers_shown(page)
    axe.check()

    page.get_by_role("link", name="Change the baseline date, targets and comparators").click()
    expect(page).to_have_url(f"{base_url}/dashboard/settings")
    expect(heading(page)).to_have_text("Targets and comparators")
    axe.check()

    fill_date(page.get_by_role("group", name="Baseline date"), dates.baseline)
    active = page.get_by_role("group", name="Active placements", exact=True)
    active.get_by_label("Target for active placements", exact=True).fill(TARGET)
    active.get_by_label("Comparator for active placements", exact=True).fill(COMPARATOR)
    active.get_by_label("Where the comparator comes from for active placements", exact=True).fill(
        SOURCE
    )
    page.get_by_role("button", name="Save targets and comparators").click()

    expect(page).to_have_url(f"{base_url}/dashboard")
    expect(success_banner(page)).to_contain_text("Targets and comparators saved")
    open_every_disclosure(page)
    expect(
        measures(page).get_by_role("columnheader", name=f"Baseline ({govuk_date(dates.baseline)})")
    ).to_be_visible()
    cells = measure_cells(page, "Active placements")
    expect(cells).to_have_count(5)
    expect(cells.nth(0)).to_have_text(str(ACTIVE))
    expect(cells.nth(1)).to_have_text("0")
    expect(cells.nth(2)).to_have_text(TARGET)
    expect(cells.nth(3)).to_have_text(f"{COMPARATOR}{SOURCE}")
    expect(cells.nth(3).get_by_text(SOURCE, exact=True)).to_be_visible()
    expect(cells.nth(4)).to_contain_text("Up from 0 last month")
    expect(cells.nth(4)).to_contain_text("last term")
    # Other measures are left "Not set".
    expect(measure_cells(page, "Share with an EHC plan").nth(2)).to_have_text("Not set")
    axe.check()

    # What was saved is there to change.
    page.get_by_role("link", name="Change the baseline date, targets and comparators").click()
    expect(page).to_have_url(f"{base_url}/dashboard/settings")
    active = page.get_by_role("group", name="Active placements", exact=True)
    expect(active.get_by_label("Target for active placements", exact=True)).to_have_value(TARGET)
    expect(active.get_by_label("Comparator for active placements", exact=True)).to_have_value(
        COMPARATOR
    )
    expect(
        active.get_by_label("Where the comparator comes from for active placements", exact=True)
    ).to_have_value(SOURCE)
    baseline_group = page.get_by_role("group", name="Baseline date")
    expect(baseline_group.get_by_label("Day", exact=True)).to_have_value(
        re.compile(rf"^0?{dates.baseline.day}$")
    )
    axe.check()


def board_sees_only_safe_figures(
    page: Page, axe: AccessibilityChecker, dates: Dates, pupil_words: list[str]
) -> None:
    """On the dashboard, its disclosures open."""
    main = page.get_by_role("main")
    expect(main.get_by_text('counts from 1 to 4 are shown as "fewer than 5"')).to_be_visible()

    # The measure the lead set up: 6 is not small, so it is shown, with the target, the
    # comparator and its source, and the direction of travel in words.
    cells = measure_cells(page, "Active placements")
    expect(cells.nth(0)).to_have_text(str(ACTIVE))
    expect(cells.nth(1)).to_have_text("0")
    expect(cells.nth(2)).to_have_text(TARGET)
    expect(cells.nth(3)).to_have_text(f"{COMPARATOR}{SOURCE}")
    expect(cells.nth(4)).to_contain_text("Up from 0 last month")
    # 1 pupil of 6 has an EHC plan: the share would give away a small group.
    expect(measure_cells(page, "Share with an EHC plan").first).to_have_text(
        f"Not shown: a group of {SUPPRESSED}"
    )
    expect(measure_cells(page, "Share with an EHC plan").nth(4)).to_contain_text(
        "Not compared: the numbers are too small to show"
    )

    # The tables behind the charts: every count from 1 to 4 says "fewer than 5".
    by_reason = figures(page, "Active placements by reason")
    assert by_reason[RE_ENGAGE] == SUPPRESSED
    assert by_reason[MEDICAL] == SUPPRESSED
    assert by_reason["Total"] == str(ACTIVE)
    assert set(by_reason.values()) <= {"0", SUPPRESSED, str(ACTIVE)}
    assert figures(page, "Active placements by registration status") == {
        "Registered": SUPPRESSED,
        "Unregistered": SUPPRESSED,
        "Total": str(ACTIVE),
    }
    assert figures(page, "Active placements by school phase")["Secondary"] == str(ACTIVE)
    trend = figures(page, "Active placements at the end of each month (for this month: today)")
    assert trend[f"{dates.today:%B %Y}"] == str(ACTIVE)
    expect(
        page.get_by_role("table", name=re.compile("^Attendance rate at AP each month"))
    ).to_be_visible()
    # Off framework: 1 of the 3 at the tuition centre, so the counts by registration status
    # are withheld (a cell of the 2 x 2 table is from 1 to 4), and so is the share overall.
    assert off_framework(page) == {
        "Registered": [SUPPRESSED, "not shown", "not shown"],
        "Unregistered": [SUPPRESSED, "not shown", "not shown"],
        "Total": [str(ACTIVE), SUPPRESSED, f"Not shown: a group of {SUPPRESSED}"],
    }
    # No breakdown by school or by provider at all, and the page says why.
    for hidden in ("Active placements by school", "Active placements by provider"):
        expect(page.get_by_role("table", name=hidden, exact=True)).to_have_count(0)
    expect(
        main.get_by_text("Placements by school and by provider are not shown here")
    ).to_be_visible()
    assert small_numbers_shown(page) == []
    # The tuition centre meets the registration threshold (a pupil with an EHC plan): a
    # count of providers, not of children, so shown as it is.
    expect(measure_cells(page, "Registration-threshold alerts").first).to_have_text("1")

    # Nothing that could name a child or lead to one.
    html = page.content()
    named = [word for word in pupil_words if word in html]
    assert named == [], f"the board's page names pupils: {named}"
    links = page.locator("a[href*='/placements'], a[href*='/pupils']")
    expect(links).to_have_count(0)
    # The board chooses only the period: no provider's or school phase's (small) numbers.
    expect(page.get_by_label("Provider", exact=True)).to_have_count(0)
    expect(page.get_by_label("School phase", exact=True)).to_have_count(0)
    expect(page.get_by_label("Period", exact=True)).to_have_count(1)
    # Only the LA's lead changes targets.
    expect(
        page.get_by_role("link", name="Change the baseline date, targets and comparators")
    ).to_have_count(0)
    axe.check()


def board_summary_is_safe(page: Page, axe: AccessibilityChecker, pupil_words: list[str]) -> None:
    """The board's home: the headline measures as the dashboard shows them, no tables."""
    main = page.get_by_role("main")
    expect(main.get_by_role("heading", name="What needs the board's attention")).to_be_visible()
    expect(main.get_by_role("heading", name=f"Active placements: {ACTIVE}")).to_be_visible()
    card = main.locator(".govuk-summary-card").filter(has_text="Active placements:")
    expect(card).to_contain_text(TARGET)
    expect(card).to_contain_text(SOURCE)
    expect(main.locator("table")).to_have_count(0)
    html = page.content()
    assert [word for word in pupil_words if word in html] == []
    expect(page.locator("a[href*='/placements'], a[href*='/pupils']")).to_have_count(0)
    axe.check()


def board_is_refused(page: Page, base_url: str, axe: AccessibilityChecker, path: str) -> None:
    response = page.goto(path)
    assert response is not None
    assert response.status == 403, f"{path} answered {response.status} to the board"
    expect(page).to_have_url(f"{base_url}{path}")
    expect(heading(page)).to_have_text("You cannot use this page")
    axe.check()


# ---- the journey ----------------------------------------------------------------------------


def test_the_lead_sets_targets_and_the_board_sees_safe_figures(
    page: Page, base_url: str, accessibility: AccessibilityChecker, fresh_page: FreshPage
) -> None:
    dates = Dates(date.today())
    providers = {
        TUITION: make_provider(name=TUITION, registration_type=RegistrationType.TUITION),
        INDEPENDENT: make_provider(
            name=INDEPENDENT, registration_type=RegistrationType.INDEPENDENT_SCHOOL
        ),
    }
    schools = [make_school(name="Hillcrest Academy"), make_school(name="Castle Rise School")]
    placements, pupils = [], []
    for index, (first, last, provider, reason, sen) in enumerate(PUPILS):
        pupil = make_pupil(schools[index % 2], first_name=first, last_name=last, sen_status=sen)
        pupils.append(pupil)
        placements.append(
            make_placement(
                pupil,
                providers[provider],
                reason=reason,
                start_date=dates.start,
                off_framework=index == 1,  # one of the tuition centre's
            )
        )
    lead = make_user(Role.LA_LEAD, name="Lola Lead")
    board = make_user(Role.BOARD, name="Bea Board")
    pupil_words = [word for first, last, *_ in PUPILS for word in (first, last)]
    pupil_words += [pupil.upn for pupil in pupils]

    # 1. The lead sets a baseline date, a target and a comparator for active placements.
    sign_in(page, base_url, accessibility, lead.email)
    lead_sets_a_target_and_a_comparator(page, base_url, accessibility, dates)

    # 2. A board member lands on the board's summary, then reads the dashboard, and sees
    # only figures safe to share.
    board_page, board_axe = fresh_page()
    sign_in(board_page, base_url, board_axe, board.email)
    expect(heading(board_page)).to_have_text("Improvement board")
    board_summary_is_safe(board_page, board_axe, pupil_words)

    open_section(board_page, "Dashboard")
    expect(board_page).to_have_url(f"{base_url}/dashboard")
    expect(heading(board_page)).to_have_text("KPI dashboard")
    board_axe.check()
    open_every_disclosure(board_page)
    board_sees_only_safe_figures(board_page, board_axe, dates, pupil_words)
    nav = board_page.get_by_role("navigation", name="Sections")
    for hidden in ("Placements", "Pupils", "Providers"):
        expect(nav.get_by_role("link", name=hidden, exact=True)).to_have_count(0)

    # 3. Typing the addresses in does not help: the placement and pupil pages refuse the board.
    for path in (
        "/placements",
        "/pupils",
        f"/placements/{placements[0].id}",
        f"/pupils/{pupils[0].id}",
    ):
        board_is_refused(board_page, base_url, board_axe, path)

    accessibility.assert_no_violations()
    board_axe.assert_no_violations()
