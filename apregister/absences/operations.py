"""The only code that changes absence cases. Flush, never commit."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select

from apregister.absences import rules
from apregister.extensions import db
from apregister.messages.absences import repeated_absence, unexplained_absence
from apregister.models import (
    AbsenceCase,
    AbsenceTrigger,
    AttendanceCode,
    Escalation,
    LaSettings,
    Placement,
    Session,
    User,
)


class CaseRefused(Exception):
    """The change cannot be made; the message says why."""


def raise_case(
    placement: Placement,
    day: date,
    session: Session,
    trigger: AbsenceTrigger,
    *,
    settings: LaSettings,
    now: datetime,
    notify: bool = True,
) -> AbsenceCase | None:
    """Put a session to the home school (once: a session has one case), and tell it."""
    found = db.session.scalars(
        select(AbsenceCase).where(
            AbsenceCase.placement_id == placement.id,
            AbsenceCase.date == day,
            AbsenceCase.session == session,
        )
    ).first()
    if found is not None:
        return None
    case = AbsenceCase(
        placement_id=placement.id, date=day, session=session, trigger=trigger, raised_at=now
    )
    db.session.add(case)
    db.session.flush()
    if notify and placement.school_id is not None:
        unexplained_absence(placement, case)
        check_pattern(placement, settings=settings, today=day)
    return case


def check_pattern(placement: Placement, *, settings: LaSettings, today: date) -> bool:
    """A repeated pattern of absence (a setting) prompts an early review: tell the school."""
    since = rules.school_days_back(today, settings.absence_pattern_days)
    days = db.session.scalars(
        select(AbsenceCase.date).where(
            AbsenceCase.placement_id == placement.id, AbsenceCase.date >= since
        )
    ).all()
    count, within = settings.absence_pattern_count, settings.absence_pattern_days
    if not rules.repeated(days, today, count, within):
        return False
    repeated_absence(placement, today, len(days), settings.absence_pattern_days)
    return True


def settle_by_record(placement_id: int, day: date, session: Session, code: AttendanceCode):
    """The provider recorded the session after all: a case waiting only for the record is
    settled. An absence it still cannot explain stays with the school."""
    if code is AttendanceCode.UNEXPLAINED:
        return
    case = db.session.scalars(
        select(AbsenceCase).where(
            AbsenceCase.placement_id == placement_id,
            AbsenceCase.date == day,
            AbsenceCase.session == session,
            AbsenceCase.followed_up_at.is_(None),
            AbsenceCase.settled_note.is_(None),
        )
    ).first()
    if case is not None:
        case.settled_note = f"The provider recorded the session: {code.label.lower()}"


def follow_up(
    case: AbsenceCase,
    *,
    contacted_whom: str,
    contacted_at: datetime,
    safe_and_well: bool,
    reason: str,
    dfe_code: str,
    escalation: Escalation | None,
    escalation_note: str | None,
    now: datetime,
    by: User,
) -> AbsenceCase:
    """The school's follow-up: contact, safe and well, reason and code, and any escalation."""
    if case.followed_up_at is not None:
        raise CaseRefused("This absence has already been followed up")
    case.contacted_whom = contacted_whom.strip()
    case.contacted_at = contacted_at
    case.safe_and_well = safe_and_well
    case.reason = reason.strip()
    case.dfe_code = dfe_code
    case.escalation = escalation
    case.escalation_note = escalation_note.strip() if escalation_note else None
    case.followed_up_at = now
    case.followed_up_by_id = by.id
    db.session.flush()
    return case


def close_escalation(case: AbsenceCase, *, note: str, now: datetime) -> AbsenceCase:
    if case.escalation is None or case.escalation_closed_at is not None:
        raise CaseRefused("There is no open escalation on this absence")
    case.escalation_closed_at = now
    case.escalation_closed_note = note.strip()
    db.session.flush()
    return case
