"""Operations on inspections: planning, publishing and the life of an action. They flush and
never commit, and refuse what the rules forbid."""

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from apregister.inspections import operations
from apregister.inspections.operations import (
    ActionDetails,
    AreaJudgement,
    InspectionRefused,
    ReportDetails,
)
from apregister.models import (
    ActionOwner,
    ActionStatus,
    Inspection,
    InspectionAction,
    InspectionJudgement,
    InspectionOutcome,
    InspectionStatus,
    Judgement,
    Role,
)
from apregister.models.base import utcnow
from tests.conftest import make_provider, make_user

TODAY = date.today()


def _details(**overrides) -> ReportDetails:
    values = {
        "visit_date": TODAY - timedelta(days=1),
        "inspector_id": overrides.pop("inspector_id"),
        "outcome": InspectionOutcome.APPROVED_WITH_ACTIONS,
        "summary": "A calm, well-run setting",
        "judgements": [
            AreaJudgement("safeguarding", "Safeguarding and welfare", Judgement.MET, None),
            AreaJudgement("education", "Quality of education", Judgement.PARTLY_MET, "Thin"),
        ],
        "actions": [
            ActionDetails("Update the lesson plans", ActionOwner.PROVIDER, TODAY + timedelta(30)),
            ActionDetails("Send the new template", ActionOwner.LA, TODAY + timedelta(7)),
        ],
    }
    return ReportDetails(**(values | overrides))


def _count(db, model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_planning_twice_moves_the_visit_rather_than_booking_a_second(db):
    provider, officer = make_provider(), make_user(Role.LA_OFFICER)
    first = operations.plan_inspection(
        provider, planned_date=TODAY + timedelta(days=7), inspector_id=officer.id, by=officer
    )
    again = operations.plan_inspection(
        provider, planned_date=TODAY + timedelta(days=14), inspector_id=officer.id, by=officer
    )
    assert again.id == first.id
    assert again.planned_date == TODAY + timedelta(days=14)
    assert again.status is InspectionStatus.PLANNED
    assert _count(db, Inspection) == 1


def test_publishing_a_planned_visit_keeps_area_names_and_gives_actions_the_provider(db):
    provider, officer = make_provider(), make_user(Role.LA_OFFICER)
    planned = operations.plan_inspection(
        provider, planned_date=TODAY, inspector_id=officer.id, by=officer
    )
    now = utcnow()
    published = operations.publish_inspection(
        provider, _details(inspector_id=officer.id), planned=planned, now=now, by=officer
    )
    assert published.id == planned.id
    assert published.status is InspectionStatus.PUBLISHED
    assert published.published_at == now
    assert published.visit_date == TODAY - timedelta(days=1)
    assert [(j.area_key, j.area_name, j.position) for j in published.judgements] == [
        ("safeguarding", "Safeguarding and welfare", 0),
        ("education", "Quality of education", 1),
    ]
    assert {a.provider_id for a in published.actions} == {provider.id}
    assert {a.status for a in published.actions} == {ActionStatus.OPEN}


def test_publishing_without_a_planned_visit_creates_the_inspection(db):
    provider, officer = make_provider(), make_user(Role.LA_OFFICER)
    published = operations.publish_inspection(
        provider, _details(inspector_id=officer.id), planned=None, now=utcnow(), by=officer
    )
    assert published.provider_id == provider.id
    assert _count(db, Inspection) == 1
    assert _count(db, InspectionJudgement) == 2
    assert _count(db, InspectionAction) == 2


def test_a_published_report_cannot_be_published_again(db):
    provider, officer = make_provider(), make_user(Role.LA_OFFICER)
    planned = operations.plan_inspection(
        provider, planned_date=TODAY, inspector_id=officer.id, by=officer
    )
    details = _details(inspector_id=officer.id)
    operations.publish_inspection(provider, details, planned=planned, now=utcnow(), by=officer)
    with pytest.raises(InspectionRefused, match="already been published"):
        operations.publish_inspection(provider, details, planned=planned, now=utcnow(), by=officer)


def _actions(db):
    provider, officer = make_provider(), make_user(Role.LA_OFFICER)
    inspection = operations.publish_inspection(
        provider, _details(inspector_id=officer.id), planned=None, now=utcnow(), by=officer
    )
    theirs, ours = inspection.actions
    return officer, make_user(Role.PROVIDER, provider), theirs, ours


def test_action_lifecycle_open_done_closed_and_reopened(db):
    officer, staff, action, _ = _actions(db)
    operations.mark_action_done(action, note="New plans in use", today=TODAY, by=staff)
    assert (action.status, action.provider_note, action.done_on) == (
        ActionStatus.DONE,
        "New plans in use",
        TODAY,
    )
    operations.close_action(action, note=None, today=TODAY, by=officer)
    assert (action.status, action.closed_on) == (ActionStatus.CLOSED, TODAY)
    operations.reopen_action(action, note="Plans slipped again", by=officer)
    assert (action.status, action.done_on, action.closed_on, action.la_note) == (
        ActionStatus.OPEN,
        None,
        None,
        "Plans slipped again",
    )


def test_steps_out_of_order_are_refused(db):
    officer, staff, theirs, ours = _actions(db)
    with pytest.raises(InspectionRefused, match="not marked this action as done"):
        operations.close_action(theirs, note=None, today=TODAY, by=officer)
    with pytest.raises(InspectionRefused, match="already open"):
        operations.reopen_action(theirs, note="Why", by=officer)
    with pytest.raises(InspectionRefused, match="for the LA to complete"):
        operations.mark_action_done(ours, note="Done it", today=TODAY, by=staff)
    operations.mark_action_done(theirs, note="Done", today=TODAY, by=staff)
    with pytest.raises(InspectionRefused, match="not open"):
        operations.mark_action_done(theirs, note="Again", today=TODAY, by=staff)
    operations.close_action(theirs, note="Seen on the visit", today=TODAY, by=officer)
    with pytest.raises(InspectionRefused, match="already closed"):
        operations.close_action(theirs, note=None, today=TODAY, by=officer)


def test_the_la_closes_its_own_open_action_directly(db):
    officer, _, _, ours = _actions(db)
    operations.close_action(ours, note="Template sent", today=TODAY, by=officer)
    assert (ours.status, ours.la_note) == (ActionStatus.CLOSED, "Template sent")
