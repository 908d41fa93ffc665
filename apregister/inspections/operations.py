"""The only code that changes inspections and their actions. Flush, never commit: the view
(or the CLI command) commits once."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select

from apregister.extensions import db
from apregister.messages import events
from apregister.models import (
    ActionOwner,
    ActionStatus,
    Inspection,
    InspectionAction,
    InspectionJudgement,
    InspectionOutcome,
    InspectionStatus,
    Judgement,
    Provider,
    User,
)


class InspectionRefused(Exception):
    """The change cannot be made; the message says why, in plain words."""


@dataclass(frozen=True)
class AreaJudgement:
    key: str
    name: str  # as the area is called today; kept, so a later rename leaves the report alone
    judgement: Judgement
    findings: str | None


@dataclass(frozen=True)
class ActionDetails:
    description: str
    owner: ActionOwner
    due_date: date


@dataclass(frozen=True)
class ReportDetails:
    visit_date: date
    inspector_id: int
    outcome: InspectionOutcome
    summary: str | None
    judgements: list[AreaJudgement]
    actions: list[ActionDetails]


def _locked(model, record_id: int):
    """The row re-read under a row lock (PostgreSQL), so two requests cannot both act on what
    they each saw before the other's change."""
    return db.session.scalars(
        select(model)
        .where(model.id == record_id)
        .with_for_update(of=model)
        .execution_options(populate_existing=True)
    ).one()


def planned_visit(provider_id: int) -> Inspection | None:
    """The provider's booked visit, if it has one."""
    return db.session.scalars(
        select(Inspection)
        .where(
            Inspection.provider_id == provider_id,
            Inspection.status == InspectionStatus.PLANNED,
        )
        .order_by(Inspection.planned_date, Inspection.id)
    ).first()


def plan_inspection(
    provider: Provider, *, planned_date: date, inspector_id: int, by: User
) -> Inspection:
    """Book a visit. A provider with a visit already booked has that one moved instead, so it
    never has two planned visits."""
    inspection = planned_visit(provider.id)
    if inspection is None:
        inspection = Inspection(provider_id=provider.id, status=InspectionStatus.PLANNED)
        db.session.add(inspection)
    else:
        inspection = _locked(Inspection, inspection.id)
    inspection.planned_date = planned_date
    inspection.inspector_id = inspector_id
    db.session.flush()
    return inspection


def publish_inspection(
    provider: Provider,
    details: ReportDetails,
    *,
    planned: Inspection | None,
    now: datetime,
    by: User,
) -> Inspection:
    """Record the visit and publish the report to the provider: the planned inspection if
    there is one, else a new one. Each judgement keeps its area's name as it is today."""
    if planned is not None:
        inspection = _locked(Inspection, planned.id)
        if inspection.status is not InspectionStatus.PLANNED:
            raise InspectionRefused("This report has already been published")
        if inspection.provider_id != provider.id:
            raise InspectionRefused("This visit is planned for another provider")
    else:
        inspection = Inspection(provider_id=provider.id)
        db.session.add(inspection)
    inspection.visit_date = details.visit_date
    inspection.inspector_id = details.inspector_id
    inspection.overall_outcome = details.outcome
    inspection.summary = details.summary
    inspection.status = InspectionStatus.PUBLISHED
    inspection.published_at = now
    for position, area in enumerate(details.judgements):
        inspection.judgements.append(
            InspectionJudgement(
                area_key=area.key,
                area_name=area.name,
                position=position,
                judgement=area.judgement,
                findings=area.findings,
            )
        )
    for action in details.actions:
        inspection.actions.append(
            InspectionAction(
                provider_id=provider.id,
                description=action.description,
                owner=action.owner,
                due_date=action.due_date,
                status=ActionStatus.OPEN,
            )
        )
    db.session.flush()
    events.inspection_published(inspection)
    return inspection


def done_refusal(action: InspectionAction) -> str | None:
    """Why the provider cannot mark this action as done, or None if it can."""
    if action.owner is not ActionOwner.PROVIDER:
        return "This action is for the LA to complete"
    if action.status is not ActionStatus.OPEN:
        return "This action is not open, so it cannot be marked as done"
    return None


def close_refusal(action: InspectionAction) -> str | None:
    """Why the LA cannot close this action, or None: it closes what the provider marked done,
    and its own open actions."""
    if action.status is ActionStatus.CLOSED:
        return "This action is already closed"
    if action.status is ActionStatus.OPEN and action.owner is not ActionOwner.LA:
        return "The provider has not marked this action as done yet"
    return None


def reopen_refusal(action: InspectionAction) -> str | None:
    if action.status is ActionStatus.OPEN:
        return "This action is already open"
    return None


def _checked(action: InspectionAction, refusal) -> InspectionAction:
    locked = _locked(InspectionAction, action.id)
    reason = refusal(locked)
    if reason is not None:
        raise InspectionRefused(reason)
    return locked


def mark_action_done(action: InspectionAction, *, note: str, today: date, by: User) -> None:
    """The provider says it has done an action it owns; the LA then checks and closes it."""
    action = _checked(action, done_refusal)
    action.status = ActionStatus.DONE
    action.provider_note = note
    action.done_on = today
    db.session.flush()


def close_action(action: InspectionAction, *, note: str | None, today: date, by: User) -> None:
    """The LA agrees an action is complete."""
    action = _checked(action, close_refusal)
    action.status = ActionStatus.CLOSED
    action.closed_on = today
    if note:
        action.la_note = note
    db.session.flush()


def reopen_action(action: InspectionAction, *, note: str, by: User) -> None:
    """The LA sends an action back: it is not done after all, or a closed one came back."""
    action = _checked(action, reopen_refusal)
    action.status = ActionStatus.OPEN
    action.done_on = None
    action.closed_on = None
    action.la_note = note
    db.session.flush()
