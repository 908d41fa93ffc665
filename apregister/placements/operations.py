"""The only code that changes placements. Flush, never commit; the caller commits once."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import select, update

from apregister.extensions import db
from apregister.models import (
    LA_ROLES,
    Attendance,
    AttendanceCode,
    ExtensionRequest,
    ExtensionStatus,
    LaSettings,
    OffFrameworkKind,
    OffFrameworkPolicy,
    OrganisationKind,
    Placement,
    PlacementOutcome,
    PlacementReason,
    Provider,
    Pupil,
    Review,
    ReviewDecision,
    Session,
    User,
)
from apregister.placements import rules


class PlacementRefused(Exception):
    """The change breaks a rule; `field` names the form field the message belongs to."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


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


def lock_pupil(pupil: Pupil) -> None:
    """Take the pupil's row lock first, so two placements for one pupil are added one at a time
    (a row lock on PostgreSQL; SQLite's single writer lock is taken by the same write)."""
    db.session.execute(
        update(Pupil)
        .where(Pupil.id == pupil.id)
        .values(placement_lock=Pupil.placement_lock + 1)
        .execution_options(synchronize_session=False)
    )


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


def _clashes(
    pupil: Pupil, details: PlacementDetails, end: date, except_id: int | None, today: date
):
    stmt = select(Placement).where(
        Placement.pupil_id == pupil.id,
        Placement.cancelled_on.is_(None),
        Placement.start_date <= end,
    )
    if except_id is not None:
        stmt = stmt.where(Placement.id != except_id)
    for other in db.session.scalars(stmt):
        # an overrunning placement runs until today at least
        other_end = rules.run_end(other.planned_end, other.actual_end, today)
        if not rules.overlaps(details.start_date, end, other.start_date, other_end):
            continue
        if other.provider_id == details.provider_id:
            raise PlacementRefused(
                f"{pupil.name} already has a placement at {other.provider.name} for these "
                "dates. Change the dates or the existing placement",
                "start_date",
            )
        if other.session_mask & details.session_mask:
            raise PlacementRefused(
                f"{pupil.name} is already placed at {other.provider.name} for some of these "
                "sessions. Choose sessions that do not overlap, or change the dates",
                "sessions",
            )


def _agreed(text: str | None) -> str | None:
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
    if kind is not None and not _agreed(details.off_framework_reason):
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
    if warnings and not _agreed(details.warnings_reason):
        raise PlacementRefused(
            "Enter why the placement should go ahead despite the warnings", "warnings_reason"
        )
    standard_end = rules.default_planned_end(details.start_date, settings.placement_weeks)
    end = details.planned_end or standard_end
    if end <= details.start_date:
        raise PlacementRefused("The planned end date must be after the start date", "planned_end")
    _clashes(pupil, details, end, except_id=None, today=today)
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
        off_framework_reason=_agreed(details.off_framework_reason) if kind else None,
        warnings="\n".join(warnings) or None,
        warnings_reason=_agreed(details.warnings_reason) if warnings else None,
    )
    db.session.add(placement)
    if longer:
        agreed_now = by.role in LA_ROLES
        db.session.add(
            ExtensionRequest(
                placement=placement,
                requested_on=today,
                new_end=end,
                reason=_agreed(details.warnings_reason) or "Planned for longer from the start",
                requested_by_id=by.id,
                status=ExtensionStatus.APPROVED if agreed_now else ExtensionStatus.PENDING,
                decided_by_id=by.id if agreed_now else None,
                decided_on=today if agreed_now else None,
                decision_reason=_agreed(details.warnings_reason) if agreed_now else None,
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
    placement.off_framework_review_note = _agreed(note)
    db.session.flush()
    return placement


def _require_open(placement: Placement, *, allow_ended: bool = False) -> None:
    if placement.cancelled_on is not None:
        raise PlacementRefused("This placement was cancelled, so it cannot be changed", None)
    if placement.actual_end is not None and not allow_ended:
        raise PlacementRefused("This placement has ended, so it cannot be changed", None)


def _decline_pending(placement: Placement, why: str) -> None:
    for request in placement.extension_requests:
        if request.status is ExtensionStatus.PENDING:
            request.status = ExtensionStatus.DECLINED
            request.decision_reason = why


def request_extension(
    placement: Placement, *, new_end: date, reason: str, today: date, by: User
) -> ExtensionRequest:
    _require_open(placement)
    lock_pupil(
        placement.pupil
    )  # two requests sent at once queue here, and the second sees the first
    pending = db.session.scalar(
        select(ExtensionRequest.id).where(
            ExtensionRequest.placement_id == placement.id,
            ExtensionRequest.status == ExtensionStatus.PENDING,
        )
    )
    if pending is not None:
        raise PlacementRefused("An extension request is already waiting for a decision", None)
    if new_end <= placement.planned_end:
        raise PlacementRefused(
            "The new end date must be after the current planned end date", "new_end"
        )
    request = ExtensionRequest(
        placement=placement,
        requested_on=today,
        new_end=new_end,
        reason=reason.strip(),
        requested_by_id=by.id,
    )
    db.session.add(request)
    db.session.flush()
    return request


def decide_extension(
    request: ExtensionRequest,
    *,
    approve: bool,
    reason: str,
    today: date,
    by: User,
    warnings: list[str] = (),  # type: ignore[assignment]
) -> ExtensionRequest:
    """Approve (the planned end moves) or decline (it stays) a pending request, keeping the
    warnings the decision page showed with the decision's reason."""
    _require_open(request.placement)
    status = ExtensionStatus.APPROVED if approve else ExtensionStatus.DECLINED
    # Only one decision wins, even when two officers press the button at the same moment.
    decided = db.session.execute(
        update(ExtensionRequest)
        .where(
            ExtensionRequest.id == request.id,
            ExtensionRequest.status == ExtensionStatus.PENDING,
        )
        .values(
            status=status,
            decided_by_id=by.id,
            decided_on=today,
            decision_reason=reason.strip(),
            decision_warnings="\n".join(warnings) or None,
        )
        .execution_options(synchronize_session=False)
    )
    if decided.rowcount != 1:
        raise PlacementRefused("This request has already been decided", None)
    db.session.refresh(request)
    if approve:
        request.placement.planned_end = request.new_end
    db.session.flush()
    return request


def record_review(
    placement: Placement,
    *,
    review_date: date,
    progress: list[dict[str, str]],
    notes: str | None,
    decision: ReviewDecision,
    attendance_rate: Decimal | None,
    by: User,
) -> Review:
    _require_open(placement, allow_ended=True)
    if review_date < placement.start_date:
        raise PlacementRefused(
            "The review date must be on or after the placement's start date", "review_date"
        )
    review = Review(
        placement=placement,
        review_date=review_date,
        progress=progress,
        notes=notes,
        decision=decision,
        attendance_rate=attendance_rate,
        created_by_id=by.id,
    )
    db.session.add(review)
    db.session.flush()
    return review


def end_placement(
    placement: Placement, *, actual_end: date, outcome: PlacementOutcome, notes: str | None
) -> Placement:
    _require_open(placement)
    if actual_end < placement.start_date:
        raise PlacementRefused(
            "The end date must be on or after the placement's start date", "actual_end"
        )
    placement.actual_end = actual_end
    placement.outcome = outcome
    placement.outcome_notes = notes
    _decline_pending(placement, "The placement ended")
    db.session.flush()
    return placement


def cancel_placement(placement: Placement, *, reason: str, today: date) -> Placement:
    _require_open(placement)
    if placement.start_date <= today:
        raise PlacementRefused(
            "A placement that has started cannot be cancelled. End it with an outcome instead",
            None,
        )
    placement.cancelled_on = today
    placement.cancel_reason = reason.strip()
    _decline_pending(placement, "The placement was cancelled")
    db.session.flush()
    return placement


def record_attendance(
    placement: Placement,
    marks: dict[tuple[date, Session], AttendanceCode | None],
    *,
    by: User,
) -> int:
    """Set each session's code (None clears it); returns how many sessions changed."""
    existing = {
        (row.date, row.session): row
        for row in db.session.scalars(
            select(Attendance).where(
                Attendance.placement_id == placement.id,
                Attendance.date.in_({day for day, _ in marks}),
            )
        )
    }
    changed = 0
    for (day, session), code in marks.items():
        row = existing.get((day, session))
        if code is None:
            if row is not None:
                db.session.delete(row)
                changed += 1
        elif row is None:
            db.session.add(
                Attendance(
                    placement_id=placement.id,
                    date=day,
                    session=session,
                    code=code,
                    recorded_by_id=by.id,
                )
            )
            changed += 1
        elif row.code is not code:
            row.code = code
            row.recorded_by_id = by.id
            changed += 1
    db.session.flush()
    return changed
