"""The checks before a placement starts, in a real browser: the school records its items (one
refused first, with a GOV.UK error summary), names the agreement's contacts and confirms it; the
provider records its staff checks and confirms the agreement without ever seeing the family's or
the pupil's own words; the school then sees the placement ready to start, and prints the
agreement. Each person signs in in a browser context of their own, and axe-core (WCAG 2.2 AA)
runs on every page each of them lands on."""

from __future__ import annotations

import re
from datetime import date, timedelta
from html import escape

import pytest
from playwright.sync_api import Locator, Page, expect
from sqlalchemy import func, select

from apregister.checks.queries import required_items
from apregister.extensions import db
from apregister.models import (
    CheckItem,
    FrameworkStatus,
    Placement,
    PlacementCheck,
    RegistrationType,
    Role,
)
from apregister.settings import current_settings
from apregister.templating import govuk_date
from tests.browser.conftest import AccessibilityChecker, FreshPage, heading, sign_in
from tests.conftest import (
    make_placement,
    make_provider,
    make_pupil,
    make_school,
    make_user,
)

pytestmark = pytest.mark.browser

SCHOOL_NAME = "Riverside High School"
PROVIDER_NAME = "Beacon Hill AP Academy"
ERROR_SUMMARY = ".govuk-error-summary"
SUCCESS = ".govuk-notification-banner--success"
ALL_ITEMS = len(CheckItem)

RISKS = "Low risk overall; travel plan agreed; full assessment kept on the school's system"
PARENT_WHO = "Ann Lee, mother"
PARENT_HOW = "In a meeting at school with the SENCo"
PARENT_WHAT = "Ann agreed to the placement and to collecting Jo on Fridays from the centre"
PUPIL_VIEWS = "Jo said: I want to try the motor vehicle course and get away from Year 9 maths"
TRANSPORT = "Taxi arranged by the LA both ways; packed lunch from home, microwave at the centre"
WHO_DOES_WHAT = (
    "The provider takes the register and phones the school by 10am about any absence.\n"
    "The school's placement lead reviews the placement every six weeks."
)
STAFF_WHO = "Pat Quinn, head of centre"
STAFF_WHAT = "Enhanced DBS with barred list checks for every member of staff working with Jo"
DSL = ("Dana Lowe", "01632 960 001", "dana.lowe@riverside.example")
LEAD = ("Lee Park", "01632 960 002", "lee.park@riverside.example")
PROVIDER_CONTACT = ("Pat Quinn", "01632 960 123", "pat.quinn@beacon.example")
# what the provider must never be shown
PRIVATE = (PARENT_WHO, PARENT_HOW, PARENT_WHAT, PUPIL_VIEWS)


# ---- helpers ------------------------------------------------------------------------------


def summary_value(page: Page, key: str) -> Locator:
    row = page.locator(".govuk-summary-list__row").filter(
        has=page.locator("dt").get_by_text(key, exact=True)
    )
    return row.locator("dd").first


def fill_date(page: Page, legend: str, day: date) -> None:
    group = page.get_by_role("group", name=legend, exact=True)
    group.get_by_label("Day", exact=True).fill(str(day.day))
    group.get_by_label("Month", exact=True).fill(str(day.month))
    group.get_by_label("Year", exact=True).fill(str(day.year))


def progress(page: Page) -> Locator:
    return page.locator("#pre-start-summary")


def task(page: Page, item: CheckItem) -> Locator:
    return page.locator(".govuk-task-list__item").filter(has_text=item.label)


def task_status(page: Page, item: CheckItem) -> Locator:
    return page.locator(f"#check-{item.value}-status")


def open_task(page: Page, item: CheckItem) -> None:
    page.locator(".govuk-task-list").get_by_role("link", name=item.label, exact=True).click()


def saved_checks() -> int:
    """Rows in the database now (the live server's thread writes them)."""
    try:
        return db.session.scalar(select(func.count()).select_from(PlacementCheck))
    finally:
        db.session.rollback()


def assert_nothing_private(page: Page) -> None:
    text = page.content()
    for words in PRIVATE:
        for form in (words, escape(words)):
            assert form not in text, f"the provider was shown {words!r} on {page.url}"


def record(
    page: Page, base_url: str, axe: AccessibilityChecker, placement_url: str, item: CheckItem
) -> None:
    """Open the item from the task list, and check its (empty) form."""
    open_task(page, item)
    expect(page).to_have_url(f"{placement_url}/checks/{item.value}")
    expect(heading(page)).to_have_text(item.label)
    axe.check()


def saved(
    page: Page, axe: AccessibilityChecker, placement_url: str, item: CheckItem, done: int
) -> None:
    """Back on the placement page, the item completed and the count gone up."""
    expect(page).to_have_url(placement_url)
    expect(page.locator(SUCCESS)).to_contain_text(f"{item.label} recorded")
    expect(task_status(page, item)).to_have_text("Completed")
    expect(progress(page)).to_have_text(f"Not ready: {done} of {ALL_ITEMS} checks done")
    axe.check()


# ---- the school -----------------------------------------------------------------------------


def school_records_its_checks(
    page: Page, base_url: str, axe: AccessibilityChecker, placement_url: str
) -> None:
    expect(heading(page)).to_have_text("Your placements")
    axe.check()

    page.goto(placement_url)
    expect(page.get_by_role("heading", name="Checks before the placement starts")).to_be_visible()
    expect(progress(page)).to_have_text(f"Not ready: 0 of {ALL_ITEMS} checks done")
    expect(page.locator(".govuk-task-list__item")).to_have_count(ALL_ITEMS)
    for item in CheckItem:
        expect(task_status(page, item)).to_have_text("Incomplete")
    # the commissioner may record every item, and opens the agreement from here too
    for item in CheckItem:
        expect(task(page, item).get_by_role("link", name=item.label, exact=True)).to_be_visible()
    axe.check()

    # Empty, the risk assessment is refused with a GOV.UK error summary, and nothing is saved.
    record(page, base_url, axe, placement_url, CheckItem.RISK_ASSESSMENT)
    page.get_by_role("button", name="Save").click()
    expect(page).to_have_url(f"{placement_url}/checks/{CheckItem.RISK_ASSESSMENT.value}")
    problems = page.locator(ERROR_SUMMARY)
    expect(problems).to_contain_text("There is a problem")
    message = "Enter a summary of the risk assessment"
    expect(problems.get_by_role("link", name=message)).to_be_visible()
    expect(page.get_by_role("main").locator(".govuk-error-message")).to_contain_text(message)
    expect(page).to_have_title(re.compile(r"^Error: "))
    assert saved_checks() == 0
    axe.check()

    # The error summary's link takes the user to the field.
    problems.get_by_role("link", name=message).click()
    details = page.get_by_label("Summary of the risk assessment", exact=True)
    expect(details).to_be_focused()
    details.fill(RISKS)
    page.get_by_role("button", name="Save").click()
    saved(page, axe, placement_url, CheckItem.RISK_ASSESSMENT, 1)

    record(page, base_url, axe, placement_url, CheckItem.PARENT_AGREEMENT)
    page.get_by_label("Who agreed", exact=True).fill(PARENT_WHO)
    fill_date(page, "When they agreed", date.today() - timedelta(days=3))
    page.get_by_label("How they agreed", exact=True).fill(PARENT_HOW)
    page.get_by_label("What they agreed to", exact=True).fill(PARENT_WHAT)
    page.get_by_role("button", name="Save").click()
    saved(page, axe, placement_url, CheckItem.PARENT_AGREEMENT, 2)

    record(page, base_url, axe, placement_url, CheckItem.PUPIL_VIEWS)
    page.get_by_label("The pupil's views", exact=True).fill(PUPIL_VIEWS)
    page.get_by_role("button", name="Save").click()
    saved(page, axe, placement_url, CheckItem.PUPIL_VIEWS, 3)

    record(page, base_url, axe, placement_url, CheckItem.TRANSPORT_LUNCH)
    page.get_by_label("Transport and lunch arrangements", exact=True).fill(TRANSPORT)
    page.get_by_role("button", name="Save").click()
    saved(page, axe, placement_url, CheckItem.TRANSPORT_LUNCH, 4)

    # A recorded item reads back when opened again.
    record(page, base_url, axe, placement_url, CheckItem.PARENT_AGREEMENT)
    expect(page.get_by_label("What they agreed to", exact=True)).to_have_value(PARENT_WHAT)
    page.get_by_role("link", name="Back to the placement").click()
    expect(page).to_have_url(placement_url)
    axe.check()


def school_confirms_the_agreement(
    page: Page, base_url: str, axe: AccessibilityChecker, placement_url: str
) -> None:
    agreement_url = f"{placement_url}/agreement"
    open_task(page, CheckItem.AGREEMENT)
    expect(page).to_have_url(agreement_url)
    expect(heading(page)).to_have_text(CheckItem.AGREEMENT.label)
    expect(summary_value(page, "Who does what")).to_have_text("Not agreed yet")
    expect(summary_value(page, "Provider's contact")).to_have_text("Not given")
    main = page.get_by_role("main")
    expect(main.locator(".govuk-warning-text")).to_contain_text("Before you confirm")
    axe.check()

    page.get_by_role("link", name="Change the named contacts").click()
    expect(page).to_have_url(f"{agreement_url}/contacts")
    expect(heading(page)).to_have_text("Named contacts")
    axe.check()
    for who, (name, phone, email) in (
        ("Home school's designated safeguarding lead", DSL),
        ("Home school's placement lead", LEAD),
        ("Provider's contact", PROVIDER_CONTACT),
    ):
        page.get_by_label(f"{who}: name", exact=True).fill(name)
        page.get_by_label(f"{who}: telephone", exact=True).fill(phone)
        page.get_by_label(f"{who}: email", exact=True).fill(email)
    page.get_by_role("button", name="Save contacts").click()

    expect(page).to_have_url(agreement_url)
    expect(page.locator(SUCCESS)).to_contain_text("Contacts saved")
    expect(summary_value(page, "Home school's designated safeguarding lead")).to_contain_text(
        DSL[0]
    )
    expect(summary_value(page, "Provider's contact")).to_contain_text(PROVIDER_CONTACT[2])
    expect(main.locator(".govuk-warning-text")).to_have_count(0)
    axe.check()

    page.get_by_label("Who does what", exact=True).fill(WHO_DOES_WHAT)
    page.get_by_role("button", name="Confirm the agreement").click()
    expect(page).to_have_url(agreement_url)
    expect(page.locator(SUCCESS)).to_contain_text("Agreement confirmed: waiting for the provider")
    expect(summary_value(page, "Confirmed by the commissioner")).to_contain_text(
        govuk_date(date.today())
    )
    expect(summary_value(page, "Confirmed by the provider")).to_have_text("Not yet")
    axe.check()

    page.get_by_role("link", name="Back to the placement").click()
    expect(page).to_have_url(placement_url)
    # the agreement waits for the provider, so it is not complete yet
    expect(task_status(page, CheckItem.AGREEMENT)).to_have_text("Waiting for the provider")
    expect(progress(page)).to_have_text(f"Not ready: 4 of {ALL_ITEMS} checks done")
    axe.check()


# ---- the provider ---------------------------------------------------------------------------


def provider_does_its_part(
    page: Page, base_url: str, axe: AccessibilityChecker, placement_url: str
) -> None:
    expect(heading(page)).to_have_text("Your provision")
    axe.check()

    page.goto(placement_url)
    expect(progress(page)).to_have_text(f"Not ready: 4 of {ALL_ITEMS} checks done")
    expect(task_status(page, CheckItem.PARENT_AGREEMENT)).to_have_text("Completed")
    expect(task_status(page, CheckItem.PUPIL_VIEWS)).to_have_text("Completed")
    # the provider sees that they are done, not what was said, nor who recorded them
    for item in (CheckItem.PARENT_AGREEMENT, CheckItem.PUPIL_VIEWS):
        expect(task(page, item).get_by_role("link")).to_have_count(0)
        expect(task(page, item).locator(".govuk-task-list__hint")).to_have_count(0)
    assert_nothing_private(page)
    axe.check()

    # An item of the family's or the pupil's own is refused, even by its address.
    response = page.goto(f"{placement_url}/checks/{CheckItem.PUPIL_VIEWS.value}")
    assert response is not None and response.status == 403
    assert_nothing_private(page)
    axe.check()
    page.goto(placement_url)
    axe.check()

    record(page, base_url, axe, placement_url, CheckItem.STAFF_CHECKS)
    page.get_by_label("Who at the provider confirmed the checks", exact=True).fill(STAFF_WHO)
    fill_date(page, "Date of the written confirmation", date.today() - timedelta(days=1))
    page.get_by_label("What the confirmation covers", exact=True).fill(STAFF_WHAT)
    page.get_by_role("button", name="Save").click()
    saved(page, axe, placement_url, CheckItem.STAFF_CHECKS, 5)
    assert_nothing_private(page)

    open_task(page, CheckItem.AGREEMENT)
    expect(page).to_have_url(f"{placement_url}/agreement")
    expect(summary_value(page, "Who does what")).to_contain_text("phones the school by 10am")
    expect(summary_value(page, "Provider's contact")).to_contain_text(PROVIDER_CONTACT[0])
    # the provider confirms; it neither words the agreement nor changes its contacts
    expect(page.get_by_label("Who does what", exact=True)).to_have_count(0)
    expect(page.get_by_role("link", name="Change the named contacts")).to_have_count(0)
    assert_nothing_private(page)
    axe.check()

    page.get_by_role("button", name="Confirm the agreement").click()
    expect(page).to_have_url(f"{placement_url}/agreement")
    expect(page.locator(SUCCESS)).to_contain_text("Agreement confirmed")
    expect(page.get_by_text("Both sides have confirmed this agreement.")).to_be_visible()
    expect(page.get_by_role("button", name="Confirm the agreement")).to_have_count(0)
    expect(summary_value(page, "Confirmed by the provider")).to_contain_text(
        govuk_date(date.today())
    )
    axe.check()

    page.get_by_role("link", name="Open a copy to print").click()
    expect(page).to_have_url(f"{placement_url}/agreement/print")
    assert_nothing_private(page)
    axe.check()


# ---- the printable copy ---------------------------------------------------------------------


def school_prints_the_agreement(
    page: Page, base_url: str, axe: AccessibilityChecker, placement_url: str
) -> None:
    page.goto(f"{placement_url}/agreement")
    axe.check()
    page.get_by_role("link", name="Open a copy to print").click()
    expect(page).to_have_url(f"{placement_url}/agreement/print")
    expect(heading(page)).to_have_text(CheckItem.AGREEMENT.label)
    for name, _phone, email in (DSL, LEAD, PROVIDER_CONTACT):
        expect(page.get_by_role("main")).to_contain_text(name)
        expect(page.get_by_role("main")).to_contain_text(email)
    expect(summary_value(page, "Who does what")).to_contain_text("phones the school by 10am")
    expect(summary_value(page, "Who does what")).to_contain_text("every six weeks")
    expect(summary_value(page, "Provider")).to_have_text(PROVIDER_NAME)
    expect(summary_value(page, "Confirmed by the provider")).to_contain_text(
        govuk_date(date.today())
    )
    # its own stylesheet loaded under the CSP, and the print button shown by the nonce'd script
    font = page.evaluate("getComputedStyle(document.body).fontFamily")
    assert "Arial" in font, font
    button = page.get_by_role("button", name="Print this page")
    expect(button).to_be_visible()
    axe.check()

    # On a phone the terms stack, and nothing pushes the page wider than the screen.
    page.set_viewport_size({"width": 320, "height": 800})
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= 320, f"the printable copy is {scroll_width}px wide at 320px"
    page.set_viewport_size({"width": 1280, "height": 720})

    # On paper the button is gone, and the terms are still there.
    page.emulate_media(media="print")
    expect(button).to_be_hidden()
    expect(summary_value(page, "Who does what")).to_be_visible()
    page.emulate_media(media="screen")


# ---- the journey ----------------------------------------------------------------------------


def test_checks_are_done_by_both_sides_before_the_placement_starts(
    page: Page, base_url: str, accessibility: AccessibilityChecker, fresh_page: FreshPage
) -> None:
    # Every check is required: the LA has saved no settings, so the defaults stand.
    assert required_items(current_settings()) == {item.value for item in CheckItem}
    school = make_school(name=SCHOOL_NAME)
    provider = make_provider(
        name=PROVIDER_NAME,
        registration_type=RegistrationType.AP_ACADEMY,
        framework_status=FrameworkStatus.APPROVED,
    )
    pupil = make_pupil(school, first_name="Jo", last_name="Lee")
    placement: Placement = make_placement(
        pupil, provider, start_date=date.today() + timedelta(weeks=1)
    )
    assert placement.school_id == school.id
    school_user = make_user(Role.SCHOOL, school, name="Sol Senco")
    provider_user = make_user(Role.PROVIDER, provider, name="Pia Provider")
    placement_url = f"{base_url}/placements/{placement.id}"

    sign_in(page, base_url, accessibility, school_user.email)
    school_records_its_checks(page, base_url, accessibility, placement_url)
    school_confirms_the_agreement(page, base_url, accessibility, placement_url)

    provider_page, provider_axe = fresh_page()
    sign_in(provider_page, base_url, provider_axe, provider_user.email)
    provider_does_its_part(provider_page, base_url, provider_axe, placement_url)

    # The school sees the placement ready to start, every item done.
    page.reload()
    expect(progress(page)).to_have_text("Ready to start")
    for item in CheckItem:
        expect(task_status(page, item)).to_have_text("Completed")
    expect(page.get_by_role("main").locator(".govuk-warning-text")).to_have_count(0)
    accessibility.check()

    # At 320 CSS pixels wide (WCAG 1.4.10 reflow) the page scrolls down only, never across.
    page.set_viewport_size({"width": 320, "height": 800})
    expect(progress(page)).to_be_visible()
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= 320, f"the placement page is {scroll_width}px wide at 320px"
    page.set_viewport_size({"width": 1280, "height": 720})

    school_prints_the_agreement(page, base_url, accessibility, placement_url)
