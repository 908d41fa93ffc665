"""Issue 13, item 6: a board member reads the board's pages on the demo data, as in a meeting.

The home page is a short summary (what needs the board's attention, the headline measures
with their targets, baselines and comparators, links onward); the dashboard opens on the
headline measures with the detail behind disclosures; the figures download as CSV; the
dashboard prints on a few A4 pages with every disclosure open and no navigation. Both pages
are checked with axe-core at 1280 and at 320 pixels wide, where nothing may scroll sideways.
"""

from __future__ import annotations

import csv
import io
import re

import pytest
from flask import Flask
from playwright.sync_api import Page, expect

from apregister.dashboard import figures
from apregister.demo import seed_demo
from apregister.extensions import db
from tests.browser.conftest import AccessibilityChecker, heading, sign_in
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser

WIDE, NARROW = 1280, 320
MAX_PRINTED_PAGES = 6
HIDDEN = re.compile(r"fewer than 5|not shown", re.I)


def fits(page: Page, width: int, axe: AccessibilityChecker) -> None:
    """At `width` pixels the page does not scroll sideways, and passes axe."""
    page.set_viewport_size({"width": width, "height": 900})
    scroll = page.evaluate("document.documentElement.scrollWidth")
    assert scroll <= width, f"{page.url} is {scroll}px wide at {width}px"
    axe.check()


def open_every_disclosure(page: Page) -> None:
    for details in page.locator("details.app-dashboard__details").all():
        if details.get_attribute("open") is None:
            details.locator("summary").click()


def printed_pages(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page(?![s\w])", pdf))


def test_a_board_member_reads_the_summary_the_dashboard_and_prints_it(
    app: Flask, page: Page, base_url: str, accessibility: AccessibilityChecker
) -> None:
    seed_demo(la_name=app.config["LA_NAME"], password=PASSWORD)
    db.session.commit()
    page.set_viewport_size({"width": WIDE, "height": 900})
    sign_in(page, base_url, accessibility, "board@demo.test")

    # 1. The home page: a summary, not the dashboard again.
    expect(heading(page)).to_have_text("Improvement board")
    main = page.get_by_role("main")
    expect(main.get_by_role("heading", name="What needs the board's attention")).to_be_visible()
    expect(main.locator("ul.govuk-list--bullet li").first).to_be_visible()
    cards = main.locator(".govuk-summary-card")
    expect(cards).to_have_count(5)
    expect(cards.first).to_contain_text("Target")
    expect(cards.first).to_contain_text("Comparator")
    expect(main.locator("table")).to_have_count(0)
    accessibility.check()
    fits(page, NARROW, accessibility)
    page.set_viewport_size({"width": WIDE, "height": 900})

    # 2. On to the dashboard: the headline measures first, the detail closed.
    main.get_by_role("link", name=re.compile(r"^All \d+ measures$")).click()
    expect(page).to_have_url(re.compile(r"/dashboard#measures$"))
    expect(heading(page)).to_have_text("KPI dashboard")
    tiles = page.locator(".app-key-figures__item")
    expect(tiles).to_have_count(5)
    expect(page.get_by_role("table", name=figures.MEASURES)).to_have_count(0)  # closed
    accessibility.check()

    open_every_disclosure(page)
    measures = page.get_by_role("table", name=figures.MEASURES)
    expect(measures).to_be_visible()
    # the demo gives the board real figures in most cells, not "fewer than 5" everywhere
    cells = page.get_by_role("main").locator("td").all_inner_texts()
    hidden = [text for text in cells if HIDDEN.search(text)]
    assert len(cells) > 100
    assert len(hidden) < len(cells) // 10, f"{len(hidden)} of {len(cells)} cells hidden"
    expect(measures.get_by_role("row").nth(1).get_by_role("cell").nth(2)).not_to_have_text(
        "Not set"
    )
    accessibility.check()
    fits(page, NARROW, accessibility)
    page.set_viewport_size({"width": WIDE, "height": 900})

    # 3. The figures as CSV: the same as the page.
    with page.expect_download() as download:
        page.get_by_role("link", name=re.compile(r"^CSV")).click()
    rows = list(csv.reader(io.StringIO(download.value.path().read_text(encoding="utf-8"))))
    assert rows[0] == list(figures.HEADER)
    active = next(row for row in rows if row[1] == "Active placements" and row[2] == "Now")
    expect(tiles.first).to_contain_text(active[3])

    # 4. Printed: no navigation or buttons, every disclosure open, a few A4 pages.
    page.reload()
    accessibility.check()
    page.emulate_media(media="print")
    expect(page.locator("details.app-dashboard__details:not([open])")).to_have_count(0)
    expect(page.get_by_role("navigation", name="Sections")).to_be_hidden()
    expect(page.get_by_role("button", name="Show figures")).to_be_hidden()
    expect(page.locator(".govuk-footer")).to_be_hidden()
    pdf = page.pdf(format="A4", print_background=True)
    pages = printed_pages(pdf)
    assert 1 <= pages <= MAX_PRINTED_PAGES, f"the dashboard prints on {pages} A4 pages"
    page.emulate_media(media="screen")
    expect(page.locator("details.app-dashboard__details[open]")).to_have_count(0)

    accessibility.assert_no_violations()
