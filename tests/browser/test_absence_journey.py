"""An unexplained absence, in a real browser (issue 11): the provider marks a pupil absent with
no reason; the school sees it on its home page the same day, records a safe-and-well contact,
and it leaves the LA's list. Each person signs in in a browser context of their own, and
axe-core (WCAG 2.2 AA) runs on every page each of them lands on."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Locator, Page, expect

from apregister.models import FrameworkStatus, RegistrationType, Role
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
UNEXPLAINED = "Absent, reason not known (N)"
QUEUE_OPEN = re.compile(r"^(\d+) absences? to follow up")
CONTACTED = "The pupil's mother, by telephone"


def _a_minute_ago() -> str:
    """The contact time to type: already past in the UK today, whenever the test runs."""
    now = datetime.now(ZoneInfo("Europe/London"))
    earlier = max(now - timedelta(minutes=1), now.replace(hour=0, minute=0))
    return earlier.strftime("%H:%M")


CONTACT_TIME = _a_minute_ago()
REASON = "Sam had a temperature overnight and stayed at home"
CODE = "I: Illness"
ERROR_SUMMARY = ".govuk-error-summary"
SUCCESS = ".govuk-notification-banner--success"


# ---- helpers ------------------------------------------------------------------------------


def this_monday() -> date:
    today = date.today()
    return today - timedelta(days=today.weekday())


def summary_value(page: Page, key: str) -> Locator:
    row = page.locator(".govuk-summary-list__row").filter(
        has=page.locator("dt").get_by_text(key, exact=True)
    )
    return row.locator("dd").first


def list_rows(page: Page) -> Locator:
    return page.get_by_role("main").locator("table tbody tr")


def queue_link(page: Page) -> Locator:
    return page.locator(".app-work-queue").get_by_role("link", name=QUEUE_OPEN)


def queue_count(page: Page) -> int:
    link = queue_link(page)
    expect(link).to_have_count(1)
    return int(link.locator(".app-work-queue__count").inner_text())


def absences_status(page: Page) -> Locator:
    return page.get_by_role("main").get_by_role("status")


# ---- the people -----------------------------------------------------------------------------


def provider_marks_the_absence(
    page: Page, base_url: str, axe: AccessibilityChecker, pupil_name: str, monday: date
) -> None:
    expect(heading(page)).to_have_text("Your provision")
    axe.check()
    page.goto(f"/attendance?day={monday.isoformat()}#register")
    expect(heading(page)).to_have_text("Attendance register")
    expect(page.locator(".govuk-caption-l")).to_have_text(f"Monday {govuk_date(monday)}")
    expect(page.get_by_role("group", name=re.compile(rf"^{re.escape(pupil_name)}"))).to_be_visible()
    morning = page.get_by_label(f"Morning, {pupil_name}", exact=True)
    expect(morning).to_have_value("")
    axe.check()

    morning.select_option(label=UNEXPLAINED)
    page.get_by_role("button", name="Save attendance").click()
    expect(page).to_have_url(f"{base_url}/attendance?day={monday.isoformat()}")
    expect(page.locator(SUCCESS)).to_contain_text(
        f"Attendance saved for Monday {govuk_date(monday)}"
    )
    expect(morning.locator("option:checked")).to_have_text(UNEXPLAINED)
    axe.check()


def la_sees_open_cases(
    page: Page, base_url: str, axe: AccessibilityChecker, count: int, pupil_name: str
) -> None:
    page.goto("/absences?status=open")
    expect(heading(page)).to_have_text("Absences to follow up")
    noun = "absence" if count == 1 else "absences"
    expect(absences_status(page)).to_have_text(f"{count} {noun}: to follow up.")
    expect(list_rows(page)).to_have_count(count)
    if count:
        expect(list_rows(page).first).to_contain_text(pupil_name)
    axe.check()


def school_follows_it_up(
    page: Page, base_url: str, axe: AccessibilityChecker, pupil_name: str, day: date
) -> None:
    expect(heading(page)).to_have_text("Your placements")
    assert queue_count(page) == 1
    axe.check()

    queue_link(page).click()
    expect(page).to_have_url(f"{base_url}/absences?status=open")
    expect(absences_status(page)).to_have_text("1 absence: to follow up.")
    row = list_rows(page).filter(has_text=pupil_name)
    expect(row).to_have_count(1)
    expect(row).to_contain_text(PROVIDER_NAME)
    expect(row).to_contain_text("Absent, reason not known")
    axe.check()

    row.get_by_role("link", name=f"{govuk_date(day)}, AM", exact=True).click()
    expect(page).to_have_url(re.compile(rf"^{re.escape(base_url)}/absences/\d+$"))
    case_url = page.url
    expect(heading(page)).to_have_text(f"Absence on {govuk_date(day)}, AM")
    main = page.get_by_role("main")
    expect(main.get_by_role("heading", name="Record your follow-up")).to_be_visible()
    axe.check()

    # Empty, it is refused with a GOV.UK error summary.
    page.get_by_role("button", name="Save the follow-up").click()
    expect(page).to_have_url(case_url)
    problems = page.locator(ERROR_SUMMARY)
    expect(problems).to_contain_text("There is a problem")
    for message in (
        "Enter who you contacted, and how",
        "Enter the time you made contact, like 09:45",
        "Select whether the pupil is safe and well",
        "Enter the reason for the absence",
        "Select the code the session is recorded under",
    ):
        expect(problems.get_by_role("link", name=re.compile(re.escape(message)))).to_be_visible()
    expect(page).to_have_title(re.compile(r"^Error: "))
    axe.check()

    page.get_by_label("Who did you contact, and how?", exact=True).fill(CONTACTED)
    page.get_by_label("What time did you make contact?", exact=True).fill(CONTACT_TIME)
    safe = page.get_by_role("group", name="Was the pupil seen or confirmed safe and well?")
    safe.get_by_role("radio", name="Yes", exact=True).check()
    page.get_by_label("Reason for the absence", exact=True).fill(REASON)
    codes = page.get_by_role("group", name="Code the session is recorded under")
    codes.get_by_role("radio", name=CODE, exact=True).check()
    escalate = page.get_by_role("group", name="Does this need escalating?")
    escalate.get_by_role("radio", name="No", exact=True).check()
    page.get_by_role("button", name="Save the follow-up").click()

    expect(page).to_have_url(case_url)
    expect(page.locator(SUCCESS)).to_contain_text("Follow-up saved")
    expect(problems).to_have_count(0)
    expect(summary_value(page, "Contacted")).to_contain_text(CONTACTED)
    expect(summary_value(page, "Seen or confirmed safe and well")).to_have_text("Yes")
    expect(summary_value(page, "Reason")).to_have_text(REASON)
    expect(summary_value(page, "Recorded under code")).to_have_text("I")
    expect(page.get_by_role("button", name="Save the follow-up")).to_have_count(0)
    axe.check()

    page.goto("/")
    assert queue_count(page) == 0
    axe.check()


def test_unexplained_absence_is_followed_up_by_the_school_and_leaves_the_las_list(
    page: Page, base_url: str, accessibility: AccessibilityChecker, fresh_page: FreshPage
) -> None:
    last_monday = this_monday() - timedelta(weeks=1)
    school = make_school(name=SCHOOL_NAME)
    provider = make_provider(
        name=PROVIDER_NAME,
        registration_type=RegistrationType.AP_ACADEMY,
        framework_status=FrameworkStatus.APPROVED,
    )
    pupil = make_pupil(school, first_name="Sam", last_name="Absent")
    make_placement(
        pupil, provider, start_date=this_monday() - timedelta(weeks=2), session_mask=0b1111111111
    )
    provider_user = make_user(Role.PROVIDER, provider, name="Pia Provider")
    school_user = make_user(Role.SCHOOL, school, name="Sol Senco")
    officer = make_user(Role.LA_OFFICER, name="Ola Officer")

    sign_in(page, base_url, accessibility, provider_user.email)
    provider_marks_the_absence(page, base_url, accessibility, pupil.name, last_monday)

    la_page, la_axe = fresh_page()
    sign_in(la_page, base_url, la_axe, officer.email)
    expect(heading(la_page)).to_have_text("Work queue")
    la_axe.check()
    la_sees_open_cases(la_page, base_url, la_axe, 1, pupil.name)

    school_page, school_axe = fresh_page()
    sign_in(school_page, base_url, school_axe, school_user.email)
    school_follows_it_up(school_page, base_url, school_axe, pupil.name, last_monday)

    # Off the LA's list to follow up, and on the list of those done.
    la_sees_open_cases(la_page, base_url, la_axe, 0, pupil.name)
    la_page.get_by_role("link", name="Followed up or settled", exact=True).click()
    expect(la_page).to_have_url(f"{base_url}/absences?status=done")
    expect(absences_status(la_page)).to_have_text("1 absence: followed up or settled.")
    done = list_rows(la_page).filter(has_text=pupil.name)
    expect(done).to_have_count(1)
    expect(done.get_by_role("link", name=f"{govuk_date(last_monday)}, AM")).to_be_visible()
    la_axe.check()
