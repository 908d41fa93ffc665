"""Every item on a work queue links to a list whose rows are exactly the records it counts."""

from __future__ import annotations

import re
from datetime import date, timedelta
from html import unescape

import pytest

from apregister.models import (
    ActionOwner,
    ActionStatus,
    Attendance,
    AttendanceCode,
    ExtensionRequest,
    FrameworkStatus,
    Inspection,
    InspectionAction,
    InspectionOutcome,
    InspectionStatus,
    RegistrationType,
    Role,
    SelfAssessment,
    SelfAssessmentStatus,
    Session,
)
from tests.conftest import (
    count_queries,
    make_placement,
    make_provider,
    make_pupil,
    make_school,
    make_user,
    sign_in,
)

TODAY = date.today()
ITEM = re.compile(
    r'<a class="govuk-link[^"]*" href="([^"]+)"><strong class="app-work-queue__count">(\d+)'
    r"</strong> ([^<]+)</a>"
)


def _scene(db, school, provider):
    """At least one of everything a work queue counts, for `school` and at `provider`."""
    weeks = timedelta(weeks=1)
    tutor = make_provider(framework_status=FrameworkStatus.NOT_ON_FRAMEWORK)
    make_placement(
        make_pupil(school), tutor, off_framework=True, off_framework_reason="Nearest setting"
    )
    make_placement(  # overrunning, at the school's provider
        make_pupil(school),
        provider,
        start_date=TODAY - 14 * weeks,
        planned_end=TODAY - 2 * weeks,
    )
    lapsed = make_provider(framework_status=FrameworkStatus.SUSPENDED)
    make_placement(make_pupil(school), lapsed)
    heavy = make_provider(registration_type=RegistrationType.VOCATIONAL)
    make_placement(make_pupil(school), heavy, planned_end=TODAY + 14 * weeks)
    pending = make_placement(make_pupil(school), make_provider())
    db.session.add(
        ExtensionRequest(
            placement=pending, requested_on=TODAY, new_end=TODAY + 20 * weeks, reason="More"
        )
    )
    # QA: one provider due for inspection, one waiting self-assessment, one action to check
    due = make_provider(approved_on=TODAY - timedelta(days=400))
    inspection = Inspection(
        provider_id=due.id,
        status=InspectionStatus.PUBLISHED,
        visit_date=TODAY - timedelta(days=360),
        overall_outcome=InspectionOutcome.APPROVED_WITH_ACTIONS,
    )
    db.session.add(inspection)
    db.session.flush()
    db.session.add_all(
        [
            InspectionAction(
                inspection_id=inspection.id,
                provider_id=due.id,
                description="Renew the fire risk assessment",
                owner=ActionOwner.PROVIDER,
                due_date=TODAY - weeks,
                status=ActionStatus.DONE,
                done_on=TODAY,
            ),
            InspectionAction(
                inspection_id=inspection.id,
                provider_id=due.id,
                description="Train every tutor in the new safeguarding policy",
                owner=ActionOwner.PROVIDER,
                due_date=TODAY + weeks,
                status=ActionStatus.OPEN,
            ),
            SelfAssessment(
                provider_id=due.id,
                academic_year="2026/27",
                status=SelfAssessmentStatus.SUBMITTED,
            ),
            SelfAssessment(
                provider_id=provider.id,
                academic_year="2026/27",
                status=SelfAssessmentStatus.RETURNED,
            ),
        ]
    )
    make_provider(framework_status=FrameworkStatus.APPLIED)
    db.session.commit()
    return due


def _registered():
    return make_provider(registration_type=RegistrationType.PUPIL_REFERRAL_UNIT)


def _section(html: str, anchor: str) -> str:
    start = html.index(f'id="{anchor}"')
    following = html.find("<h2", start + 1)
    return html[start : following if following != -1 else len(html)]


def _rows(client, href: str) -> int:
    """How many records the list at `href` holds."""
    path, _, anchor = href.partition("#")
    html = client.get(unescape(path)).get_data(as_text=True)
    if anchor:
        section = _section(html, anchor)
        return section.count('<tr class="govuk-table__row">') - 1 if "<table" in section else (
            section.count("<li>")
        )
    total = re.search(r'role="status"><strong>(\d+)</strong>', html)
    if total is None:  # a short list, all on its page
        return max(html.count('<tr class="govuk-table__row">') - 1, 0)
    shown = html.count('class="app-provider-summary"') + max(
        html.count('<tr class="govuk-table__row">') - 1, 0
    )
    assert shown == int(total.group(1)), href  # every row on one page here
    return int(total.group(1))


def _check_every_item(client) -> dict[str, int]:
    home = client.get("/").get_data(as_text=True)
    items = ITEM.findall(home)
    assert items, "no work queue on the home page"
    for href, count, what in items:
        assert _rows(client, href) == int(count), f"{what}: {href}"
    return {unescape(what): int(count) for _, count, what in items}


@pytest.mark.parametrize("role", [Role.LA_LEAD, Role.LA_OFFICER])
def test_every_la_item_counts_the_rows_of_the_list_it_links_to(app, client, db, login_as, role):
    school = make_school()
    _scene(db, school, _registered())
    login_as(role)
    found = _check_every_item(client)
    assert found["placement off the framework waiting for the LA's review"] == 1
    assert found["placement running past its planned end with no end recorded"] == 1
    assert found["placement at a provider since suspended or removed"] == 1
    assert found["placement beyond the DfE limits for unregistered provision"] == 1
    assert found["extension request waiting for a decision"] == 1
    assert found["self-assessment waiting for review"] == 1
    assert found["inspection action the provider says is done, to check"] == 1
    assert found["framework application waiting for a decision"] == 1
    assert found["provider with an inspection due within 30 days, or overdue"] == 1


def test_every_school_item_counts_only_its_own_placements(app, client, db, login_as):
    school = make_school()
    _scene(db, school, _registered())
    _scene(db, make_school(), _registered())  # another school's: never counted
    login_as(Role.SCHOOL, school)
    found = _check_every_item(client)
    assert found["placement running past its planned end with no end recorded"] == 1
    assert found["placement at a provider since suspended or removed"] == 1
    assert found["placement off the framework waiting for the LA's review"] == 1
    assert found["extension request waiting for the LA"] == 1


def test_every_provider_item_counts_the_rows_of_its_list(app, client, db, login_as):
    provider = _registered()
    due = _scene(db, make_school(), provider)
    overrun = make_placement(make_pupil(), provider, start_date=TODAY - timedelta(weeks=3))
    db.session.add(
        Attendance(
            placement_id=overrun.id,
            date=TODAY - timedelta(days=1),
            session=Session.AM,
            code=AttendanceCode.PRESENT,
        )
    )
    db.session.commit()
    login_as(Role.PROVIDER, provider)
    home = client.get("/").get_data(as_text=True)
    assert "past sessions not recorded" in home or "past session not recorded" in home
    unrecorded = re.search(r"<strong>(\d+)</strong> past session", home)
    listing = client.get("/attendance/unrecorded").get_data(as_text=True)
    total = re.search(r'role="status"><strong>(\d+)</strong>', listing)
    assert int(total.group(1)) == int(unrecorded.group(1)) > 25
    pages = -(-int(total.group(1)) // 25)
    rows = sum(  # every page, one by one
        client.get(f"/attendance/unrecorded?page={page}")
        .get_data(as_text=True)
        .count('<tr class="govuk-table__row">')
        - 1
        for page in range(1, pages + 1)
    )
    assert rows == int(unrecorded.group(1))
    returned = re.search(r"<strong>(\d+)</strong> self-assessments? returned", home)
    assert int(returned.group(1)) == 1
    page = client.get("/self-assessments?status=returned").get_data(as_text=True)
    assert page.count('<tr class="govuk-table__row">') - 1 == 1
    # the other provider's open action is not this provider's
    assert re.search(r"<strong>0</strong> open inspection actions", home)
    assert "Train every tutor" not in client.get("/inspections").get_data(as_text=True)
    assert due.id != provider.id


def test_the_work_queues_cost_the_same_however_many_placements(app, client, db, login_as):
    school = make_school()
    _scene(db, school, _registered())
    lead = make_user(Role.LA_LEAD)
    school_user = make_user(Role.SCHOOL, school)
    counts = {}
    for user in (lead, school_user):
        other = app.test_client()
        sign_in(other, user)
        other.get("/")
        with count_queries() as few:
            other.get("/")
        counts[user.role] = len(few)
    for _ in range(3):
        _scene(db, school, _registered())
    for user in (lead, school_user):
        other = app.test_client()
        sign_in(other, user)
        other.get("/")
        with count_queries() as many:
            other.get("/")
        assert len(many) == counts[user.role], user.role
