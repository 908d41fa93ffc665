"""Issue 13 in a real browser: an LA officer filters placements by a school chosen from the
accessible autocomplete (suggestions fetched from the server), then finds a pupil by name.
The term stays out of every address the browser visits; axe-core runs on every page."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from apregister.models import Role
from tests.browser.conftest import AccessibilityChecker, heading, sign_in
from tests.conftest import make_placement, make_provider, make_pupil, make_school, make_user

pytestmark = pytest.mark.browser


def test_la_officer_filters_by_school_and_searches_by_name(
    page: Page, base_url: str, accessibility: AccessibilityChecker
):
    wanted = make_school(name="Kingfisher Academy")
    make_school(name="Kingsbridge Primary")
    other = make_school(name="Heron Vale School")
    provider = make_provider(name="Meadow Tuition")
    make_placement(make_pupil(wanted, first_name="Rowan", last_name="Ashby"), provider)
    make_placement(make_pupil(wanted, first_name="Casey", last_name="Brook"), provider)
    make_placement(make_pupil(other, first_name="Rowan", last_name="Ashworth"), provider)
    officer = make_user(Role.LA_OFFICER)
    sign_in(page, base_url, accessibility, officer.email)
    accessibility.check()

    page.goto("/placements")
    expect(heading(page)).to_have_text("Placements")
    accessibility.check()
    # the text box became an autocomplete, still labelled "School"
    school = page.get_by_role("combobox", name="School")
    school.fill("kingf")
    option = page.get_by_role("option", name="Kingfisher Academy")
    expect(option).to_be_visible()
    accessibility.check()  # with the suggestions open
    option.click()
    page.get_by_role("button", name="Apply filters").click()
    expect(page).to_have_url(re.compile(rf"\?.*&school=Kingfisher\+Academy&school_id={wanted.id}&"))
    accessibility.check()
    table = page.locator("table.govuk-table tbody")
    expect(table.get_by_role("link")).to_have_count(2)

    page.get_by_label("Find a pupil's placements by name or UPN").fill("rowan ash")
    page.get_by_role("button", name="Search", exact=True).click()
    expect(page.get_by_role("heading", name="Results for ‘rowan ash’")).to_be_visible()
    accessibility.check()
    assert "rowan" not in page.url.lower()
    expect(table.get_by_role("link")).to_have_text(["Rowan Ashby"])  # not the other school's

    page.get_by_role("button", name="Clear search").click()
    expect(page.get_by_role("heading", name="Results for ‘rowan ash’")).to_have_count(0)
    accessibility.check()
    expect(table.get_by_role("link")).to_have_count(2)

    # a refused term: the error summary, the field's message, nothing kept
    page.get_by_label("Find a pupil's placements by name or UPN").fill("rowan%")
    page.get_by_role("button", name="Search", exact=True).click()
    expect(page.get_by_role("alert")).to_contain_text(
        "Search using letters, numbers, spaces, hyphens and apostrophes only"
    )
    accessibility.check()
