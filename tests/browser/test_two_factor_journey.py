"""Two-factor sign-in in a real browser (issue 12, item 11): the LA lead sets it up (QR code and
key, one code, recovery codes), signs out, signs in with a code from the app, signs out again and
signs in with a recovery code. axe-core (WCAG 2.2 AA) runs on every page; the set-up page is
looked at 320 CSS pixels wide too."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime

import pyotp
import pytest
from flask import Flask
from playwright.sync_api import Page, expect

from apregister.auth import rules
from apregister.models import Role
from tests.browser.conftest import AccessibilityChecker, heading
from tests.conftest import PASSWORD, make_user

pytestmark = pytest.mark.browser

SIGN_IN_HEADING = "Sign in to alternative provision register"
SET_UP_HEADING = "Set up two-factor sign-in"
CODE_HEADING = "Enter the code from your authenticator app"
RECOVERY_HEADING = "Enter a recovery code"
CODES_HEADING = "Save your recovery codes"
HOME_HEADING = "Work queue"


@pytest.fixture
def two_factor_on(app: Flask) -> Iterator[None]:
    """The live server shares the session's app (TestConfig switches two-factor off)."""
    app.config["TWO_FACTOR_REQUIRED"] = True
    try:
        yield
    finally:
        app.config["TWO_FACTOR_REQUIRED"] = False


def sign_in_with_password(
    page: Page, base_url: str, checker: AccessibilityChecker, email: str
) -> None:
    page.goto("/")
    expect(page).to_have_url(f"{base_url}/sign-in?next=/")
    expect(heading(page)).to_have_text(SIGN_IN_HEADING)
    checker.check()
    page.get_by_label("Email address", exact=True).fill(email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def sign_out(page: Page, base_url: str, checker: AccessibilityChecker) -> None:
    page.get_by_role("button", name="Sign out").click()
    expect(page).to_have_url(f"{base_url}/sign-in")
    expect(page.locator(".govuk-notification-banner")).to_contain_text("You have signed out")
    checker.check()


def code_at(secret: str, step: int) -> str:
    """The app's code for a time step: a step either side of now is accepted, and a step after
    the last one used has not been used."""
    return pyotp.TOTP(secret, interval=rules.TOTP_INTERVAL).at(step * rules.TOTP_INTERVAL)


def test_lead_sets_up_two_factor_then_signs_in_with_a_code_and_a_recovery_code(
    two_factor_on: None, page: Page, base_url: str, accessibility: AccessibilityChecker
) -> None:
    lead = make_user(Role.LA_LEAD, name="Alex Morgan")

    # 1. The right password leads to set-up; nothing else answers until it is done.
    sign_in_with_password(page, base_url, accessibility, lead.email)
    expect(page).to_have_url(f"{base_url}/sign-in/set-up-two-factor")
    expect(heading(page)).to_have_text(SET_UP_HEADING)
    accessibility.check()
    qr_code = page.get_by_role("img", name=re.compile("QR code"))
    expect(qr_code).to_be_visible()
    assert qr_code.evaluate("img => img.naturalWidth") > 0, "the QR code did not load"
    secret = page.locator("#two-factor-key").inner_text().replace(" ", "")
    assert re.fullmatch(r"[A-Z2-7]{32}", secret)

    # At 320 CSS pixels wide (WCAG 1.4.10 reflow) the page scrolls down only, never across.
    page.set_viewport_size({"width": 320, "height": 800})
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= 320, f"the set-up page is {scroll_width}px wide at 320px"
    accessibility.check()
    page.set_viewport_size({"width": 1280, "height": 800})

    # A wrong code first: a clear error, linked from the summary.
    page.get_by_label("Code from your app").fill("12345")
    page.get_by_role("button", name="Confirm and continue").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Enter the 6-digit code from your authenticator app"
    )
    accessibility.check()

    set_up_step = rules.time_step(datetime.now(UTC))
    page.get_by_label("Code from your app").fill(code_at(secret, set_up_step))
    page.get_by_role("button", name="Confirm and continue").click()
    expect(heading(page)).to_have_text(CODES_HEADING)
    accessibility.check()
    codes = page.locator("#recovery-codes code").all_inner_texts()
    assert len(codes) == 10
    page.get_by_role("button", name="I have saved my recovery codes").click()
    expect(page).to_have_url(f"{base_url}/")
    expect(heading(page)).to_have_text(HOME_HEADING)
    accessibility.check()
    sign_out(page, base_url, accessibility)

    # 2. Signing in again asks for a code from the app.
    sign_in_with_password(page, base_url, accessibility, lead.email)
    expect(page).to_have_url(f"{base_url}/sign-in/code")
    expect(heading(page)).to_have_text(CODE_HEADING)
    accessibility.check()
    page.get_by_label("Code", exact=True).fill(code_at(secret, set_up_step + 1))
    page.get_by_role("button", name="Continue").click()
    expect(page).to_have_url(f"{base_url}/")
    expect(heading(page)).to_have_text(HOME_HEADING)
    accessibility.check()
    sign_out(page, base_url, accessibility)

    # 3. Without the app: a recovery code, once.
    sign_in_with_password(page, base_url, accessibility, lead.email)
    expect(heading(page)).to_have_text(CODE_HEADING)
    accessibility.check()
    page.get_by_role("link", name="Use a recovery code instead").click()
    expect(page).to_have_url(f"{base_url}/sign-in/recovery-code")
    expect(heading(page)).to_have_text(RECOVERY_HEADING)
    accessibility.check()
    page.get_by_label("Recovery code").fill(codes[0])
    page.get_by_role("button", name="Continue").click()
    expect(page).to_have_url(f"{base_url}/")
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        "You have 9 recovery codes left"
    )
    accessibility.check()

    accessibility.assert_no_violations()
