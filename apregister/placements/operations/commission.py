"""Commissioning a placement: at any provider on the register, with the LA's policy, the
check page's answers and warnings kept; and the LA's review of one made off the framework."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import select

from apregister.extensions import db
from apregister.models import (
    LA_ROLES,
    ExtensionRequest,
    ExtensionStatus,
    LaSettings,
    OffFrameworkKind,
    OffFrameworkPolicy,
    OrganisationKind,
    Placement,
    PlacementReason,
    Provider,
    Pupil,
    User,
)
from apregister.placements import rules
from apregister.placements.operations.common import PlacementRefused, lock_pupil


@dataclass
class PlacementDetails:
    provider_id: int
    reason: PlacementReason
    start_date: date
    planned_end: date | None
    session_mask: int
    hours_per_week: Decimal
    full_time: bool
    cost_per_week: Decimal | None
    objectives: str
    reintegration_plan: str
    # asked on the check page: why a provider that is not approved, that the commissioner
    # knows it is suspended or removed, and why go on despite the warnings
    off_framework_reason: str | None = None
    confirmed_status: bool = False
    warnings_reason: str | None = None


def policy_refusal(provider: Provider, settings: LaSettings) -> str | None:
    """Why the LA's settings refuse a placement at `provider`, or None. By default every
    provider on the register may be commissioned: one that is not approved is marked off
    framework and put in front of the LA."""
    kind = provider.framework_status.off_framework_kind
    if kind is None or settings.off_framework_policy(kind) is not OffFrameworkPolicy.REFUSE:
        return None
    status = provider.framework_status.label.lower()
    return (
        f"{provider.name} is {status}. The LA does not allow placements at "
        f"{kind.label[0].lower()}{kind.label[1:]}: choose another provider"
    )


def clashes(pupil: Pupil, details: PlacementDetails, end: date, except_id: int | None, today: date):
    stmt = select(Placement).where(
        Placement.pupil_id == pupil.id,
        Placement.cancelled_on.is_(None),
        Placement.start_date <= end,
    )
    if except_id is not None:
        stmt = stmt.where(Placement.id != except_id)
    new = rules.Booking(details.provider_id, details.start_date, end, details.session_mask)
    for other in db.session.scalars(stmt):
        # an overrunning placement runs until today at least
        other_end = rules.run_end(other.planned_end, other.actual_end, today)
        clash = rules.double_booking(
            new, rules.Booking(other.provider_id, other.start_date, other_end, other.session_mask)
        )
        if clash == "start_date":
            raise PlacementRefused(
                f"{pupil.name} already has a placement at {other.provider.name} for these "
                "dates. Change the dates or the existing placement",
                "start_date",
            )
        if clash == "sessions":
            raise PlacementRefused(
                f"{pupil.name} is already placed at {other.provider.name} for some of these "
                "sessions. Choose sessions that do not overlap, or change the dates",
                "sessions",
            )


def agreed_reason(text: str | None) -> str | None:
    return text.strip() if text and text.strip() else None


def add_placement(
    pupil: Pupil,
    details: PlacementDetails,
    *,
    commissioner_id: int,
    submission_key: str | None,
    settings: LaSettings,
    today: date,
    by: User,
    warnings: list[str] = (),  # type: ignore[assignment]
) -> Placement:
    """Record a placement after every rule that can refuse it has been checked. At a provider
    that is not approved it is marked off framework, with the commissioner's reason. Planned
    past the 12-week rule, it is recorded for the standard length with an extension request
    for the rest: pending for the LA to decide, or agreed at once when the LA commissions it.
    The warnings the check page showed are kept with the reason for going on."""
    lock_pupil(pupil)
    if submission_key:
        existing = db.session.scalars(
            select(Placement).where(Placement.submission_key == submission_key)
        ).first()
        if existing is not None:
            return existing  # the same form sent twice
    provider = db.session.get(Provider, details.provider_id)
    if provider is None:
        raise PlacementRefused("Select a provider from the list", "provider_id")
    refusal = policy_refusal(provider, settings)
    if refusal:
        raise PlacementRefused(refusal, "provider_id")
    kind = provider.framework_status.off_framework_kind
    if kind is not None and not agreed_reason(details.off_framework_reason):
        raise PlacementRefused(
            f"Enter why you are placing the pupil at {provider.name}, which is not approved "
            "on the framework",
            "off_framework_reason",
        )
    if kind in (OffFrameworkKind.SUSPENDED, OffFrameworkKind.REMOVED) and not (
        details.confirmed_status
    ):
        raise PlacementRefused(
            f"Confirm that you know {provider.name} is "
            f"{provider.framework_status.label.lower()} and still want to place the pupil there",
            "confirmed_status",
        )
    if warnings and not agreed_reason(details.warnings_reason):
        raise PlacementRefused(
            "Enter why the placement should go ahead despite the warnings", "warnings_reason"
        )
    standard_end = rules.default_planned_end(details.start_date, settings.placement_weeks)
    end = details.planned_end or standard_end
    if end <= details.start_date:
        raise PlacementRefused("The planned end date must be after the start date", "planned_end")
    clashes(pupil, details, end, except_id=None, today=today)
    longer = rules.planned_beyond(details.start_date, end, settings.placement_weeks)
    placement = Placement(
        submission_key=submission_key,
        pupil=pupil,
        school_id=pupil.owner_id if pupil.owner.kind is OrganisationKind.SCHOOL else None,
        commissioner_id=commissioner_id,
        provider_id=provider.id,
        reason=details.reason,
        start_date=details.start_date,
        planned_end=end if not longer or by.role in LA_ROLES else standard_end,
        session_mask=details.session_mask,
        hours_per_week=details.hours_per_week,
        full_time=details.full_time,
        cost_per_week=details.cost_per_week,
        objectives=details.objectives.strip(),
        reintegration_plan=details.reintegration_plan.strip(),
        created_by_id=by.id,
        off_framework=kind is not None,
        off_framework_status=provider.framework_status if kind is not None else None,
        off_framework_reason=agreed_reason(details.off_framework_reason) if kind else None,
        warnings="\n".join(warnings) or None,
        warnings_reason=agreed_reason(details.warnings_reason) if warnings else None,
    )
    db.session.add(placement)
    if longer:
        agreed_now = by.role in LA_ROLES
        db.session.add(
            ExtensionRequest(
                placement=placement,
                requested_on=today,
                new_end=end,
                reason=agreed_reason(details.warnings_reason)
                or "Planned for longer from the start",
                requested_by_id=by.id,
                status=ExtensionStatus.APPROVED if agreed_now else ExtensionStatus.PENDING,
                decided_by_id=by.id if agreed_now else None,
                decided_on=today if agreed_now else None,
                decision_reason=agreed_reason(details.warnings_reason) if agreed_now else None,
                decision_warnings=placement.warnings if agreed_now else None,
            )
        )
    db.session.flush()
    if placement.off_framework:
        from apregister.messages.placements import off_framework_recorded

        off_framework_recorded(placement, by.organisation.name)
    return placement


def review_off_framework(placement: Placement, *, note: str | None, today: date, by: User):
    """The LA records that it has reviewed a placement made off the framework."""
    if not placement.off_framework:
        raise PlacementRefused("This placement is on the framework: there is nothing to review")
    if placement.off_framework_reviewed_on is not None:
        raise PlacementRefused("This placement has already been reviewed")
    placement.off_framework_reviewed_on = today
    placement.off_framework_reviewed_by_id = by.id
    placement.off_framework_review_note = agreed_reason(note)
    db.session.flush()
    return placement
