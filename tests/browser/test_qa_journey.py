"""A provider's annual quality assurance in a real browser, seen by the three people who run it.

An LA officer plans the inspection visit, records it and publishes the report with one action
for the provider; the provider reads the report and marks the action done, then fills in and
submits its self-assessment; the LA's lead returns it with a comment on one area, the provider
revises it and sends it again, and the lead accepts it. Last, the provider's page shows the QA
timeline, and the lead checks the action and closes it. Each person signs in through the
sign-in page in a browser context of their own, and axe-core (WCAG 2.2 AA) runs on every page
each of them visits.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from playwright.sync_api import Locator, Page, expect

from apregister.models import Role
from apregister.qa.rules import DEFAULT_AREAS, add_months
from apregister.templating import govuk_date
from tests.browser.conftest import AccessibilityChecker, FreshPage, open_section
from tests.conftest import PASSWORD, make_provider, make_user

pytestmark = pytest.mark.browser

PROVIDER_NAME = "Kestrel Way Learning Hub"
OFFICER_NAME = "Ines Inspector"
LEAD_NAME = "Lena Lead"

# The inspector's judgement and findings for each QA area (the LA's defaults).
AREAS = dict(DEFAULT_AREAS)
SAFEGUARDING = AREAS["safeguarding"]
EDUCATION = AREAS["education"]
OUTCOMES = AREAS["outcomes"]
JUDGEMENTS = {
    SAFEGUARDING: (
        "Met",
        "Single central record complete; DSL trained this year; staff know the referral route",
    ),
    AREAS["health_safety"]: ("Met", "Fire drill log up to date and risk assessments reviewed"),
    AREAS["admissions"]: ("Met", "Session-by-session attendance is sent to schools every day"),
    EDUCATION: ("Partly met", "Maths is taught well; English schemes of work are out of date"),
    AREAS["leadership"]: ("Met", "Governance is clear and the improvement plan is realistic"),
    OUTCOMES: ("Met", "Most pupils return to school or move on to college"),
}
SUMMARY = "A safe, well-run setting. The English curriculum needs updating."
ACTION = "Rewrite the English schemes of work for Key Stage 4"
ACTION_NOTE = "New schemes of work written and in use since half term; copies sent to the LA"
CLOSE_NOTE = "Schemes of work seen and checked against the specification"

# The provider's self-assessment: its rating and evidence for each area.
SELF_RATINGS = {
    SAFEGUARDING: ("Met", "Safeguarding policy reviewed in September; all staff trained"),
    AREAS["health_safety"]: ("Met", "Termly fire drills; first aiders on every site"),
    AREAS["admissions"]: ("Met", "Attendance sent to schools by 10am each day"),
    EDUCATION: ("Partly met", "New English schemes of work written after the inspection"),
    AREAS["leadership"]: ("Met", "Board meets every half term; improvement plan attached"),
    OUTCOMES: ("Met", "14 of 18 pupils returned to school last year"),
}
LA_COMMENT = "Say how many pupils moved on to college, training or employment, not only school"
REVISED_OUTCOMES = (
    "14 of 18 pupils returned to school last year; 3 went on to college and 1 to an apprenticeship"
)
REVIEW_COMMENT = "Thank you: the rest is clear and well evidenced"


# ---- dates ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Dates:
    today: date

    @property
    def approved_on(self) -> date:
        """Approved well over a year ago, so the first inspection is overdue."""
        return self.today - timedelta(days=400)

    @property
    def action_due(self) -> date:
        return add_months(self.today, 1)

    @property
    def year(self) -> str:
        """The academic year, like '2026/27'."""
        start = self.today.year if self.today.month >= 9 else self.today.year - 1
        return f"{start}/{(start + 1) % 100:02d}"

    @property
    def next_self_assessment(self) -> date:
        return add_months(self.today, 12)


# ---- helpers ------------------------------------------------------------------------------


def heading(page: Page) -> Locator:
    return page.get_by_role("heading", level=1)


def sign_in(page: Page, base_url: str, checker: AccessibilityChecker, email: str) -> None:
    """Home, sent to the sign-in page, signed in, back on home: the sign-in page checked."""
    page.goto("/")
    expect(page).to_have_url(f"{base_url}/sign-in?next=/")
    checker.check()
    page.get_by_label("Email address", exact=True).fill(email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(f"{base_url}/")


def summary_value(within: Page | Locator, key: str) -> Locator:
    """The value beside `key` in the first summary list row (of the page or part) that has it."""
    page = within if isinstance(within, Page) else within.page
    row = within.locator(".govuk-summary-list__row").filter(
        has=page.locator("dt").get_by_text(key, exact=True)
    )
    return row.locator("dd").first


def success_banner(page: Page) -> Locator:
    return page.locator(".govuk-notification-banner--success")


def fill_date(group: Locator, day: date) -> None:
    group.get_by_label("Day", exact=True).fill(str(day.day))
    group.get_by_label("Month", exact=True).fill(str(day.month))
    group.get_by_label("Year", exact=True).fill(str(day.year))


def expect_date(group: Locator, day: date) -> None:
    """The date shown in the boxes: the form writes days and months as two digits ("02")."""
    for label, number in (("Day", day.day), ("Month", day.month), ("Year", day.year)):
        expect(group.get_by_label(label, exact=True)).to_have_value(re.compile(rf"^0?{number}$"))


def status_tag(page: Page) -> Locator:
    """The first tag in the page's main part."""
    return page.get_by_role("main").locator(".govuk-tag").first


def action_card(page: Page) -> Locator:
    return page.locator(".govuk-summary-card").filter(
        has=page.get_by_role("heading", name="Action 1", exact=True)
    )


def area_section(page: Page, area: str) -> Locator:
    """The summary list that follows an area's heading (self-assessment pages)."""
    return page.get_by_role("heading", name=area, exact=True).locator(
        "xpath=following-sibling::dl[1]"
    )


def id_from(page: Page, pattern: str) -> int:
    match = re.search(pattern, page.url)
    assert match, f"{page.url} does not match {pattern}"
    return int(match.group(1))


# ---- the steps ------------------------------------------------------------------------------


def officer_plans_the_visit(
    page: Page, base_url: str, axe: AccessibilityChecker, dates: Dates
) -> int:
    expect(heading(page)).to_have_text("Work queue")
    axe.check()

    open_section(page, "Inspections")
    expect(page).to_have_url(f"{base_url}/inspections")
    expect(heading(page)).to_have_text("Inspections")
    overdue = page.get_by_role("table", name="Providers whose inspection is overdue")
    row = overdue.get_by_role("row").filter(has_text=PROVIDER_NAME)
    expect(row).to_contain_text(govuk_date(add_months(dates.approved_on, 3)))
    expect(row).to_contain_text("Never inspected")
    expect(page.get_by_text("No visits are planned.")).to_be_visible()
    axe.check()

    page.get_by_role("button", name="Plan a visit").click()
    expect(page).to_have_url(f"{base_url}/inspections/new")
    expect(heading(page)).to_have_text("Plan a visit")
    # The inspector is the officer, unless they choose someone else.
    expect(page.get_by_label("Inspector", exact=True).locator("option:checked")).to_have_text(
        OFFICER_NAME
    )
    axe.check()

    page.get_by_label("Provider", exact=True).select_option(label=PROVIDER_NAME)
    fill_date(page.get_by_role("group", name="Date of the visit"), dates.today)
    page.get_by_role("button", name="Plan the visit").click()

    expect(page).to_have_url(re.compile(rf"^{re.escape(base_url)}/inspections/\d+$"))
    expect(success_banner(page)).to_contain_text(
        f"Visit to {PROVIDER_NAME} planned for {govuk_date(dates.today)}"
    )
    expect(heading(page)).to_have_text("Planned visit")
    expect(summary_value(page, "Provider")).to_have_text(PROVIDER_NAME)
    expect(summary_value(page, "Planned date")).to_have_text(govuk_date(dates.today))
    expect(summary_value(page, "Inspector")).to_have_text(OFFICER_NAME)
    axe.check()
    return id_from(page, r"/inspections/(\d+)$")


def officer_records_and_publishes(
    page: Page, base_url: str, axe: AccessibilityChecker, dates: Dates, inspection_id: int
) -> None:
    page.get_by_role("button", name="Record the visit").click()
    expect(page).to_have_url(f"{base_url}/inspections/{inspection_id}/record")
    expect(heading(page)).to_have_text("Record an inspection")
    expect(page.get_by_text(f"Visit planned for {govuk_date(dates.today)}")).to_be_visible()
    # Planned for today, so the visit date is filled in already.
    expect_date(page.get_by_role("group", name="Date of the visit"), dates.today)
    axe.check()

    for area, (judgement, findings) in JUDGEMENTS.items():
        page.get_by_role("group", name=area, exact=True).get_by_label(judgement, exact=True).check()
        page.get_by_label(f"Findings ({area})", exact=True).fill(findings)
    page.get_by_role("group", name="Overall outcome").get_by_label(
        "Approved with actions", exact=True
    ).check()
    page.get_by_label("Summary (optional)", exact=True).fill(SUMMARY)
    action = page.get_by_role("group", name="Action 1", exact=True)
    action.get_by_label("What needs to be done", exact=True).fill(ACTION)
    action.get_by_role("group", name="Who owns it").get_by_label("Provider", exact=True).check()
    fill_date(action.get_by_role("group", name="Due date"), dates.action_due)
    page.get_by_role("button", name="Continue").click()

    expect(page).to_have_url(f"{base_url}/inspections/{inspection_id}/record")
    expect(heading(page)).to_have_text("Check the report before you publish it")
    expect(summary_value(page, "Provider")).to_have_text(PROVIDER_NAME)
    expect(summary_value(page, "Date of the visit")).to_have_text(govuk_date(dates.today))
    expect(summary_value(page, "Inspector")).to_have_text(OFFICER_NAME)
    expect(summary_value(page, "Overall outcome")).to_have_text("Approved with actions")
    expect(summary_value(page, "Summary")).to_have_text(SUMMARY)
    for area, (judgement, findings) in JUDGEMENTS.items():
        answer = summary_value(page, area)
        expect(answer).to_contain_text(judgement)
        expect(answer).to_contain_text(findings)
    planned_action = summary_value(page, "Action 1")
    expect(planned_action).to_contain_text(ACTION)
    expect(planned_action).to_contain_text(f"Owner: Provider. Due {govuk_date(dates.action_due)}.")
    axe.check()

    page.get_by_role("button", name="Publish report").click()
    expect(page).to_have_url(f"{base_url}/inspections/{inspection_id}")
    expect(success_banner(page)).to_contain_text("Report published. The provider can now read it")
    expect(heading(page)).to_have_text("Inspection report")
    expect(status_tag(page)).to_have_text("Approved with actions")
    expect(summary_value(page, "Date of the visit")).to_have_text(govuk_date(dates.today))
    card = action_card(page)
    expect(card.locator(".govuk-tag")).to_have_text("Open")
    expect(summary_value(card, "What needs to be done")).to_have_text(ACTION)
    # The provider has not done it yet, so the LA cannot close it.
    expect(card.get_by_role("button", name=re.compile("^Close the action"))).to_have_count(0)
    axe.check()

    # The visit is no longer planned and the provider is no longer overdue.
    open_section(page, "Inspections")
    expect(page.get_by_role("heading", name="Overdue (0)")).to_be_visible()
    expect(page.get_by_role("heading", name="Planned visits (0)")).to_be_visible()
    published = page.get_by_role("table", name="Published reports")
    expect(published.get_by_role("row").filter(has_text=PROVIDER_NAME)).to_contain_text(
        "Approved with actions"
    )
    axe.check()


def provider_marks_the_action_done(
    page: Page, base_url: str, axe: AccessibilityChecker, dates: Dates, inspection_id: int
) -> None:
    expect(heading(page)).to_have_text("Your provision")
    axe.check()

    open_section(page, "Inspections")
    expect(page).to_have_url(f"{base_url}/inspections")
    expect(heading(page)).to_have_text("Your inspection reports")
    expect(
        page.get_by_text(
            f"Your next annual inspection is due by {govuk_date(add_months(dates.today, 12))}."
        )
    ).to_be_visible()
    reports = page.get_by_role("table", name="Your inspection reports")
    row = reports.locator("tbody tr")
    expect(row).to_have_count(1)
    expect(row.get_by_role("cell")).to_have_text(
        [f"{govuk_date(dates.today)}: read the report", "Approved with actions", "1"]
    )
    axe.check()

    # The link's hidden text is positioned absolutely, so its name reads "<date> : read the
    # report", with a space before the colon.
    row.get_by_role(
        "link", name=re.compile(rf"^{re.escape(govuk_date(dates.today))}\s*: read the report$")
    ).click()
    expect(page).to_have_url(f"{base_url}/inspections/{inspection_id}")
    expect(heading(page)).to_have_text("Inspection report")
    for area, (judgement, findings) in JUDGEMENTS.items():
        judged = page.locator(".govuk-summary-card").filter(
            has=page.get_by_role("heading", name=area, exact=True)
        )
        expect(judged.locator(".govuk-tag")).to_have_text(judgement)
        expect(judged).to_contain_text(findings)
    card = action_card(page)
    expect(card.locator(".govuk-tag")).to_have_text("Open")
    expect(summary_value(card, "What needs to be done")).to_have_text(ACTION)
    expect(summary_value(card, "Owner")).to_have_text("Provider")
    expect(summary_value(card, "Due")).to_have_text(govuk_date(dates.action_due))
    # Only the LA closes or reopens actions.
    for la_only in ("Close the action", "Reopen the action"):
        expect(page.get_by_role("button", name=re.compile(f"^{la_only}"))).to_have_count(0)
    axe.check()

    card.get_by_label("What you did", exact=True).fill(ACTION_NOTE)
    card.get_by_role("button", name="Mark as done (action 1)").click()

    expect(page).to_have_url(re.compile(rf"/inspections/{inspection_id}#action-\d+$"))
    expect(success_banner(page)).to_contain_text(
        "Action marked as done. The LA will check it and close it"
    )
    card = action_card(page)
    expect(card.locator(".govuk-tag")).to_have_text("Done, to verify")
    expect(summary_value(card, "Provider's note")).to_have_text(ACTION_NOTE)
    expect(summary_value(card, "Marked done")).to_have_text(govuk_date(dates.today))
    expect(card.get_by_role("button", name=re.compile("^Mark as done"))).to_have_count(0)
    axe.check()


def provider_fills_in_its_self_assessment(
    page: Page, base_url: str, axe: AccessibilityChecker, dates: Dates
) -> int:
    open_section(page, "Self-assessments")
    expect(page).to_have_url(f"{base_url}/self-assessments")
    expect(heading(page)).to_have_text("Your self-assessments")
    axe.check()

    page.get_by_role("button", name=f"Start your self-assessment for {dates.year}").click()
    expect(page).to_have_url(re.compile(rf"^{re.escape(base_url)}/self-assessments/\d+/edit$"))
    assessment_id = id_from(page, r"/self-assessments/(\d+)/edit$")
    expect(success_banner(page)).to_contain_text(f"Self-assessment for {dates.year} started")
    expect(heading(page)).to_have_text(f"Your self-assessment for {dates.year}")
    axe.check()

    for area, (rating, evidence) in SELF_RATINGS.items():
        page.get_by_role("group", name=f"Self-rating for {area}", exact=True).get_by_label(
            rating, exact=True
        ).check()
        page.get_by_label(f"Evidence for {area}", exact=True).fill(evidence)
    page.get_by_role("button", name="Continue").click()

    expect(page).to_have_url(f"{base_url}/self-assessments/{assessment_id}/check")
    expect(heading(page)).to_have_text("Check your self-assessment before you submit it")
    for area, (rating, evidence) in SELF_RATINGS.items():
        answers = area_section(page, area)
        expect(summary_value(answers, "Self-rating")).to_have_text(rating)
        expect(summary_value(answers, "Evidence")).to_have_text(evidence)
        expect(
            answers.get_by_role("link", name=f"Change evidence for {area}", exact=True)
        ).to_be_visible()
    axe.check()

    page.get_by_role("button", name="Submit self-assessment").click()
    expect(page).to_have_url(f"{base_url}/self-assessments/{assessment_id}")
    expect(success_banner(page)).to_contain_text(
        "Self-assessment submitted. The LA will review it and tell you the outcome"
    )
    expect(status_tag(page)).to_have_text("Submitted")
    expect(page.get_by_text(f"Submitted on {govuk_date(dates.today)}.")).to_be_visible()
    expect(page.get_by_role("button", name="Continue your self-assessment")).to_have_count(0)
    axe.check()
    return assessment_id


def lead_returns_it_with_a_comment(
    page: Page, base_url: str, axe: AccessibilityChecker, dates: Dates, assessment_id: int
) -> None:
    expect(heading(page)).to_have_text("Work queue")
    axe.check()

    open_section(page, "Self-assessments")
    expect(page).to_have_url(f"{base_url}/self-assessments")
    expect(page.get_by_role("heading", name="Waiting for review (1)")).to_be_visible()
    waiting = page.get_by_role("table", name=re.compile("^Self-assessments waiting for review"))
    row = waiting.locator("tbody tr")
    expect(row.get_by_role("cell").nth(1)).to_have_text(dates.year)
    expect(row.get_by_role("cell").nth(2)).to_have_text(govuk_date(dates.today))
    axe.check()

    row.get_by_role("link", name=PROVIDER_NAME, exact=True).click()
    expect(page).to_have_url(f"{base_url}/self-assessments/{assessment_id}")
    expect(heading(page)).to_have_text(f"Self-assessment for {dates.year}")
    expect(status_tag(page)).to_have_text("Submitted")
    axe.check()

    page.get_by_role("button", name="Review this self-assessment").click()
    expect(page).to_have_url(f"{base_url}/self-assessments/{assessment_id}/review")
    expect(heading(page)).to_have_text("Review the self-assessment")
    expect(summary_value(page, "Version")).to_have_text("1")
    expect(summary_value(area_section(page, OUTCOMES), "Evidence")).to_have_text(
        SELF_RATINGS[OUTCOMES][1]
    )
    axe.check()

    page.get_by_label(f"Your comment on {OUTCOMES} (optional)", exact=True).fill(LA_COMMENT)
    page.get_by_role("radio", name="Return to the provider for changes", exact=True).check()
    page.get_by_role("button", name="Confirm decision").click()

    expect(page).to_have_url(f"{base_url}/self-assessments/{assessment_id}")
    expect(success_banner(page)).to_contain_text(
        "Self-assessment returned to the provider with your comments"
    )
    expect(status_tag(page)).to_have_text("Returned")
    expect(summary_value(area_section(page, OUTCOMES), "LA's comment")).to_have_text(LA_COMMENT)
    axe.check()


def provider_revises_and_resubmits(
    page: Page, base_url: str, axe: AccessibilityChecker, dates: Dates, assessment_id: int
) -> None:
    open_section(page, "Self-assessments")
    expect(page).to_have_url(f"{base_url}/self-assessments")
    row = page.get_by_role("table", name=re.compile("^Your self-assessments")).locator("tbody tr")
    expect(row.get_by_role("cell")).to_have_text(
        [dates.year, "Returned", govuk_date(dates.today), govuk_date(dates.today)]
    )
    axe.check()

    row.get_by_role("link", name=dates.year, exact=True).click()
    expect(page).to_have_url(f"{base_url}/self-assessments/{assessment_id}")
    expect(status_tag(page)).to_have_text("Returned")
    expect(summary_value(area_section(page, OUTCOMES), "LA's comment")).to_have_text(LA_COMMENT)
    axe.check()

    page.get_by_role("button", name="Change your answers").click()
    expect(page).to_have_url(f"{base_url}/self-assessments/{assessment_id}/edit")
    expect(
        page.get_by_text(f"The LA returned this on {govuk_date(dates.today)}", exact=True)
    ).to_be_visible()
    comment = page.get_by_role("heading", name=OUTCOMES, exact=True).locator(
        "xpath=following-sibling::div[1]"
    )
    expect(comment).to_contain_text("The LA's comment")
    expect(comment).to_contain_text(LA_COMMENT)
    # The answers sent before are there to change.
    evidence = page.get_by_label(f"Evidence for {OUTCOMES}", exact=True)
    expect(evidence).to_have_value(SELF_RATINGS[OUTCOMES][1])
    axe.check()

    evidence.fill(REVISED_OUTCOMES)
    page.get_by_role("button", name="Continue").click()
    expect(page).to_have_url(f"{base_url}/self-assessments/{assessment_id}/check")
    expect(summary_value(area_section(page, OUTCOMES), "Evidence")).to_have_text(REVISED_OUTCOMES)
    axe.check()

    page.get_by_role("button", name="Submit self-assessment").click()
    expect(page).to_have_url(f"{base_url}/self-assessments/{assessment_id}")
    expect(success_banner(page)).to_contain_text("Self-assessment submitted")
    expect(status_tag(page)).to_have_text("Submitted")
    expect(page.get_by_role("heading", name="Version 2", exact=True)).to_be_visible()
    axe.check()


def lead_accepts_it(
    page: Page, base_url: str, axe: AccessibilityChecker, dates: Dates, assessment_id: int
) -> None:
    open_section(page, "Self-assessments")
    waiting = page.get_by_role("table", name=re.compile("^Self-assessments waiting for review"))
    row = waiting.locator("tbody tr")
    expect(row).to_contain_text("Resubmitted after changes")
    axe.check()

    row.get_by_role("link", name=f"Review {PROVIDER_NAME}, {dates.year}", exact=True).click()
    expect(page).to_have_url(f"{base_url}/self-assessments/{assessment_id}/review")
    expect(summary_value(page, "Version")).to_have_text("2")
    expect(
        page.get_by_text(f"The LA returned version 1 on {govuk_date(dates.today)}", exact=True)
    ).to_be_visible()
    outcomes = area_section(page, OUTCOMES)
    expect(summary_value(outcomes, "Evidence")).to_have_text(REVISED_OUTCOMES)
    expect(summary_value(outcomes, "Your earlier comment")).to_have_text(LA_COMMENT)
    axe.check()

    page.get_by_role("radio", name="Accept", exact=True).check()
    page.get_by_label("Overall comment", exact=True).fill(REVIEW_COMMENT)
    page.get_by_role("button", name="Confirm decision").click()

    expect(page).to_have_url(f"{base_url}/self-assessments/{assessment_id}")
    expect(success_banner(page)).to_contain_text(
        "Self-assessment accepted. The next one is due by " + govuk_date(dates.next_self_assessment)
    )
    expect(status_tag(page)).to_have_text("Accepted")
    expect(
        page.get_by_text(
            f"Accepted on {govuk_date(dates.today)}. The next self-assessment is due by "
            f"{govuk_date(dates.next_self_assessment)}."
        )
    ).to_be_visible()
    axe.check()


def lead_sees_the_timeline_and_closes_the_action(
    page: Page, base_url: str, axe: AccessibilityChecker, dates: Dates, inspection_id: int
) -> None:
    open_section(page, "Providers")
    expect(page).to_have_url(re.compile(rf"^{re.escape(base_url)}/providers"))
    axe.check()

    page.get_by_role("main").get_by_role("link", name=PROVIDER_NAME, exact=True).click()
    expect(page).to_have_url(re.compile(rf"^{re.escape(base_url)}/providers/\d+$"))
    provider_url = page.url
    expect(heading(page)).to_have_text(PROVIDER_NAME)
    qa = page.locator("#quality-assurance ~ dl").first
    expect(summary_value(qa, "Next annual inspection")).to_contain_text(
        govuk_date(add_months(dates.today, 12))
    )
    expect(summary_value(qa, "Last inspection")).to_have_text(
        f"{govuk_date(dates.today)}, Approved with actions"
    )
    expect(summary_value(qa, "Last self-assessment accepted")).to_have_text(govuk_date(dates.today))
    expect(summary_value(qa, "Actions not yet closed")).to_have_text("1")

    timeline = page.get_by_role(
        "table", name="Inspections, self-assessments and actions, latest date first"
    ).locator("tbody tr")
    # Latest date first: the action falls due next month; the visit and the acceptance were
    # today.
    expect(timeline.locator("td:nth-child(1)")).to_have_text(
        [govuk_date(dates.action_due), govuk_date(dates.today), govuk_date(dates.today)]
    )
    expect(timeline.locator("td:nth-child(2)")).to_have_text(
        [
            f"Action (Provider){ACTION}",
            "InspectionInspection visit",
            f"Self-assessmentSelf-assessment {dates.year}",
        ]
    )
    expect(timeline.locator("td:nth-child(3)")).to_have_text(
        ["Done, to verify", "Approved with actions", "Accepted"]
    )
    axe.check()

    # Verify and close: the action's link leads to the report, where the LA closes it.
    timeline.nth(0).get_by_role("link", name=ACTION, exact=True).click()
    expect(page).to_have_url(f"{base_url}/inspections/{inspection_id}")
    card = action_card(page)
    expect(card.locator(".govuk-tag")).to_have_text("Done, to verify")
    expect(summary_value(card, "Provider's note")).to_have_text(ACTION_NOTE)
    axe.check()

    card.get_by_label("Note (optional)", exact=True).fill(CLOSE_NOTE)
    card.get_by_role("button", name="Close the action (action 1)").click()
    expect(page).to_have_url(re.compile(rf"/inspections/{inspection_id}#action-\d+$"))
    expect(success_banner(page)).to_contain_text("Action closed")
    card = action_card(page)
    expect(card.locator(".govuk-tag")).to_have_text("Closed")
    expect(summary_value(card, "LA's note")).to_have_text(CLOSE_NOTE)
    expect(summary_value(card, "Closed")).to_have_text(govuk_date(dates.today))
    expect(card.get_by_role("button", name=re.compile("^Close the action"))).to_have_count(0)
    expect(card.get_by_role("button", name="Reopen the action (action 1)")).to_be_visible()
    axe.check()

    page.goto(provider_url)
    expect(summary_value(page, "Actions not yet closed")).to_have_text("0")
    timeline = page.get_by_role(
        "table", name="Inspections, self-assessments and actions, latest date first"
    ).locator("tbody tr")
    expect(timeline.nth(0).locator("td").nth(2)).to_have_text("Closed")
    axe.check()


# ---- the journey ----------------------------------------------------------------------------


def test_an_inspection_and_a_self_assessment_from_plan_to_close(
    page: Page, base_url: str, accessibility: AccessibilityChecker, fresh_page: FreshPage
) -> None:
    dates = Dates(date.today())
    provider = make_provider(name=PROVIDER_NAME, approved_on=dates.approved_on)
    officer = make_user(Role.LA_OFFICER, name=OFFICER_NAME)
    lead = make_user(Role.LA_LEAD, name=LEAD_NAME)
    provider_user = make_user(Role.PROVIDER, provider, name="Priya Provider")

    # 1. An LA officer plans the visit, records it and publishes the report.
    sign_in(page, base_url, accessibility, officer.email)
    inspection_id = officer_plans_the_visit(page, base_url, accessibility, dates)
    officer_records_and_publishes(page, base_url, accessibility, dates, inspection_id)

    # 2. The provider reads the report and marks its action done.
    provider_page, provider_axe = fresh_page()
    sign_in(provider_page, base_url, provider_axe, provider_user.email)
    provider_marks_the_action_done(provider_page, base_url, provider_axe, dates, inspection_id)

    # 3. The provider fills in its self-assessment for this academic year and submits it.
    assessment_id = provider_fills_in_its_self_assessment(
        provider_page, base_url, provider_axe, dates
    )

    # 4. The lead returns it with a comment on one area.
    lead_page, lead_axe = fresh_page()
    sign_in(lead_page, base_url, lead_axe, lead.email)
    lead_returns_it_with_a_comment(lead_page, base_url, lead_axe, dates, assessment_id)

    # 5. The provider answers the comment and sends it again; the lead accepts it.
    provider_revises_and_resubmits(provider_page, base_url, provider_axe, dates, assessment_id)
    lead_accepts_it(lead_page, base_url, lead_axe, dates, assessment_id)

    # 6. The provider's page shows it all, and the lead verifies and closes the action.
    lead_sees_the_timeline_and_closes_the_action(
        lead_page, base_url, lead_axe, dates, inspection_id
    )

    accessibility.assert_no_violations()
    provider_axe.assert_no_violations()
    lead_axe.assert_no_violations()
