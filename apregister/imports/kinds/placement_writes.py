"""Writing an imported placement, its reviews and its agreed extension through the ORM (so the
audit log records each). No message is written to the outbox for an imported placement, even
one off the framework: it is history, and the LA's queue of off-framework placements shows it
anyway."""

from __future__ import annotations

from datetime import date

from apregister.extensions import db
from apregister.imports.kinds.placement_register import PlacementsContext, ProviderRef, PupilRef
from apregister.models import (
    ExtensionRequest,
    ExtensionStatus,
    Placement,
    Review,
    ReviewDecision,
)
from apregister.placements import rules
from apregister.placements.operations.commission import agreed_reason

EXTENSION_REASON = "Planned for longer from the start: agreed by the LA's import"
REVIEW_NOTE = "Imported: only the date of this review was recorded"


def create(
    context: PlacementsContext,
    pupil: PupilRef,
    provider: ProviderRef,
    merged: dict,
    reviews,
    *,
    by_id,
) -> None:
    off = provider.framework_status.off_framework_kind is not None
    placement = Placement(
        pupil_id=pupil.id,
        school_id=pupil.owner_id if pupil.at_school else None,
        commissioner_id=pupil.owner_id,
        provider_id=provider.id,
        reason=merged["reason"],
        start_date=merged["start_date"],
        planned_end=merged["planned_end"],
        session_mask=merged["session_mask"],
        hours_per_week=merged["hours_per_week"],
        full_time=merged["full_time"],
        cost_per_week=merged["cost_per_week"],
        objectives=merged["objectives"],
        reintegration_plan=merged["reintegration_plan"],
        actual_end=merged["actual_end"],
        outcome=merged["outcome"],
        outcome_notes=merged["outcome_notes"],
        created_by_id=by_id,
        off_framework=off,
        off_framework_status=provider.framework_status if off else None,
        off_framework_reason=agreed_reason(merged["off_framework_reason"]) if off else None,
    )
    db.session.add(placement)
    if rules.planned_beyond(merged["start_date"], merged["planned_end"], context.weeks):
        agreed_extension(placement, merged["planned_end"], context.today, by_id)
    for day in reviews:
        db.session.add(review(placement, day, by_id))


def update_placement(context, placement: Placement, changed: dict, *, by_id) -> None:
    for key, value in changed.items():
        if key == "reviews":
            for day in value:
                db.session.add(review(placement, day, by_id))
        else:
            setattr(placement, key, value)
    new_end = changed.get("planned_end")
    if new_end and rules.planned_beyond(placement.start_date, new_end, context.weeks):
        agreed_extension(placement, new_end, context.today, by_id)


def agreed_extension(placement: Placement, new_end: date, today: date, by_id) -> None:
    db.session.add(
        ExtensionRequest(
            placement=placement,
            requested_on=today,
            new_end=new_end,
            reason=EXTENSION_REASON,
            requested_by_id=by_id,
            status=ExtensionStatus.APPROVED,
            decided_by_id=by_id,
            decided_on=today,
            decision_reason=EXTENSION_REASON,
        )
    )


def review(placement: Placement, day: date, by_id) -> Review:
    """A review known only by its date: no progress notes, and the neutral decision to
    continue the placement."""
    return Review(
        placement=placement,
        review_date=day,
        progress=[],
        notes=REVIEW_NOTE,
        decision=ReviewDecision.CONTINUE,
        created_by_id=by_id,
    )
