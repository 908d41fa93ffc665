"""Signing in and out in a real browser, for every role, with axe-core on every page visited."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Locator, Page, expect

from apregister.models import Role
from tests.browser.conftest import AccessibilityChecker, open_section
from tests.conftest import PASSWORD, make_user

pytestmark = pytest.mark.browser

HOME_HEADINGS = {
    Role.LA_LEAD: "Work queue",
    Role.LA_OFFICER: "Work queue",
    Role.SCHOOL: "Your placements",
    Role.PROVIDER: "Your provision",
    Role.BOARD: "Improvement board",
}

SIGN_IN_HEADING = "Sign in to alternative provision register"

# link text: (path, start of the page's h1)
FOOTER_PAGES = {
    "Accessibility statement": ("/accessibility-statement", "Accessibility statement for"),
    "Privacy notice": ("/privacy-notice", "Privacy notice"),
    "Cookies": ("/cookies", "Cookies"),
}
# the Admin group's sections, reached through the bar and then its sub-navigation
NAVIGATION_PAGES = {
    "Users": ("/users", "Users"),
    "Audit log": ("/audit", "Audit log"),
    "Outbox": ("/outbox", "Outbox"),
}


def heading(page: Page) -> Locator:
    return page.get_by_role("heading", level=1)


def go_home_and_get_sent_to_sign_in(page: Page, base_url: str) -> None:
    page.goto("/")
    expect(page).to_have_url(f"{base_url}/sign-in?next=/")
    expect(heading(page)).to_have_text(SIGN_IN_HEADING)


def sign_in_through_the_page(page: Page, email: str, password: str) -> None:
    page.get_by_label("Email address", exact=True).fill(email)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Sign in").click()


def visit_by_link(
    page: Page, links: Locator, pages: dict, base_url: str, accessibility: AccessibilityChecker
) -> None:
    for text, (path, title) in pages.items():
        links.get_by_role("link", name=text, exact=True).click()
        expect(page).to_have_url(f"{base_url}{path}")
        expect(heading(page)).to_contain_text(title)
        accessibility.check()


@pytest.mark.parametrize("role", list(Role), ids=[role.value for role in Role])
def test_each_role_signs_in_lands_on_its_home_page_and_signs_out(
    role: Role, page: Page, base_url: str, accessibility: AccessibilityChecker
) -> None:
    user = make_user(role)

    go_home_and_get_sent_to_sign_in(page, base_url)
    accessibility.check()

    sign_in_through_the_page(page, user.email, PASSWORD)
    expect(page).to_have_url(f"{base_url}/")
    expect(heading(page)).to_have_text(HOME_HEADINGS[role])
    accessibility.check()

    if role is Role.LA_LEAD:
        footer = page.get_by_role("contentinfo")
        visit_by_link(page, footer, FOOTER_PAGES, base_url, accessibility)
        for text, (path, title) in NAVIGATION_PAGES.items():
            open_section(page, text)
            expect(page).to_have_url(f"{base_url}{path}")
            expect(heading(page)).to_contain_text(title)
            accessibility.check()

    page.get_by_role("button", name="Sign out").click()
    expect(page).to_have_url(f"{base_url}/sign-in")
    expect(heading(page)).to_have_text(SIGN_IN_HEADING)
    expect(page.get_by_text("You have signed out")).to_be_visible()
    accessibility.check()

    # Signed out for real: home sends us back to sign in.
    go_home_and_get_sent_to_sign_in(page, base_url)
    accessibility.check()

    accessibility.assert_no_violations()


def test_a_wrong_password_shows_the_error_summary(
    page: Page, base_url: str, accessibility: AccessibilityChecker
) -> None:
    user = make_user(Role.LA_OFFICER)

    go_home_and_get_sent_to_sign_in(page, base_url)
    accessibility.check()

    sign_in_through_the_page(page, user.email, "not the right passphrase at all")
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("There is a problem")
    expect(summary).to_contain_text("Enter a correct email address and password")
    expect(page).to_have_title(re.compile(r"^Error: Sign in - "))
    expect(page).to_have_url(f"{base_url}/sign-in?next=/")
    expect(heading(page)).to_have_text(SIGN_IN_HEADING)
    accessibility.check()

    accessibility.assert_no_violations()
