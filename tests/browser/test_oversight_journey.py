"""The LA's oversight of placements, in a real browser (issue 10): a school places a pupil at a
setting not on the register and an LA officer reviews it from the work queue; a placement past
its planned end stays on the provider's register, flagged, and the school's queue counts exactly
the rows it links to. Each person signs in in a browser context of their own, and axe-core
(WCAG 2.2 AA) runs on every page each of them lands on."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from playwright.sync_api import Locator, Page, expect

from apregister.attendance.queries import school_day_on_or_before
from apregister.models import (
    FrameworkStatus,
    Placement,
    Provider,
    Pupil,
    RegistrationType,
    Role,
    School,
)
from apregister.placements.summaries import OVERRUNNING
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

SCHOOL_NAME = "Riverside High School"
SETTING = "Moorside Boxing and Tuition"
SETTING_TYPE = "Tuition (unregistered)"
OFF_FRAMEWORK_REASON = "The only setting near the pupil's home that offers one-to-one maths"
LA_FINDINGS = "Visited the setting: staff checks seen. The placement may go on; invite to apply"
QUEUE_OFF_FRAMEWORK = "off the framework waiting for the LA's review"
ERROR_SUMMARY = ".govuk-error-summary"
SUCCESS = ".govuk-notification-banner--success"
QUEUE_OVERRUNNING = re.compile(r"^(\d+) placements? running past (its|their) planned end")


# ---- helpers ------------------------------------------------------------------------------


def this_monday() -> date:
    today = date.today()
    return today - timedelta(days=today.weekday())


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


def warning(page: Page, text: str) -> Locator:
    return page.get_by_role("main").locator(".govuk-warning-text").filter(has_text=text)


def list_rows(page: Page) -> Locator:
    return page.get_by_role("main").locator("table tbody tr")


def queue_link(page: Page, text: str | re.Pattern[str]) -> Locator:
    return page.locator(".app-work-queue").get_by_role("link", name=text)


def place(school: School, provider: Provider, name: str, **dates: date) -> Placement:
    first, last = name.split()
    return make_placement(make_pupil(school, first_name=first, last_name=last), provider, **dates)


def add_the_setting(page: Page, base_url: str, axe: AccessibilityChecker, pupil_id: int) -> None:
    page.get_by_role("link", name="Add a setting that is not on the register").click()
    expect(page).to_have_url(f"{base_url}/placements/new/setting?pupil_id={pupil_id}")
    expect(heading(page)).to_have_text("Add a setting that is not on the register")
    axe.check()
    page.get_by_label("Name of the setting", exact=True).fill(SETTING)
    page.get_by_label("Type of setting", exact=True).select_option(label=SETTING_TYPE)
    page.get_by_label("Address line 1", exact=True).fill("Unit 4, Canal Street Works")
    page.get_by_label("Town or city", exact=True).fill("Northfield")
    page.get_by_label("Postcode", exact=True).fill("nf1 2ab")
    page.get_by_label("Contact name", exact=True).fill("Dee Coach")
    page.get_by_role("textbox", name=re.compile(r"^Contact email address")).fill(
        "dee@moorside.example"
    )
    page.get_by_role("button", name="Add the setting").click()


def fill_the_placement(page: Page, start: date) -> None:
    page.get_by_role("radio", name="To re-engage the pupil in education", exact=True).check()
    fill_date(page, "Start date", start)
    for session in ("Monday AM", "Monday PM", "Wednesday AM", "Wednesday PM"):
        page.get_by_role("checkbox", name=session, exact=True).check()
    page.get_by_label("Hours each week", exact=True).fill("10")
    page.get_by_role("radio", name="Part time", exact=True).check()
    page.get_by_label("Objectives", exact=True).fill("Attend every session\nPass Entry Level 3")
    page.get_by_label("Reintegration plan and timeline", exact=True).fill(
        "Back at school two days a week from week 8"
    )
    page.get_by_role("button", name="Continue").click()


# ---- 1 and 2: off the framework -------------------------------------------------------------


def school_places_at_a_new_setting(
    page: Page, base_url: str, axe: AccessibilityChecker, pupil: Pupil
) -> str:
    """From the pupil's page, the school adds the setting, comes back with both chosen, and
    places the pupil there with its reason. Returns the new placement's URL."""
    expect(heading(page)).to_have_text("Your placements")
    axe.check()
    open_section(page, "Pupils")
    axe.check()
    page.get_by_role("main").get_by_role("link", name=pupil.name).click()
    expect(page).to_have_url(f"{base_url}/pupils/{pupil.id}")
    axe.check()
    page.get_by_role("button", name="Add a placement").click()
    expect(page).to_have_url(f"{base_url}/placements/new?pupil_id={pupil.id}")
    providers = page.get_by_label("Provider", exact=True)
    expect(providers.locator("option").filter(has_text=SETTING)).to_have_count(0)
    axe.check()
    add_the_setting(page, base_url, axe, pupil.id)
    expect(page).to_have_url(re.compile(rf"^{re.escape(base_url)}/placements/new\?provider_id="))
    expect(page.locator(SUCCESS)).to_contain_text(f"{SETTING} is on the register now")
    expect(providers.locator("option:checked")).to_have_text(f"{SETTING} (not on the framework)")
    chosen_pupil = page.get_by_label("Pupil", exact=True).locator("option:checked")
    expect(chosen_pupil).to_have_text(f"Marsh, Alex ({SCHOOL_NAME})")
    axe.check()

    fill_the_placement(page, this_monday() + timedelta(weeks=1))
    expect(heading(page)).to_have_text("Check the placement before you add it")
    expect(summary_value(page, "Provider")).to_have_text(f"{SETTING}, {SETTING_TYPE}")
    main = page.get_by_role("main")
    expect(
        main.get_by_role("heading", name="This provider is not approved on the framework")
    ).to_be_visible()
    reason_box = page.get_by_label(
        "Why are you placing the pupil with a provider that is not approved?", exact=True
    )
    expect(reason_box).to_be_empty()
    axe.check()

    # Without a reason the placement is refused, with a GOV.UK error summary.
    page.get_by_role("button", name="Add placement").click()
    expect(heading(page)).to_have_text("Check the placement before you add it")
    problems = page.locator(ERROR_SUMMARY)
    expect(problems).to_contain_text("There is a problem")
    message = f"Enter why you are placing the pupil at {SETTING}"
    expect(problems.get_by_role("link", name=re.compile(message))).to_be_visible()
    expect(main.locator(".govuk-error-message")).to_contain_text(message)
    expect(page).to_have_title(re.compile(r"^Error: "))
    axe.check()

    reason_box.fill(OFF_FRAMEWORK_REASON)
    page.get_by_role("button", name="Add placement").click()
    expect(page).to_have_url(re.compile(rf"^{re.escape(base_url)}/placements/\d+$"))
    placement_url = page.url
    expect(page.locator(SUCCESS)).to_contain_text("It is off the framework, so the LA will review")
    expect(heading(page)).to_have_text(pupil.name)
    expect(warning(page, "Off framework: LA to review")).to_be_visible()
    expect(main.get_by_role("heading", name="Off the framework")).to_be_visible()
    expect(summary_value(page, "Provider status when placed")).to_have_text("Not on the framework")
    expect(summary_value(page, "Why the commissioner chose it")).to_have_text(OFF_FRAMEWORK_REASON)
    expect(summary_value(page, "LA review")).to_have_text("Not yet reviewed")
    axe.check()
    return placement_url


def la_reviews_it(
    page: Page, base_url: str, axe: AccessibilityChecker, pupil: Pupil, placement_url: str
) -> None:
    expect(heading(page)).to_have_text("Work queue")
    axe.check()
    queue_link(page, f"1 placement {QUEUE_OFF_FRAMEWORK}").click()
    expect(page).to_have_url(f"{base_url}/placements?off_framework=to_review")
    expect(page.get_by_role("status").filter(has_text="placement")).to_contain_text(
        "1 placement matches your filters"
    )
    expect(list_rows(page)).to_have_count(1)
    listed = list_rows(page).first
    expect(listed).to_contain_text(SETTING)
    expect(listed).to_contain_text(SCHOOL_NAME)
    expect(listed).to_contain_text("Off framework: LA to review")
    axe.check()

    listed.get_by_role("link", name=pupil.name).click()
    expect(page).to_have_url(placement_url)
    axe.check()
    page.get_by_role("button", name="Review this placement").click()
    expect(page).to_have_url(f"{placement_url}/off-framework-review")
    expect(heading(page)).to_have_text("Review a placement made off the framework")
    expect(summary_value(page, "Why the commissioner chose it")).to_have_text(OFF_FRAMEWORK_REASON)
    axe.check()

    page.get_by_role("button", name="Record the review").click()
    expect(page).to_have_url(f"{placement_url}/off-framework-review")
    expect(page.locator(ERROR_SUMMARY)).to_contain_text(
        "Enter what you found and what happens next"
    )
    axe.check()
    page.get_by_label("What did you find, and what happens next?", exact=True).fill(LA_FINDINGS)
    page.get_by_role("button", name="Record the review").click()
    expect(page).to_have_url(placement_url)
    expect(page.locator(SUCCESS)).to_contain_text("The placement has left the work queue")
    expect(summary_value(page, "What the LA found")).to_have_text(LA_FINDINGS)
    expect(summary_value(page, "LA review")).to_contain_text("Ola Officer")
    expect(warning(page, "Off framework: LA to review")).to_have_count(0)
    expect(page.get_by_role("button", name="Review this placement")).to_have_count(0)
    axe.check()

    open_section(page, "Home")
    expect(queue_link(page, f"0 placements {QUEUE_OFF_FRAMEWORK}")).to_be_visible()
    axe.check()


def test_school_places_off_framework_and_the_la_reviews_it(
    page: Page, base_url: str, accessibility: AccessibilityChecker, fresh_page: FreshPage
) -> None:
    school = make_school(name=SCHOOL_NAME)
    pupil = make_pupil(school, first_name="Alex", last_name="Marsh")
    school_user = make_user(Role.SCHOOL, school, name="Sol Senco")
    officer = make_user(Role.LA_OFFICER, name="Ola Officer")

    sign_in(page, base_url, accessibility, school_user.email)
    placement_url = school_places_at_a_new_setting(page, base_url, accessibility, pupil)

    la_page, la_axe = fresh_page()
    sign_in(la_page, base_url, la_axe, officer.email)
    la_reviews_it(la_page, base_url, la_axe, pupil, placement_url)

    # The school sees what the LA found.
    page.reload()
    expect(summary_value(page, "What the LA found")).to_have_text(LA_FINDINGS)
    accessibility.check()


# ---- 3: overrunning -------------------------------------------------------------------------


def test_overrunning_placement_stays_on_the_register_and_is_flagged(
    page: Page, base_url: str, accessibility: AccessibilityChecker, fresh_page: FreshPage
) -> None:
    monday = this_monday()
    start = monday - timedelta(weeks=14)
    planned_end = monday - timedelta(weeks=2)
    school = make_school(name=SCHOOL_NAME)
    other_school = make_school(name="Hillcrest Academy")
    provider = make_provider(
        name="Beacon Hill AP Academy",
        registration_type=RegistrationType.AP_ACADEMY,
        framework_status=FrameworkStatus.APPROVED,
    )
    late = {"start_date": start, "planned_end": planned_end}
    running_over = [place(school, provider, name, **late) for name in ("Casey Over", "Dana Late")]
    elsewhere = place(other_school, provider, "Eli Otherside", **late)  # not the school's
    ended = place(school, provider, "Finn Finished", **late, actual_end=planned_end)
    current = place(school, provider, "Gina Current", start_date=monday - timedelta(weeks=2))
    provider_user = make_user(Role.PROVIDER, provider, name="Pia Provider")
    school_user = make_user(Role.SCHOOL, school, name="Sol Senco")
    axe = accessibility

    # The provider keeps every pupil still there on this week's register.
    sign_in(page, base_url, axe, provider_user.email)
    expect(heading(page)).to_have_text("Your provision")
    axe.check()
    open_section(page, "Attendance")
    expect(page).to_have_url(f"{base_url}/attendance")
    shown = school_day_on_or_before(date.today())  # today, or the Friday before a weekend
    expect(page.locator(".govuk-caption-l")).to_have_text(f"{shown:%A} {govuk_date(shown)}")

    def pupil(name: str):
        return page.get_by_role("group", name=re.compile(rf"^{re.escape(name)}"))

    for placement in [*running_over, elsewhere, current]:
        expect(pupil(placement.pupil.name)).to_be_visible()
    expect(pupil(ended.pupil.name)).to_have_count(0)
    axe.check()

    open_section(page, "Placements")
    expect(page).to_have_url(f"{base_url}/placements")
    overrunning = running_over[0]
    row = list_rows(page).filter(has=page.get_by_role("link", name=overrunning.pupil.name))
    expect(row).to_contain_text(OVERRUNNING)
    within_plan = list_rows(page).filter(has_text=current.pupil.name)
    expect(within_plan).to_have_count(1)
    expect(within_plan).not_to_contain_text(OVERRUNNING)
    axe.check()
    row.get_by_role("link", name=overrunning.pupil.name).click()
    expect(page).to_have_url(f"{base_url}/placements/{overrunning.id}")
    expect(warning(page, OVERRUNNING)).to_be_visible()
    expect(summary_value(page, "Days left")).to_have_text("Past its planned end")
    axe.check()

    # The school's work queue counts its own overruns, and the list shows exactly those.
    school_page, school_axe = fresh_page()
    sign_in(school_page, base_url, school_axe, school_user.email)
    expect(heading(school_page)).to_have_text("Your placements")
    link = queue_link(school_page, QUEUE_OVERRUNNING)
    expect(link).to_have_count(1)
    count = int(link.locator(".app-work-queue__count").inner_text())
    assert count == len(running_over)
    school_axe.check()

    link.click()
    expect(school_page).to_have_url(f"{base_url}/placements?overrunning=y")
    expect(school_page.get_by_role("checkbox", name=re.compile("^Overrunning"))).to_be_checked()
    expect(school_page.get_by_role("status").filter(has_text="placements")).to_contain_text(
        f"{count} placements match"
    )
    expect(list_rows(school_page)).to_have_count(count)
    for placement in running_over:
        listed = list_rows(school_page).filter(has_text=placement.pupil.name)
        expect(listed).to_contain_text(OVERRUNNING)
    school_axe.check()
