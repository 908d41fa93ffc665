"""Inspection pages: the LA's lists, planning and recording a visit with "check your answers",
the report, and actions; per role, across providers, and with bad input."""

import html
import re
import threading
from datetime import date, timedelta
from urllib.parse import urlencode

import pytest
from sqlalchemy import func, select

from apregister.models import (
    ActionOwner,
    ActionStatus,
    FrameworkStatus,
    Inspection,
    InspectionAction,
    InspectionJudgement,
    InspectionOutcome,
    InspectionStatus,
    Judgement,
    QaArea,
    Role,
)
from apregister.models.base import utcnow
from apregister.qa.rules import DEFAULT_AREAS, add_months
from apregister.templating import govuk_date
from tests.conftest import (
    count_queries,
    csrf_token,
    make_provider,
    make_school,
    make_user,
    sign_in,
    submit,
)

TODAY = date.today()
YESTERDAY = TODAY - timedelta(days=1)
LA = (Role.LA_LEAD, Role.LA_OFFICER)


def _parts(day: date) -> list[str]:
    return [str(day.day), str(day.month), str(day.year)]


def _text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def _count(db, model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def _written(db) -> tuple:
    """Everything these pages can write, to show a refused post wrote nothing."""
    inspections = db.session.execute(
        select(
            Inspection.id,
            Inspection.status,
            Inspection.planned_date,
            Inspection.visit_date,
            Inspection.inspector_id,
        ).order_by(Inspection.id)
    ).all()
    actions = db.session.execute(
        select(
            InspectionAction.id,
            InspectionAction.status,
            InspectionAction.provider_note,
            InspectionAction.la_note,
            InspectionAction.done_on,
            InspectionAction.closed_on,
        ).order_by(InspectionAction.id)
    ).all()
    return inspections, _count(db, InspectionJudgement), actions


def _planned(db, provider, inspector=None, day=None) -> Inspection:
    inspection = Inspection(
        provider_id=provider.id,
        status=InspectionStatus.PLANNED,
        planned_date=day or TODAY + timedelta(days=7),
        inspector_id=inspector.id if inspector else None,
    )
    db.session.add(inspection)
    db.session.commit()
    return inspection


def _published(
    db,
    provider,
    visit_date=YESTERDAY,
    *,
    safeguarding=Judgement.MET,
    actions=((ActionOwner.PROVIDER, ActionStatus.OPEN),),
) -> Inspection:
    """A published report written directly, to set the scene."""
    inspection = Inspection(
        provider_id=provider.id,
        status=InspectionStatus.PUBLISHED,
        visit_date=visit_date,
        overall_outcome=InspectionOutcome.APPROVED_WITH_ACTIONS,
        summary="A calm, well-run setting",
        published_at=utcnow(),
    )
    inspection.judgements = [
        InspectionJudgement(
            area_key="safeguarding",
            area_name="Safeguarding and welfare",
            position=0,
            judgement=safeguarding,
            findings="Checks in order",
        )
    ]
    inspection.actions = [
        InspectionAction(
            provider_id=provider.id,
            description=f"Action owned by {owner.value}",
            owner=owner,
            due_date=TODAY + timedelta(days=30),
            status=status,
            done_on=TODAY if status is not ActionStatus.OPEN else None,
        )
        for owner, status in actions
    ]
    db.session.add(inspection)
    db.session.commit()
    return inspection


def _report_form(inspector, **overrides) -> dict:
    data = {
        "visit_date": _parts(YESTERDAY),
        "inspector_id": str(inspector.id),
        "overall_outcome": "approved",
        "summary": "A calm, well-run setting",
        "action_rows": "3",
    }
    for key, _ in DEFAULT_AREAS:
        data[f"judgement_{key}"] = "met"
        data[f"findings_{key}"] = ""
    for index in range(3):
        data[f"action_{index}_description"] = ""
        data[f"action_{index}_due"] = ["", "", ""]
    return data | overrides


def _with_action(index=0, **overrides) -> dict:
    return {
        f"action_{index}_description": "Update the lesson plans",
        f"action_{index}_owner": "provider",
        f"action_{index}_due": _parts(TODAY + timedelta(days=30)),
    } | overrides


_INPUT = re.compile(r"<input\b[^>]*>")
_ATTRIBUTE = re.compile(r'\b(type|name|value)="([^"]*)"')


def _first_form_fields(response) -> dict:
    """The hidden fields of the main content's first form (the "Publish report" one)."""
    page = response.get_data(as_text=True)
    start = page.index("<form", page.index("<main"))
    form = page[start : page.index("</form>", start)]
    fields: dict[str, list[str]] = {}
    for tag in _INPUT.findall(form):
        attributes = dict(_ATTRIBUTE.findall(tag))
        if attributes.get("type") == "hidden":
            fields.setdefault(attributes["name"], []).append(html.unescape(attributes["value"]))
    return {name: values if len(values) > 1 else values[0] for name, values in fields.items()}


# ---- who may open what ------------------------------------------------------------------------


ROUTES = ["list", "plan", "record", "record_unplanned", "show", "done", "close", "reopen"]


def _paths(provider, planned, report) -> dict[str, str]:
    open_action, done_action = report.actions
    base = f"/inspections/{report.id}/actions"
    return {
        "list": "/inspections",
        "plan": f"/inspections/new?provider_id={provider.id}",
        "record": f"/inspections/{planned.id}/record",
        "record_unplanned": f"/inspections/record?provider_id={provider.id}",
        "show": f"/inspections/{report.id}",
        "done": f"{base}/{open_action.id}/done",
        "close": f"{base}/{done_action.id}/close",
        "reopen": f"{base}/{done_action.id}/reopen",
    }


ALLOWED = {
    "list": {*LA, Role.PROVIDER},
    "plan": set(LA),
    "record": set(LA),
    "record_unplanned": set(LA),
    "show": {*LA, Role.PROVIDER},
    "done": {Role.PROVIDER},
    "close": set(LA),
    "reopen": set(LA),
}


@pytest.mark.parametrize("route", ROUTES)
@pytest.mark.parametrize("role", list(Role))
def test_role_by_route_table(client, db, login_as, role, route):
    provider = make_provider()
    planned = _planned(db, provider)
    report = _published(
        db,
        provider,
        actions=[
            (ActionOwner.PROVIDER, ActionStatus.OPEN),
            (ActionOwner.PROVIDER, ActionStatus.DONE),
        ],
    )
    login_as(role, provider if role is Role.PROVIDER else None)
    response = client.get(_paths(provider, planned, report)[route])
    assert response.status_code == (200 if role in ALLOWED[route] else 403)


def test_signed_out_visitor_is_sent_to_sign_in(client, db):
    assert client.get("/inspections").status_code == 302


# ---- other providers --------------------------------------------------------------------------


def test_provider_cannot_see_or_act_on_another_providers_report(client, db, login_as):
    provider, other = make_provider(), make_provider()
    theirs = _published(db, provider)
    mine = _published(db, other)
    login_as(Role.PROVIDER, other)
    (their_action,) = theirs.actions
    (my_action,) = mine.actions
    before = _written(db)
    assert client.get(f"/inspections/{theirs.id}").status_code == 404
    assert client.get(f"/inspections/{theirs.id}/actions/{their_action.id}/done").status_code == 404
    token_page = f"/inspections/{mine.id}/actions/{my_action.id}/done"
    for path in (
        f"/inspections/{theirs.id}/actions/{their_action.id}/done",
        # their action through my own report
        f"/inspections/{mine.id}/actions/{their_action.id}/done",
    ):
        response = submit(client, path, {"note": "Done it"}, form_path=token_page)
        assert response.status_code == 404, path
    assert _written(db) == before
    listing = _text(client.get("/inspections"))
    assert f"/inspections/{theirs.id}" not in listing
    assert f"/inspections/{mine.id}" in listing


def test_provider_cannot_see_its_own_planned_visit(client, db, login_as):
    provider = make_provider()
    planned = _planned(db, provider, day=TODAY + timedelta(days=3))
    login_as(Role.PROVIDER, provider)
    assert client.get(f"/inspections/{planned.id}").status_code == 404
    listing = _text(client.get("/inspections"))
    assert f"/inspections/{planned.id}" not in listing
    assert "no published inspection reports" in listing


def test_action_from_another_inspection_is_not_found(client, db, login_as):
    provider = make_provider()
    first = _published(db, provider, actions=[(ActionOwner.PROVIDER, ActionStatus.DONE)])
    second = _published(db, provider)
    login_as(Role.LA_OFFICER)
    (action,) = first.actions
    before = _written(db)
    path = f"/inspections/{second.id}/actions/{action.id}/close"
    assert client.get(path).status_code == 404
    good = f"/inspections/{first.id}/actions/{action.id}/close"
    assert submit(client, path, {"note": ""}, form_path=good).status_code == 404
    assert _written(db) == before


# ---- the LA's lists ---------------------------------------------------------------------------


def _date_before(due: date, months: int) -> date | None:
    """A day that, `months` later, is exactly `due` (some month ends have none)."""
    start = add_months(due, -months)
    for offset in range(-3, 4):
        day = start + timedelta(days=offset)
        if add_months(day, months) == due:
            return day
    return None


def _section(body: str, start: str, end: str) -> str:
    return body[body.index(f'id="{start}"') : body.index(f'id="{end}"')]


def test_overdue_due_this_month_and_planned_lists(client, db, login_as):
    long_ago = TODAY - timedelta(days=800)
    overdue = make_provider(name="Overdue Visited", approved_on=long_ago)
    _published(db, overdue, add_months(TODAY, -13), actions=[])
    never = make_provider(name="Never Inspected", approved_on=add_months(TODAY, -12))
    suspended = make_provider(
        name="Suspended Overdue", approved_on=long_ago, framework_status=FrameworkStatus.SUSPENDED
    )
    removed = make_provider(
        name="Removed Overdue", approved_on=long_ago, framework_status=FrameworkStatus.REMOVED
    )
    make_provider(name="Applied Only", framework_status=FrameworkStatus.APPLIED)
    recent = make_provider(name="Recently Visited", approved_on=long_ago)
    _published(db, recent, add_months(TODAY, -1), actions=[])
    # its report is out of date, but a later one is not
    _published(db, recent, add_months(TODAY, -14), actions=[])
    due_now = make_provider(name="Due Today", approved_on=long_ago)
    visit = _date_before(TODAY, 12)
    if visit is not None:
        _published(db, due_now, visit, actions=[])
    else:  # 29 February: use the first inspection after approval (3 months) instead
        due_now.approved_on = _date_before(TODAY, 3)
        db.session.commit()
    officer = login_as(Role.LA_OFFICER)
    booked = _planned(db, recent, officer, day=TODAY + timedelta(days=10))

    body = _text(client.get("/inspections"))
    overdue_list = _section(body, "overdue", "due-this-month")
    this_month = _section(body, "due-this-month", "planned")
    planned_list = _section(body, "planned", "to-verify")
    everyone = _section(body, "all-providers", "reports")

    for name in ("Overdue Visited", "Never Inspected", "Suspended Overdue"):
        assert name in overdue_list
    for name in ("Due Today", "Recently Visited", "Removed Overdue", "Applied Only"):
        assert name not in overdue_list
    assert "Due Today" in this_month
    for name in ("Overdue Visited", "Never Inspected", "Recently Visited"):
        assert name not in this_month
    assert "Recently Visited" in planned_list
    assert govuk_date(booked.planned_date) in planned_list
    assert officer.name in planned_list
    assert "Removed Overdue" not in everyone
    assert "Applied Only" not in everyone
    assert f"/inspections/new?provider_id={overdue.id}" in overdue_list
    assert f"/inspections/new?provider_id={never.id}" in overdue_list
    assert f"/inspections/new?provider_id={suspended.id}" in overdue_list
    assert f"/inspections/new?provider_id={removed.id}" not in body
    assert "Plan a visit" in overdue_list
    assert "Change the planned visit" in everyone  # Recently Visited has a visit booked


def _populate(db, count: int, officer) -> None:
    for n in range(count):
        provider = make_provider(approved_on=TODAY - timedelta(days=400 + n))
        _published(
            db,
            provider,
            add_months(TODAY, -13),
            actions=[
                (ActionOwner.PROVIDER, ActionStatus.DONE),
                (ActionOwner.LA, ActionStatus.OPEN),
            ],
        )
        _planned(db, provider, officer)


def test_la_list_runs_the_same_number_of_queries_for_more_providers(client, db, login_as):
    officer = login_as(Role.LA_OFFICER)
    _populate(db, 2, officer)
    client.get("/inspections")
    with count_queries() as few:
        assert client.get("/inspections").status_code == 200
    _populate(db, 8, officer)
    with count_queries() as many:
        body = _text(client.get("/inspections"))
    assert "Overdue (10)" in body
    assert len(many) == len(few)


def test_provider_list_shows_its_reports_with_open_actions(client, db, login_as):
    provider = make_provider(approved_on=TODAY - timedelta(days=100))
    report = _published(
        db,
        provider,
        actions=[
            (ActionOwner.PROVIDER, ActionStatus.OPEN),
            (ActionOwner.PROVIDER, ActionStatus.OPEN),
            (ActionOwner.PROVIDER, ActionStatus.DONE),
        ],
    )
    login_as(Role.PROVIDER, provider)
    body = _text(client.get("/inspections"))
    assert f"/inspections/{report.id}" in body
    assert govuk_date(report.visit_date) in body
    assert "Approved with actions" in body
    assert re.search(r'govuk-table__cell--numeric">\s*2\s*<', body)
    assert f"next annual inspection is due by {govuk_date(add_months(YESTERDAY, 12))}" in body


# ---- planning a visit ----------------------------------------------------------------------------


def test_plan_a_visit_preselects_the_provider_and_books_it(client, db, login_as):
    provider = make_provider()
    make_provider(name="Not On The Framework", framework_status=FrameworkStatus.APPLIED)
    officer = login_as(Role.LA_OFFICER)
    lead = make_user(Role.LA_LEAD)
    make_user(Role.BOARD, name="Board Member")
    page = _text(client.get(f"/inspections/new?provider_id={provider.id}"))
    assert f'<option value="{provider.id}" selected>' in page
    assert "Not On The Framework" not in page
    assert lead.name in page and officer.name in page
    assert "Board Member" not in page
    day = TODAY + timedelta(days=5)
    response = submit(
        client,
        "/inspections/new",
        {"provider_id": provider.id, "planned_date": _parts(day), "inspector_id": lead.id},
    )
    assert response.status_code == 302
    inspection = db.session.scalars(select(Inspection)).one()
    assert (inspection.provider_id, inspection.planned_date, inspection.inspector_id) == (
        provider.id,
        day,
        lead.id,
    )
    assert inspection.status is InspectionStatus.PLANNED


PLAN_BAD_INPUT = [
    ({"provider_id": "0"}, "Select a provider on the framework"),
    ({"provider_id": "applied"}, "Select a provider on the framework"),
    ({"provider_id": "nonsense"}, "Select a provider on the framework"),
    ({"planned_date": ["", "", ""]}, "Enter the date of the visit"),
    ({"planned_date": ["12", "5"]}, "The date of the visit must include a year"),
    ({"planned_date": _parts(YESTERDAY)}, "The date of the visit must be today or in the future"),
    ({"inspector_id": "0"}, "Select the inspector"),
    ({"inspector_id": "provider_user"}, "Select the inspector"),
]


@pytest.mark.parametrize(("overrides", "message"), PLAN_BAD_INPUT)
def test_plan_bad_input_gets_a_field_error_and_writes_nothing(
    client, db, login_as, overrides, message
):
    provider = make_provider()
    applied = make_provider(framework_status=FrameworkStatus.APPLIED)
    staff = make_user(Role.PROVIDER, provider)
    officer = login_as(Role.LA_OFFICER)
    ids = {"applied": str(applied.id), "provider_user": str(staff.id)}
    data = {
        "provider_id": str(provider.id),
        "planned_date": _parts(TODAY + timedelta(days=3)),
        "inspector_id": str(officer.id),
    } | {
        key: ids.get(value, value) if isinstance(value, str) else value
        for key, value in overrides.items()
    }
    before = _written(db)
    response = submit(client, "/inspections/new", data)
    body = _text(response)
    assert response.status_code == 200
    assert "There is a problem" in body
    assert message in body
    assert _written(db) == before


# ---- recording a report -----------------------------------------------------------------------


def test_check_your_answers_writes_nothing_until_publish(client, db, login_as):
    provider = make_provider()
    officer = login_as(Role.LA_OFFICER)
    planned = _planned(db, provider, officer, day=YESTERDAY)
    path = f"/inspections/{planned.id}/record"
    form_page = _text(client.get(path))
    assert re.search(rf'id="visit_date-day"[^>]*value="0?{YESTERDAY.day}"', form_page)
    before = _written(db)
    data = _report_form(
        officer,
        overall_outcome="approved_with_actions",
        judgement_education="partly_met",
        findings_education="Too little written work",
        summary="Line one\nLine two",
        **_with_action(1),
    )
    check = submit(client, path, data)
    body = _text(check)
    assert check.status_code == 200
    assert "Check the report before you publish it" in body
    assert "Too little written work" in body
    assert "Update the lesson plans" in body
    assert _written(db) == before

    hidden = _first_form_fields(check)
    assert hidden["confirmed"] == "yes"
    edit = client.post(path, data=hidden | {"confirmed": "edit"})
    assert edit.status_code == 200
    assert "Record an inspection" in _text(edit)
    assert "Too little written work" in _text(edit)
    assert _written(db) == before

    published = client.post(path, data=hidden)
    assert published.status_code == 302
    assert published.headers["Location"].endswith(f"/inspections/{planned.id}")
    db.session.expire_all()
    inspection = db.session.get(Inspection, planned.id)
    assert inspection.status is InspectionStatus.PUBLISHED
    assert inspection.published_at is not None
    assert inspection.visit_date == YESTERDAY
    assert inspection.summary == "Line one\nLine two"
    assert inspection.overall_outcome is InspectionOutcome.APPROVED_WITH_ACTIONS
    assert [(j.area_key, j.area_name, j.judgement) for j in inspection.judgements] == [
        (key, name, Judgement.PARTLY_MET if key == "education" else Judgement.MET)
        for key, name in DEFAULT_AREAS
    ]
    (action,) = inspection.actions
    assert (action.provider_id, action.owner, action.status) == (
        provider.id,
        ActionOwner.PROVIDER,
        ActionStatus.OPEN,
    )
    # publishing again (a second click) changes nothing
    again = client.post(path, data=hidden)
    assert again.status_code == 302
    assert _count(db, InspectionJudgement) == len(DEFAULT_AREAS)


def test_recording_without_a_planned_visit_creates_the_inspection_on_publish(client, db, login_as):
    provider = make_provider()
    officer = login_as(Role.LA_LEAD)
    path = f"/inspections/record?provider_id={provider.id}"
    check = submit(client, path, _report_form(officer))
    assert "Check the report before you publish it" in _text(check)
    assert _count(db, Inspection) == 0
    response = client.post(path, data=_first_form_fields(check))
    assert response.status_code == 302
    inspection = db.session.scalars(select(Inspection)).one()
    assert inspection.provider_id == provider.id
    assert inspection.status is InspectionStatus.PUBLISHED
    assert inspection.inspector_id == officer.id


def test_recording_for_a_provider_off_the_framework_is_turned_away(client, db, login_as):
    provider = make_provider(framework_status=FrameworkStatus.REMOVED)
    login_as(Role.LA_OFFICER)
    response = client.get(f"/inspections/record?provider_id={provider.id}")
    assert response.status_code == 302
    assert client.get("/inspections/record?provider_id=999999").status_code == 404
    assert client.get("/inspections/record").status_code == 404


def test_add_another_action_shows_one_more_row_and_writes_nothing(client, db, login_as):
    provider = make_provider()
    officer = login_as(Role.LA_OFFICER)
    path = f"/inspections/record?provider_id={provider.id}"
    data = _report_form(officer, **_with_action(0)) | {"add_action": "Add another action"}
    response = submit(client, path, data)
    body = _text(response)
    assert response.status_code == 200
    assert "There is a problem" not in body
    assert 'name="action_3_description"' in body
    assert 'name="action_rows" type="hidden" value="4"' in body
    assert "Update the lesson plans" in body
    assert _count(db, Inspection) == 0


def _area_name(key: str) -> str:
    return dict(DEFAULT_AREAS)[key]


RECORD_BAD_INPUT = [
    ({"judgement_safeguarding": None}, "Select a judgement for Safeguarding and welfare"),
    ({"judgement_education": "brilliant"}, "Select a judgement for Quality of education"),
    ({"visit_date": None}, "Enter the date of the visit"),
    ({"visit_date": ["", "", ""]}, "Enter the date of the visit"),
    ({"visit_date": ["3", "4"]}, "The visit date must include a year"),
    ({"visit_date": ["31", "2", "2025"]}, "The visit date must be a real date"),
    (
        {"visit_date": _parts(TODAY + timedelta(days=1))},
        "The visit date must be today or in the past",
    ),
    ({"inspector_id": "0"}, "Select the inspector"),
    ({"inspector_id": "school_user"}, "Select the inspector"),
    ({"overall_outcome": None}, "Select the overall outcome"),
    ({"overall_outcome": "glowing"}, "Select the overall outcome"),
    (
        {"judgement_safeguarding": "not_met"},
        "Enter the findings for Safeguarding and welfare: say what is not yet met",
    ),
    (
        {"overall_outcome": "approved_with_actions"},
        "Add at least one action, or choose another overall outcome",
    ),
    ({"summary": "x" * 10001}, "The summary must be 10000 characters or fewer"),
    # partly filled action rows
    ({"action_0_description": "Update the plans"}, "Select who owns action 1"),
    ({"action_0_description": "Update the plans"}, "Enter the date action 1 is due"),
    ({"action_1_owner": "la"}, "Enter what action 2 asks for"),
    ({"action_2_due": _parts(TODAY)}, "Select who owns action 3"),
    (_with_action(0, action_0_owner="nobody"), "Select who owns action 1"),
    (_with_action(0, action_0_due=None), "Enter the date action 1 is due"),
    (
        _with_action(0, action_0_due=["1"]),
        "The due date for action 1 must include a month and year",
    ),
    (
        _with_action(0, action_0_due=_parts(YESTERDAY - timedelta(days=1))),
        "The due date for action 1 must be on or after the visit date",
    ),
]


@pytest.mark.parametrize(("overrides", "message"), RECORD_BAD_INPUT)
@pytest.mark.parametrize("confirmed", ["", "yes"])
def test_record_bad_input_gets_a_field_error_and_writes_nothing(
    client, db, login_as, overrides, message, confirmed
):
    provider = make_provider()
    school_user = make_user(Role.SCHOOL, make_school())
    officer = login_as(Role.LA_OFFICER)
    planned = _planned(db, provider, officer, day=YESTERDAY)
    ids = {"school_user": str(school_user.id)}
    data = _report_form(officer) | {"confirmed": confirmed}
    for key, value in overrides.items():
        if value is None:
            data.pop(key, None)
        else:
            data[key] = ids.get(value, value) if isinstance(value, str) else value
    before = _written(db)
    response = submit(client, f"/inspections/{planned.id}/record", data)
    body = _text(response)
    assert response.status_code == 200
    assert "There is a problem" in body
    assert message in body
    assert "Check the report before you publish it" not in body
    assert _written(db) == before


@pytest.mark.parametrize("where", ["planned", "unplanned", "plan", "done", "reopen"])
def test_a_post_with_no_fields_at_all_does_not_fail(client, db, login_as, where):
    provider = make_provider()
    report = _published(
        db,
        provider,
        actions=[(ActionOwner.PROVIDER, ActionStatus.OPEN), (ActionOwner.LA, ActionStatus.DONE)],
    )
    open_action, done_action = report.actions
    if where == "done":
        login_as(Role.PROVIDER, provider)
    else:
        login_as(Role.LA_OFFICER)
    path = {
        "planned": f"/inspections/{_planned(db, provider).id}/record",
        "unplanned": f"/inspections/record?provider_id={provider.id}",
        "plan": "/inspections/new",
        "done": f"/inspections/{report.id}/actions/{open_action.id}/done",
        "reopen": f"/inspections/{report.id}/actions/{done_action.id}/reopen",
    }[where]
    before = _written(db)
    response = submit(client, path, {})
    assert response.status_code == 200
    assert "There is a problem" in _text(response)
    assert _written(db) == before


def test_a_report_already_published_is_not_recorded_again(client, db, login_as):
    report = _published(db, make_provider())
    login_as(Role.LA_OFFICER)
    response = client.get(f"/inspections/{report.id}/record")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/inspections/{report.id}")


# ---- the report --------------------------------------------------------------------------------


def test_area_names_stay_as_they_were_when_the_report_was_published(client, db, login_as):
    provider = make_provider()
    officer = login_as(Role.LA_OFFICER)
    path = f"/inspections/record?provider_id={provider.id}"
    check = submit(client, path, _report_form(officer))
    client.post(path, data=_first_form_fields(check))
    inspection = db.session.scalars(select(Inspection)).one()
    db.session.add(QaArea(key="safeguarding", name="Keeping children safe", position=0))
    db.session.commit()

    report = _text(client.get(f"/inspections/{inspection.id}"))
    assert "Safeguarding and welfare" in report
    assert "Keeping children safe" not in report
    assert "Quality of education" in report
    # a new report judges the areas as they are called now
    form = _text(client.get(path))
    assert "Keeping children safe" in form
    assert "Safeguarding and welfare" not in form


def _suspend_url(provider, inspection) -> str:
    reason = f"Safeguarding judged not met at the inspection on {govuk_date(inspection.visit_date)}"
    query = urlencode({"decision": "suspend", "reason": reason})
    return f"/providers/{provider.id}/framework-status?{query}"


@pytest.mark.parametrize("judgement", list(Judgement))
def test_safeguarding_prompt_appears_only_when_not_met(client, db, login_as, judgement):
    provider = make_provider()
    inspection = _published(db, provider, safeguarding=judgement)
    login_as(Role.LA_LEAD)
    body = _text(client.get(f"/inspections/{inspection.id}"))
    shown = judgement is Judgement.NOT_MET
    assert ("Safeguarding was judged not met" in body) is shown
    assert (_suspend_url(provider, inspection) in body) is shown
    assert (f"Suspend {provider.name}" in body) is shown


def test_the_provider_reads_its_not_met_report_without_the_suspend_prompt(client, db, login_as):
    provider = make_provider()
    inspection = _published(db, provider, safeguarding=Judgement.NOT_MET)
    login_as(Role.PROVIDER, provider)
    body = _text(client.get(f"/inspections/{inspection.id}"))
    assert "Not met" in body
    assert "Safeguarding was judged not met" not in body
    assert "framework-status" not in body


def test_the_prompt_for_a_suspended_provider_says_so_instead_of_linking(client, db, login_as):
    provider = make_provider(framework_status=FrameworkStatus.SUSPENDED)
    inspection = _published(db, provider, safeguarding=Judgement.NOT_MET)
    login_as(Role.LA_OFFICER)
    body = _text(client.get(f"/inspections/{inspection.id}"))
    assert "Safeguarding was judged not met" in body
    assert "is suspended on the framework" in body
    assert "framework-status" not in body


def test_the_suspend_link_opens_the_framework_page_with_the_reason(client, db, login_as):
    provider = make_provider()
    inspection = _published(db, provider, safeguarding=Judgement.NOT_MET)
    login_as(Role.LA_LEAD)
    response = client.get(_suspend_url(provider, inspection))
    assert response.status_code == 200
    assert "Safeguarding judged not met at the inspection on" in _text(response)


def test_report_shows_every_part(client, db, login_as):
    provider = make_provider()
    inspector = make_user(Role.LA_OFFICER, name="Ines Inspector")
    inspection = _published(db, provider)
    inspection.inspector_id = inspector.id
    db.session.commit()
    login_as(Role.PROVIDER, provider)
    body = _text(client.get(f"/inspections/{inspection.id}"))
    for text in (
        govuk_date(YESTERDAY),
        "Ines Inspector",
        "Approved with actions",
        "A calm, well-run setting",
        "Safeguarding and welfare",
        "Checks in order",
        "Action owned by provider",
        govuk_date(TODAY + timedelta(days=30)),
        "Open",
        "Mark as done",
    ):
        assert text in body, text


def test_la_sees_a_planned_visit_with_a_link_to_record_it(client, db, login_as):
    provider = make_provider()
    officer = login_as(Role.LA_OFFICER)
    planned = _planned(db, provider, officer)
    body = _text(client.get(f"/inspections/{planned.id}"))
    assert "Planned visit" in body
    assert officer.name in body
    assert f"/inspections/{planned.id}/record" in body


# ---- actions ------------------------------------------------------------------------------------


def _action(db, action_id) -> InspectionAction:
    db.session.expire_all()
    return db.session.get(InspectionAction, action_id)


def test_action_lifecycle_open_done_closed_and_reopened(app, client, db):
    provider = make_provider()
    report = _published(db, provider)
    (action,) = report.actions
    base = f"/inspections/{report.id}/actions/{action.id}"
    page = f"/inspections/{report.id}"
    staff, officer = client, app.test_client()
    assert sign_in(staff, make_user(Role.PROVIDER, provider)).status_code == 302
    assert sign_in(officer, make_user(Role.LA_OFFICER)).status_code == 302

    response = submit(staff, f"{base}/done", {"note": "  "}, form_path=page)
    assert response.status_code == 200
    assert "Enter what you did to complete the action" in _text(response)
    assert _action(db, action.id).status is ActionStatus.OPEN
    response = submit(staff, f"{base}/done", {"note": "New plans in use"}, form_path=page)
    assert response.status_code == 302
    done = _action(db, action.id)
    assert (done.status, done.provider_note, done.done_on) == (
        ActionStatus.DONE,
        "New plans in use",
        TODAY,
    )
    assert "Mark as done" not in _text(staff.get(page))

    assert "Action owned by provider" in _section(
        _text(officer.get("/inspections")), "to-verify", "all-providers"
    )
    response = submit(officer, f"{base}/close", {"note": ""}, form_path=page)
    assert response.status_code == 302
    closed = _action(db, action.id)
    assert (closed.status, closed.closed_on) == (ActionStatus.CLOSED, TODAY)

    response = submit(officer, f"{base}/reopen", {"note": ""}, form_path=page)
    assert response.status_code == 200
    assert "Enter why the action is reopened" in _text(response)
    assert _action(db, action.id).status is ActionStatus.CLOSED
    response = submit(officer, f"{base}/reopen", {"note": "Not seen on the visit"}, form_path=page)
    assert response.status_code == 302
    reopened = _action(db, action.id)
    assert (reopened.status, reopened.la_note, reopened.done_on, reopened.closed_on) == (
        ActionStatus.OPEN,
        "Not seen on the visit",
        None,
        None,
    )
    assert "Not seen on the visit" in _text(staff.get(page))

    response = submit(staff, f"{base}/done", {"note": "Done properly"}, form_path=page)
    assert response.status_code == 302
    assert _action(db, action.id).status is ActionStatus.DONE


def test_steps_out_of_order_write_nothing(client, db, login_as):
    provider = make_provider()
    report = _published(
        db,
        provider,
        actions=[(ActionOwner.PROVIDER, ActionStatus.OPEN), (ActionOwner.LA, ActionStatus.OPEN)],
    )
    theirs, ours = report.actions
    base = f"/inspections/{report.id}/actions"
    page = f"/inspections/{report.id}"
    login_as(Role.LA_OFFICER)
    before = _written(db)
    for path in (f"{base}/{theirs.id}/close", f"{base}/{theirs.id}/reopen"):
        response = submit(client, path, {"note": "Why"}, form_path=page)
        assert response.status_code == 302
    assert _written(db) == before
    # the LA closes its own action without waiting for the provider
    assert (
        submit(client, f"{base}/{ours.id}/close", {"note": ""}, form_path=page).status_code == 302
    )
    assert _action(db, ours.id).status is ActionStatus.CLOSED


def test_provider_cannot_mark_the_las_action_done(client, db, login_as):
    provider = make_provider()
    report = _published(db, provider, actions=[(ActionOwner.LA, ActionStatus.OPEN)])
    (action,) = report.actions
    login_as(Role.PROVIDER, provider)
    page = f"/inspections/{report.id}"
    assert "Mark as done" not in _text(client.get(page))
    before = _written(db)
    path = f"/inspections/{report.id}/actions/{action.id}/done"
    response = submit(client, path, {"note": "Done"}, form_path=page)
    assert response.status_code == 302
    assert "for the LA to complete" in _text(client.get(page))
    assert _written(db) == before


def test_the_same_report_published_twice_at_once_is_stored_once(app, db):
    provider = make_provider()
    officer = make_user(Role.LA_OFFICER)
    planned = _planned(db, provider, officer, day=YESTERDAY)
    path = f"/inspections/{planned.id}/record"
    clients = []
    for _ in range(2):
        client = app.test_client()
        sign_in(client, officer)
        token = csrf_token(client, path)
        clients.append((client, _report_form(officer, confirmed="yes", csrf_token=token)))
    barrier = threading.Barrier(len(clients))
    responses = [None] * len(clients)

    def post(index, client, form):
        barrier.wait()
        responses[index] = client.post(path, data=form)

    threads = [
        threading.Thread(target=post, args=(index, client, form))
        for index, (client, form) in enumerate(clients)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert [response.status_code for response in responses] == [302, 302]
    db.session.expire_all()
    assert _count(db, Inspection) == 1
    assert _count(db, InspectionJudgement) == len(DEFAULT_AREAS)
    assert db.session.get(Inspection, planned.id).status is InspectionStatus.PUBLISHED
