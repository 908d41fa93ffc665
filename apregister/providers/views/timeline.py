"""Quality assurance on the provider page: its timeline of inspections, actions and
self-assessments."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask import request
from sqlalchemy import func, select

from apregister.access import visible
from apregister.extensions import db
from apregister.models import (
    ActionStatus,
    Inspection,
    InspectionAction,
    InspectionOutcome,
    InspectionStatus,
    Provider,
    SelfAssessment,
    SelfAssessmentStatus,
    SelfAssessmentVersion,
)
from apregister.templating import UK

# ---- quality assurance on the provider page ----------------------------------------------------


@dataclass(frozen=True)
class TimelineItem:
    day: date | None
    kind: str
    title: str
    status: str
    colour: str | None
    href: str
    open: bool = False  # an action not yet closed


SELF_ASSESSMENT_COLOURS = {
    SelfAssessmentStatus.DRAFT: "grey",
    SelfAssessmentStatus.SUBMITTED: "blue",
    SelfAssessmentStatus.RETURNED: "orange",
    SelfAssessmentStatus.ACCEPTED: "green",
}
ACTION_COLOURS = {
    ActionStatus.OPEN: "blue",
    ActionStatus.DONE: "yellow",
    ActionStatus.CLOSED: "grey",
}
OUTCOME_COLOURS = {
    InspectionOutcome.APPROVED: "green",
    InspectionOutcome.APPROVED_WITH_ACTIONS: "yellow",
    InspectionOutcome.NOT_APPROVED: "red",
}


def _short(text: str, length: int = 90) -> str:
    text = " ".join(text.split())
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"


def _qa_timeline(provider: Provider, today: date) -> list[TimelineItem]:
    """Inspections, self-assessments and actions the user may see, newest first."""
    root = request.script_root
    items = []
    for inspection in db.session.scalars(
        visible(Inspection).where(Inspection.provider_id == provider.id)
    ):
        planned = inspection.status is InspectionStatus.PLANNED
        outcome = inspection.overall_outcome
        items.append(
            TimelineItem(
                day=inspection.planned_date if planned else inspection.visit_date,
                kind="Inspection",
                title="Planned inspection visit" if planned else "Inspection visit",
                status=outcome.label if outcome and not planned else inspection.status.label,
                colour="blue" if planned or not outcome else OUTCOME_COLOURS.get(outcome),
                href=f"{root}/inspections/{inspection.id}",
            )
        )
    last_submitted = (
        select(func.max(SelfAssessmentVersion.submitted_at))
        .where(SelfAssessmentVersion.self_assessment_id == SelfAssessment.id)
        .correlate(SelfAssessment)
        .scalar_subquery()
    )
    for assessment, submitted in db.session.execute(
        visible(SelfAssessment)
        .where(SelfAssessment.provider_id == provider.id)
        .add_columns(last_submitted)
    ):
        day = assessment.accepted_on or (submitted or assessment.created_at).astimezone(UK).date()
        items.append(
            TimelineItem(
                day=day,
                kind="Self-assessment",
                title=f"Self-assessment {assessment.academic_year}",
                status=assessment.status.label,
                colour=SELF_ASSESSMENT_COLOURS.get(assessment.status),
                href=f"{root}/self-assessments/{assessment.id}",
            )
        )
    for action in db.session.scalars(
        visible(InspectionAction).where(InspectionAction.provider_id == provider.id)
    ):
        overdue = action.status is ActionStatus.OPEN and action.due_date < today
        items.append(
            TimelineItem(
                day=action.due_date,
                kind=f"Action ({action.owner.label})",
                title=_short(action.description),
                status="Overdue" if overdue else action.status.label,
                colour="red" if overdue else ACTION_COLOURS.get(action.status),
                href=f"{root}/inspections/{action.inspection_id}",
                open=action.status is not ActionStatus.CLOSED,
            )
        )
    return sorted(items, key=lambda item: item.day or date.max, reverse=True)
