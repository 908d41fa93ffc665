"""Changing a placement in a real browser (issue 13, item 3): the school follows a "Change" link
from the placement page, is refused once with a GOV.UK error summary, then saves a change and
sees it on the placement. axe-core (WCAG 2.2 AA) runs on every page it lands on."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from playwright.sync_api import Page, expect

from apregister.models import FrameworkStatus, RegistrationType, Role
from tests.browser.conftest import AccessibilityChecker, heading, sign_in
from tests.conftest import make_placement, make_provider, make_pupil, make_school, make_user

pytestmark = pytest.mark.browser


def test_the_school_changes_a_placement_before_it_starts(
    page: Page, base_url: str, accessibility: AccessibilityChecker
) -> None:
    school = make_school(name="Riverside High School")
    provider = make_provider(
        name="Beacon Hill AP Academy",
        registration_type=RegistrationType.AP_ACADEMY,
        framework_status=FrameworkStatus.APPROVED,
    )
    placement = make_placement(
        make_pupil(school, first_name="Jo", last_name="Lee"),
        provider,
        start_date=date.today() + timedelta(weeks=1),
        session_mask=0b11,
        hours_per_week=5,
        full_time=False,
    )
    teacher = make_user(Role.SCHOOL, school, name="Sol Senco")

    sign_in(page, base_url, accessibility, teacher.email)
    accessibility.check()
    page.goto(f"/placements/{placement.id}")
    accessibility.check()
    page.get_by_role("link", name="Change sessions each week").click()
    expect(heading(page)).to_have_text("Change the placement")
    accessibility.check()

    page.get_by_label("Monday PM", exact=True).uncheck()
    page.get_by_label("Monday AM", exact=True).uncheck()
    page.get_by_role("button", name="Save changes").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Select at least one session")
    accessibility.check()

    page.get_by_label("Thursday AM", exact=True).check()
    page.get_by_label("Thursday PM", exact=True).check()
    page.get_by_label("Hours each week").fill("6")
    page.get_by_role("button", name="Save changes").click()
    # the browser keeps the Change link's #sessions through the redirect
    expect(page).to_have_url(re.compile(rf"{re.escape(base_url)}/placements/{placement.id}(#.*)?$"))
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Placement changed")
    expect(page.locator(".govuk-summary-list").first).to_contain_text("Thursday AM, Thursday PM")
    accessibility.check()
