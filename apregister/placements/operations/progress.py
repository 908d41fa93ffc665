"""A placement's life once commissioned: reviews, extensions, attendance, ending and
cancelling."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import select, update

from apregister.extensions import db
from apregister.messages import events
from apregister.models import (
    AbsenceTrigger,
    Attendance,
    AttendanceCode,
    ExtensionRequest,
    ExtensionStatus,
    Placement,
    PlacementOutcome,
    Review,
    ReviewDecision,
    Session,
    User,
)
from apregister.models.base import utcnow
from apregister.placements.operations.common import PlacementRefused, lock_pupil


def require_open(placement: Placement, *, allow_ended: bool = False) -> None:
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
    require_open(placement)
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
    events.extension_requested(request)
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
    require_open(request.placement)
    status = ExtensionStatus.APPROVED if approve else ExtensionStatus.DECLINED
    # Only one decision wins, even when two officers press the button at the same moment: take
    # the request's row lock while it is still pending (this statement changes no audited
    # column), then make the decision through the ORM so that the audit log records it.
    locked = db.session.execute(
        update(ExtensionRequest)
        .where(
            ExtensionRequest.id == request.id,
            ExtensionRequest.status == ExtensionStatus.PENDING,
        )
        .values(updated_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    if locked.rowcount != 1:
        raise PlacementRefused("This request has already been decided", None)
    db.session.refresh(request)
    request.status = status
    request.decided_by_id = by.id
    request.decided_on = today
    request.decision_reason = reason.strip()
    request.decision_warnings = "\n".join(warnings) or None
    if approve:
        request.placement.planned_end = request.new_end
    db.session.flush()
    events.extension_decided(request)
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
    require_open(placement, allow_ended=True)
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
    require_open(placement)
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
    require_open(placement)
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
    """Set each session's code (None clears it); returns how many sessions changed. An
    absence the provider cannot explain is put to the home school at once; a session the
    school was asked about only because it was not recorded is settled by recording it."""
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
        else:
            continue
        if code is not None:
            _follow_absence(placement, day, session, code)
    db.session.flush()
    return changed


def _follow_absence(placement: Placement, day: date, session: Session, code: AttendanceCode):
    from apregister.absences import operations as absences
    from apregister.settings import current_settings

    if code is AttendanceCode.UNEXPLAINED:
        db.session.flush()
        absences.raise_case(
            placement,
            day,
            session,
            AbsenceTrigger.UNEXPLAINED,
            settings=current_settings(),
            now=utcnow(),
        )
    else:
        absences.settle_by_record(placement.id, day, session, code)
