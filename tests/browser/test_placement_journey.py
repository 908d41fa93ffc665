"""A placement from start to finish in a real browser, seen by the three people who run it.

A school adds a pupil and commissions a placement; the provider records a week's attendance;
the school reviews the placement and asks for an extension; an LA officer approves it from the
work queue; the school ends the placement. Each person signs in through the sign-in page in a
browser context of their own, and axe-core (WCAG 2.2 AA) runs on every page each of them visits.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import BrowserContext, Locator, Page, expect

from apregister.models import Role
from apregister.templating import govuk_date
from tests.browser.conftest import _CALL_REPORT, AccessibilityChecker, open_section
from tests.conftest import PASSWORD, make_provider, make_school, make_upn, make_user

pytestmark = pytest.mark.browser

FreshPage = Callable[[], tuple[Page, AccessibilityChecker]]

PROVIDER_NAME = "Harbour Lane Learning Centre"
FIRST_NAME, LAST_NAME = "Jordan", "Whitfield"
PUPIL_NAME = f"{FIRST_NAME} {LAST_NAME}"
OBJECTIVES = ("Attend at least 9 in 10 sessions", "Complete the Entry Level maths unit")
PROGRESS = (
    "Attended most sessions; one unexplained absence on a Wednesday",
    "Half of the maths unit done, ahead of plan",
)
PLAN = "Two mornings back at school from week 6, full time from week 12"
EXTENSION_REASON = "Needs four more weeks to finish the maths unit before the phased return"
DECISION_REASON = "Good attendance and clear progress; four weeks agreed with the school"
# The sessions ticked, and what the provider records for each in the week it fills in.
SESSIONS = {
    ("Monday", "AM"): "Present (B)",
    ("Monday", "PM"): "Present (B)",
    ("Wednesday", "AM"): "Unauthorised absence (O)",
    ("Wednesday", "PM"): "Present (B)",
}
SESSION_VALUES = {"Present (B)": "present", "Unauthorised absence (O)": "unauthorised"}


# ---- dates ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Dates:
    """Every date the journey types or expects, worked out here rather than by the app."""

    today: date

    @property
    def this_monday(self) -> date:
        return self.today - timedelta(days=self.today.weekday())

    @property
    def start(self) -> date:
        """Three weeks before the latest Monday, so whole weeks have already happened."""
        return self.this_monday - timedelta(weeks=3)

    @property
    def planned_end(self) -> date:
        return self.start + timedelta(weeks=12)

    @property
    def extended_end(self) -> date:
        return self.planned_end + timedelta(weeks=4)

    @property
    def recorded_week(self) -> date:
        """The Monday of the week the provider records: last week, inside the placement."""
        return self.this_monday - timedelta(weeks=1)

    @property
    def date_of_birth(self) -> date:
        return date(self.today.year - 13, 1, 15)

    @property
    def year_group(self) -> str:
        """Born in January: in the academic year starting on 1 September of `year`, the pupil
        is (year - birth year) on 31 August, and Year 1 is for pupils who are 5 then."""
        year = self.today.year if self.today.month >= 9 else self.today.year - 1
        return f"Year {year - self.date_of_birth.year - 4}"


# ---- helpers ------------------------------------------------------------------------------


def heading(page: Page) -> Locator:
    return page.get_by_role("heading", level=1)


def sign_in(page: Page, base_url: str, checker: AccessibilityChecker, email: str) -> None:
    """Home, sent to the sign-in page, signed in, back on home: both pages checked."""
    page.goto("/")
    expect(page).to_have_url(f"{base_url}/sign-in?next=/")
    checker.check()
    page.get_by_label("Email address", exact=True).fill(email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(f"{base_url}/")


RATE_TEXT = "Attendance rate: 75.0% (present at 3 of the 4 sessions recorded)"


def summary_value(within: Page | Locator, key: str) -> Locator:
    """The value beside `key` in the first summary list (of the page or part) that has it."""
    page = within if isinstance(within, Page) else within.page
    row = within.locator(".govuk-summary-list__row").filter(
        has=page.locator("dt").get_by_text(key, exact=True)
    )
    return row.locator("dd").first


def success_banner(page: Page) -> Locator:
    return page.locator(".govuk-notification-banner--success")


def status_tag(page: Page) -> Locator:
    """The placement's status: the first tag under the heading."""
    return page.get_by_role("main").locator(".govuk-tag").first


def fill_date(page: Page, legend: str, day: date) -> None:
    group = page.get_by_role("group", name=legend, exact=True)
    group.get_by_label("Day", exact=True).fill(str(day.day))
    group.get_by_label("Month", exact=True).fill(str(day.month))
    group.get_by_label("Year", exact=True).fill(str(day.year))


def placement_id_from(page: Page) -> int:
    match = re.search(r"/placements/(\d+)$", page.url)
    assert match, f"not on a placement's page: {page.url}"
    return int(match.group(1))


def session_label(half: str) -> str:
    """The register's label for one of the pupil's sessions on the day shown: "Morning" or
    "Afternoon", with the pupil's name (visually hidden)."""
    return f"{'Morning' if half == 'AM' else 'Afternoon'}, {PUPIL_NAME}"


def weekday_in(monday: date, name: str) -> date:
    days = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday")
    return monday + timedelta(days=days.index(name))


@pytest.fixture
def fresh_page(
    new_context: Callable[..., BrowserContext], _axe: Axe, request: pytest.FixtureRequest
) -> Iterator[FreshPage]:
    """fresh_page() -> (page, checker): a page in a new browser context (no shared cookies),
    with its own axe checker, whose findings fail the test at teardown."""
    checkers: list[AccessibilityChecker] = []

    def _open() -> tuple[Page, AccessibilityChecker]:
        page = new_context().new_page()
        checker = AccessibilityChecker(page, _axe)
        checkers.append(checker)
        return page, checker

    yield _open
    call = request.node.stash.get(_CALL_REPORT, None)
    for checker in checkers:
        if call is not None and call.failed:
            checker.unchecked.clear()
        checker.assert_no_violations()


# ---- the steps ------------------------------------------------------------------------------


def school_adds_the_pupil(
    page: Page, base_url: str, axe: AccessibilityChecker, dates: Dates, upn: str
) -> None:
    open_section(page, "Pupils")
    expect(page).to_have_url(f"{base_url}/pupils")
    expect(heading(page)).to_have_text("Pupils")
    expect(page.get_by_text("No pupils recorded yet.")).to_be_visible()
    axe.check()

    page.get_by_role("button", name="Add a pupil").click()
    expect(page).to_have_url(f"{base_url}/pupils/new")
    expect(heading(page)).to_have_text("Add a pupil")
    axe.check()

    page.get_by_label("Unique pupil number (UPN)", exact=True).fill(upn)
    page.get_by_label("First name", exact=True).fill(FIRST_NAME)
    page.get_by_label("Last name", exact=True).fill(LAST_NAME)
    fill_date(page, "Date of birth", dates.date_of_birth)
    page.get_by_role("group", name="Sex").get_by_label("Female", exact=True).check()
    page.get_by_role("radio", name="SEN support", exact=True).check()
    page.get_by_role("group", name="Is the pupil looked after?").get_by_label(
        "No", exact=True
    ).check()
    page.get_by_role("group", name="Is the pupil disadvantaged?").get_by_label(
        "Yes", exact=True
    ).check()
    page.get_by_role("button", name="Add pupil").click()

    expect(page).to_have_url(re.compile(rf"^{re.escape(base_url)}/pupils/\d+$"))
    expect(success_banner(page)).to_contain_text("Pupil added")
    expect(heading(page)).to_have_text(PUPIL_NAME)
    expect(summary_value(page, "UPN")).to_have_text(upn)
    expect(summary_value(page, "Date of birth")).to_have_text(govuk_date(dates.date_of_birth))
    expect(summary_value(page, "Year group")).to_have_text(dates.year_group)
    expect(summary_value(page, "Sex")).to_have_text("Female")
    expect(summary_value(page, "SEN status")).to_have_text("SEN support")
    expect(summary_value(page, "Looked after")).to_have_text("No")
    expect(summary_value(page, "Disadvantaged (free school meals or pupil premium)")).to_have_text(
        "Yes"
    )
    expect(page.get_by_text("No placements recorded for this pupil.")).to_be_visible()
    axe.check()


def school_adds_the_placement(
    page: Page, base_url: str, axe: AccessibilityChecker, dates: Dates
) -> int:
    page.get_by_role("button", name="Add a placement").click()
    expect(page).to_have_url(re.compile(rf"^{re.escape(base_url)}/placements/new\?pupil_id=\d+$"))
    expect(heading(page)).to_have_text("Add a placement")
    # The pupil it came from is already chosen.
    expect(page.get_by_label("Pupil", exact=True).locator("option:checked")).to_contain_text(
        f"{LAST_NAME}, {FIRST_NAME}"
    )
    axe.check()

    page.get_by_label("Provider", exact=True).select_option(label=PROVIDER_NAME)
    page.get_by_role("radio", name="To re-engage the pupil in education", exact=True).check()
    fill_date(page, "Start date", dates.start)
    for day, half in SESSIONS:
        page.get_by_role("checkbox", name=f"{day} {half}", exact=True).check()
    page.get_by_label("Hours each week", exact=True).fill("12.5")
    page.get_by_role("radio", name="Part time", exact=True).check()
    page.get_by_label("Cost each week (£, optional)", exact=True).fill("450")
    page.get_by_label("Objectives", exact=True).fill("\n".join(OBJECTIVES))
    page.get_by_label("Reintegration plan and timeline", exact=True).fill(PLAN)
    page.get_by_role("button", name="Continue").click()

    # Check your answers.
    expect(page).to_have_url(re.compile(rf"^{re.escape(base_url)}/placements/new\?pupil_id=\d+$"))
    expect(heading(page)).to_have_text("Check the placement before you add it")
    expect(summary_value(page, "Pupil")).to_have_text(PUPIL_NAME)
    expect(summary_value(page, "Provider")).to_contain_text(PROVIDER_NAME)
    expect(summary_value(page, "Reason")).to_have_text("To re-engage the pupil in education")
    expect(summary_value(page, "Start date")).to_have_text(govuk_date(dates.start))
    expect(summary_value(page, "Planned end date")).to_have_text(govuk_date(dates.planned_end))
    expect(summary_value(page, "Sessions each week")).to_have_text(
        ", ".join(f"{day} {half}" for day, half in SESSIONS)
    )
    expect(summary_value(page, "Hours each week")).to_have_text("12.5")
    expect(summary_value(page, "Full time or part time")).to_have_text("Part time")
    expect(summary_value(page, "Cost each week")).to_have_text("£450.00")
    main = page.get_by_role("main")
    expect(main.get_by_role("listitem")).to_have_text(list(OBJECTIVES))
    expect(main.get_by_text(PLAN)).to_be_visible()
    axe.check()

    page.get_by_role("button", name="Add placement").click()
    expect(page).to_have_url(re.compile(rf"^{re.escape(base_url)}/placements/\d+$"))
    expect(success_banner(page)).to_contain_text("Placement added")
    expect(heading(page)).to_have_text(PUPIL_NAME)
    expect(status_tag(page)).to_have_text("Active")
    expect(summary_value(page, "Pupil")).to_have_text(f"{PUPIL_NAME}, {dates.year_group}")
    expect(summary_value(page, "Provider")).to_have_text(PROVIDER_NAME)
    expect(summary_value(page, "Start date")).to_have_text(govuk_date(dates.start))
    expect(summary_value(page, "Planned end date")).to_have_text(
        re.compile(rf"^{re.escape(govuk_date(dates.planned_end))} \(12(\.0)? weeks\)$")
    )
    expect(summary_value(page, "Days left")).to_have_text(
        str((dates.planned_end - dates.today).days)
    )
    expect(summary_value(page, "Hours each week")).to_have_text("12.5 (part time)")
    expect(page.get_by_text("No attendance has been recorded yet.")).to_be_visible()
    expect(page.get_by_text("No reviews yet.")).to_be_visible()
    expect(page.get_by_text("No extension requests.")).to_be_visible()
    axe.check()
    return placement_id_from(page)


def provider_records_last_week(
    page: Page, base_url: str, axe: AccessibilityChecker, dates: Dates, upn: str
) -> None:
    expect(heading(page)).to_have_text("Your provision")
    expect(page.get_by_role("main")).to_contain_text(PROVIDER_NAME)
    assert upn not in page.content()
    axe.check()

    open_section(page, "Attendance")
    expect(page).to_have_url(f"{base_url}/attendance")
    expect(heading(page)).to_have_text("Attendance register")
    assert upn not in page.content()
    axe.check()

    # One day at a time: the Monday, then the Wednesday, of last week, each chosen with the
    # date picker. Only the pupil's own sessions can be recorded: one select for each.
    monday = dates.recorded_week
    for day_name in ("Monday", "Wednesday"):
        day = weekday_in(monday, day_name)
        page.get_by_label("Go to a day", exact=True).fill(day.isoformat())
        page.get_by_role("button", name="Show the register").click()
        expect(page).to_have_url(f"{base_url}/attendance?day={day.isoformat()}#register")
        expect(page.locator(".govuk-caption-l")).to_have_text(f"{day:%A} {govuk_date(day)}")
        pupil = page.get_by_role("group", name=re.compile(rf"^{re.escape(PUPIL_NAME)}"))
        expect(pupil).to_contain_text(dates.year_group)
        expect(pupil.get_by_role("combobox")).to_have_count(2)
        assert upn not in page.content()
        axe.check()

        # Monday: a code chosen for each session, then "Save attendance". Wednesday: the
        # absence chosen, then "Mark everyone not yet recorded as present" for the rest.
        codes = {half: code for (name, half), code in SESSIONS.items() if name == day_name}
        for half, code in codes.items():
            select = page.get_by_label(session_label(half), exact=True)
            expect(select).to_have_value("")
            if day_name == "Monday" or code != "Present (B)":
                select.select_option(label=code)
        button = (
            "Save attendance"
            if day_name == "Monday"
            else "Mark everyone not yet recorded as present"
        )
        page.get_by_role("button", name=button).last.click()

        expect(page).to_have_url(f"{base_url}/attendance?day={day.isoformat()}")
        expect(success_banner(page)).to_contain_text(
            f"Attendance saved for {day:%A} {govuk_date(day)}"
        )
        for half, code in codes.items():
            select = page.get_by_label(session_label(half), exact=True)
            expect(select).to_have_value(SESSION_VALUES[code])
        assert upn not in page.content()
        axe.check()


def provider_sees_the_placement(
    page: Page, base_url: str, axe: AccessibilityChecker, placement_id: int, upn: str
) -> None:
    """What the provider may see of the placement: the pupil's name, dates, objectives and
    attendance; not the UPN, the reason, the plan or the cost."""
    open_section(page, "Placements")
    expect(page).to_have_url(f"{base_url}/placements")
    assert upn not in page.content()
    axe.check()

    page.get_by_role("main").get_by_role("link", name=PUPIL_NAME).click()
    expect(page).to_have_url(f"{base_url}/placements/{placement_id}")
    expect(
        page.get_by_text("Attendance rate: 75.0% (present at 3 of the 4 sessions recorded)")
    ).to_be_visible()
    main = page.get_by_role("main")
    for hidden in ("Reason", "Reintegration plan and timeline", PLAN, "Cost each week"):
        expect(main.get_by_text(hidden, exact=True)).to_have_count(0)
    expect(main.get_by_role("button", name="Record a review")).to_have_count(0)
    assert upn not in page.content()
    axe.check()


def school_reviews_and_asks_for_an_extension(
    page: Page, base_url: str, axe: AccessibilityChecker, dates: Dates, placement_id: int
) -> None:
    open_section(page, "Home")
    expect(heading(page)).to_have_text("Your placements")
    placements = page.get_by_role("table", name="Active and planned placements")
    row = placements.get_by_role("row").filter(has_text=PUPIL_NAME)
    expect(row).to_contain_text(PROVIDER_NAME)
    expect(row).to_contain_text("75.0%")
    axe.check()

    row.get_by_role("link", name=PUPIL_NAME).click()
    expect(page).to_have_url(f"{base_url}/placements/{placement_id}")
    expect(
        page.get_by_text("Attendance rate: 75.0% (present at 3 of the 4 sessions recorded)")
    ).to_be_visible()
    week_beginning = re.compile(rf"^{re.escape(govuk_date(dates.recorded_week))}$")
    week = (
        page.get_by_role("table", name=re.compile(r"^Attendance in the last"))
        .get_by_role("row")
        .filter(has=page.get_by_role("rowheader", name=week_beginning))
    )
    expect(week).to_contain_text("Unauthorised absence (O)")
    expect(week).to_contain_text("Present (B)")
    axe.check()

    page.get_by_role("button", name="Record a review").click()
    expect(page).to_have_url(f"{base_url}/placements/{placement_id}/reviews/new")
    expect(heading(page)).to_have_text("Review the placement")
    expect(summary_value(page, "Attendance so far")).to_contain_text("75.0%")
    axe.check()

    fill_date(page, "Date of the review", dates.today)
    for objective, progress in zip(OBJECTIVES, PROGRESS, strict=True):
        page.get_by_label(objective, exact=True).fill(progress)
    page.get_by_role("radio", name="Request an extension", exact=True).check()
    page.get_by_role("button", name="Save review").click()

    expect(page).to_have_url(f"{base_url}/placements/{placement_id}/extension")
    expect(success_banner(page)).to_contain_text("Review saved")
    expect(heading(page)).to_have_text("Request an extension")
    expect(summary_value(page, "Planned end date")).to_contain_text(govuk_date(dates.planned_end))
    axe.check()

    fill_date(page, "New planned end date", dates.extended_end)
    page.get_by_label("Reason for the extension", exact=True).fill(EXTENSION_REASON)
    page.get_by_role("button", name="Request extension").click()

    expect(page).to_have_url(f"{base_url}/placements/{placement_id}")
    expect(success_banner(page)).to_contain_text(
        f"Extension requested. The planned end date stays {govuk_date(dates.planned_end)}"
    )
    expect(summary_value(page, "Planned end date")).to_have_text(
        re.compile(rf"^{re.escape(govuk_date(dates.planned_end))} \(12(\.0)? weeks\)$")
    )
    expect(page.get_by_text("Extension waiting for a decision").first).to_be_visible()
    requests = page.get_by_role("table", name="Extension requests")
    expect(requests.locator("tbody tr").get_by_role("cell")).to_have_text(
        [
            govuk_date(dates.today),
            govuk_date(dates.extended_end),
            EXTENSION_REASON,
            "Waiting for a decision",
        ]
    )
    # The school cannot decide its own request.
    expect(requests.get_by_role("link", name=re.compile("^Decide"))).to_have_count(0)
    review = page.locator(".govuk-summary-card").filter(
        has_text=f"Review on {govuk_date(dates.today)}"
    )
    expect(summary_value(review, "Attendance so far")).to_have_text("75.0%")
    for objective, progress in zip(OBJECTIVES, PROGRESS, strict=True):
        expect(summary_value(review, objective)).to_have_text(progress)
    expect(summary_value(review, "Decision")).to_have_text("Request an extension")
    axe.check()


def la_officer_approves_the_extension(
    page: Page, base_url: str, axe: AccessibilityChecker, dates: Dates, placement_id: int
) -> None:
    expect(heading(page)).to_have_text("Work queue")
    axe.check()

    page.get_by_role("link", name="1 extension request waiting for a decision").click()
    expect(page).to_have_url(f"{base_url}/placements?extension_pending=y")
    expect(heading(page)).to_have_text("Placements")
    expect(page.get_by_role("checkbox", name="Extension waiting for a decision")).to_be_checked()
    expect(page.get_by_role("status").filter(has_text="placement")).to_contain_text(
        "1 placement matches your filters"
    )
    listed = page.get_by_role("row").filter(has_text=PUPIL_NAME)
    expect(listed).to_contain_text(PROVIDER_NAME)
    expect(listed).to_contain_text("Extension waiting for a decision")
    axe.check()

    listed.get_by_role("link", name=PUPIL_NAME).click()
    expect(page).to_have_url(f"{base_url}/placements/{placement_id}")
    axe.check()

    decide = f"Decide on the extension to {govuk_date(dates.extended_end)}"
    page.get_by_role("link", name=decide, exact=True).click()
    expect(page).to_have_url(re.compile(rf"/placements/{placement_id}/extensions/\d+/decision$"))
    expect(heading(page)).to_have_text("Decide an extension request")
    expect(summary_value(page, "Current planned end date")).to_contain_text(
        govuk_date(dates.planned_end)
    )
    expect(summary_value(page, "Requested end date")).to_contain_text(
        govuk_date(dates.extended_end)
    )
    expect(summary_value(page, "Reason")).to_have_text(EXTENSION_REASON)
    axe.check()

    page.get_by_role("radio", name="Approve", exact=True).check()
    page.get_by_label("Reason for the decision", exact=True).fill(DECISION_REASON)
    page.get_by_role("button", name="Confirm decision").click()

    expect(page).to_have_url(f"{base_url}/placements/{placement_id}")
    expect(success_banner(page)).to_contain_text(
        f"Extension approved. The planned end date is now {govuk_date(dates.extended_end)}"
    )
    expect(summary_value(page, "Planned end date")).to_have_text(
        re.compile(rf"^{re.escape(govuk_date(dates.extended_end))} \(16(\.0)? weeks\)$")
    )
    decided = page.get_by_role("table", name="Extension requests").locator("tbody tr")
    expect(decided).to_contain_text("Approved")
    expect(decided).to_contain_text(DECISION_REASON)
    axe.check()

    # The work queue has nothing left waiting.
    open_section(page, "Home")
    expect(
        page.get_by_role("link", name="0 extension requests waiting for a decision")
    ).to_be_visible()
    axe.check()


def school_ends_the_placement(
    page: Page, base_url: str, axe: AccessibilityChecker, dates: Dates, placement_id: int
) -> None:
    open_section(page, "Placements")
    expect(page).to_have_url(f"{base_url}/placements")
    expect(heading(page)).to_have_text("Placements")
    listed = page.get_by_role("row").filter(has_text=PUPIL_NAME)
    expect(listed).to_contain_text(f"{govuk_date(dates.start)} to {govuk_date(dates.extended_end)}")
    axe.check()

    listed.get_by_role("link", name=PUPIL_NAME).click()
    expect(page).to_have_url(f"{base_url}/placements/{placement_id}")
    expect(heading(page)).to_have_text(PUPIL_NAME)
    expect(summary_value(page, "Planned end date")).to_have_text(
        re.compile(rf"^{re.escape(govuk_date(dates.extended_end))} \(16(\.0)? weeks\)$")
    )
    expect(page.get_by_text("Extension waiting for a decision")).to_have_count(0)
    axe.check()

    page.get_by_role("button", name="End the placement").click()
    expect(page).to_have_url(f"{base_url}/placements/{placement_id}/end")
    expect(heading(page)).to_have_text("End the placement")
    axe.check()

    fill_date(page, "Date the placement ended", dates.today)
    page.get_by_role("radio", name="Returned to their home school full time", exact=True).check()
    page.get_by_role("button", name="Continue").click()

    expect(page).to_have_url(f"{base_url}/placements/{placement_id}/end")
    expect(heading(page)).to_have_text("Check your answers before ending the placement")
    expect(summary_value(page, "End date")).to_have_text(govuk_date(dates.today))
    expect(summary_value(page, "Outcome")).to_have_text("Returned to their home school full time")
    axe.check()

    page.get_by_role("button", name="End the placement").click()
    expect(page).to_have_url(f"{base_url}/placements/{placement_id}")
    expect(success_banner(page)).to_contain_text("Placement ended")
    expect(status_tag(page)).to_have_text("Ended")
    expect(summary_value(page, "Ended")).to_have_text(govuk_date(dates.today))
    expect(summary_value(page, "Outcome")).to_have_text("Returned to their home school full time")
    for gone in ("Record a review", "Request an extension", "End the placement"):
        expect(page.get_by_role("main").get_by_role("button", name=gone, exact=True)).to_have_count(
            0
        )
    axe.check()


# ---- the journey ----------------------------------------------------------------------------


def test_a_placement_from_referral_to_its_end(
    page: Page, base_url: str, accessibility: AccessibilityChecker, fresh_page: FreshPage
) -> None:
    dates = Dates(date.today())
    school = make_school(name="Northgate Academy")
    provider = make_provider(name=PROVIDER_NAME)
    school_user = make_user(Role.SCHOOL, school, name="Sasha Senco")
    provider_user = make_user(Role.PROVIDER, provider, name="Pat Provider")
    officer = make_user(Role.LA_OFFICER, name="Olu Officer")
    upn = make_upn()

    # 1 and 2. The school adds the pupil, then the placement.
    sign_in(page, base_url, accessibility, school_user.email)
    expect(heading(page)).to_have_text("Your placements")
    accessibility.check()
    school_adds_the_pupil(page, base_url, accessibility, dates, upn)
    placement_id = school_adds_the_placement(page, base_url, accessibility, dates)

    # 3. The provider records last week's attendance, in a browser of its own.
    provider_page, provider_axe = fresh_page()
    sign_in(provider_page, base_url, provider_axe, provider_user.email)
    provider_records_last_week(provider_page, base_url, provider_axe, dates, upn)
    provider_sees_the_placement(provider_page, base_url, provider_axe, placement_id, upn)

    # 4. The school sees the attendance, reviews the placement and asks for four more weeks.
    school_reviews_and_asks_for_an_extension(page, base_url, accessibility, dates, placement_id)

    # 5. An LA officer finds the request in the work queue and approves it.
    officer_page, officer_axe = fresh_page()
    sign_in(officer_page, base_url, officer_axe, officer.email)
    la_officer_approves_the_extension(officer_page, base_url, officer_axe, dates, placement_id)

    # 6. The school ends the placement: the pupil is back at school full time.
    school_ends_the_placement(page, base_url, accessibility, dates, placement_id)

    accessibility.assert_no_violations()
    provider_axe.assert_no_violations()
    officer_axe.assert_no_violations()
