"""A table that scrolls at 320 px does so inside a region a keyboard can reach and scroll
(issue 13, item 8). Whether every page reflows, and that every scrolling region is focusable,
named and shows the focus style, is the sweep's to check (tests/browser/test_sweep.py); this
is the behaviour behind it: focus the region, press the arrow key, and the table moves."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from apregister.models import Role
from tests.browser.conftest import AccessibilityChecker, sign_in
from tests.conftest import make_placement, make_provider, make_user

pytestmark = pytest.mark.browser


def test_a_wide_table_scrolls_in_a_named_region_at_320_px(
    page: Page, base_url: str, accessibility: AccessibilityChecker
) -> None:
    make_placement(provider=make_provider(name="Narrow Screen Learning"))
    lead = make_user(Role.LA_LEAD)
    page.set_viewport_size({"width": 320, "height": 800})
    sign_in(page, base_url, accessibility, lead.email)
    accessibility.check()
    page.goto("/placements")
    accessibility.check()
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    region = page.locator(".app-table-wrapper[tabindex='0']").first
    expect(region).to_have_attribute("role", "region")
    assert (region.get_attribute("aria-label") or "").strip()
    region.focus()
    expect(region).to_be_focused()
    for _ in range(3):
        page.keyboard.press("ArrowRight")
    # the browser scrolls smoothly: wait for it rather than read it at once
    page.wait_for_function("w => w.scrollLeft > 0", arg=region.element_handle(), timeout=5000)
    accessibility.assert_no_violations()
