"""The worker's absence cut-off job: every session in a running placement's pattern today that
the provider has not recorded by the LA's cut-off is put to the home school.

It works in bulk, whatever the number of placements: one query finds the sessions, one insert
writes their cases, and each school gets one message a session listing how many of its
placements are waiting (a school with forty placements is not sent forty emails)."""

from __future__ import annotations

from collections import Counter
from datetime import datetime

from sqlalchemy import String, cast, exists, insert, literal, select

from apregister.absences import rules
from apregister.attendance.queries import in_dates_clause
from apregister.extensions import db
from apregister.messages.absences import sessions_not_recorded
from apregister.models import (
    AbsenceCase,
    AbsenceTrigger,
    Attendance,
    AuditAction,
    AuditEvent,
    Placement,
    Session,
)
from apregister.models.base import UTCDateTime
from apregister.placements.rules import HALVES, slot_bit
from apregister.settings import current_settings


def raise_cutoff_cases(now: datetime) -> int:
    """Raise a case for each session past its cut-off and still unrecorded; returns how many.
    Run twice, it raises nothing new (a session has one case)."""
    settings = current_settings()
    today, sessions = rules.sessions_past_cutoff(now, settings.am_cutoff, settings.pm_cutoff)
    raised = 0
    for session in sessions:
        bit = slot_bit(today.weekday(), HALVES.index(session.value))
        due = db.session.execute(
            select(Placement.id, Placement.school_id)
            .where(
                in_dates_clause(today, today, today),
                Placement.session_mask.bitwise_and(bit) != 0,
                ~exists().where(
                    Attendance.placement_id == Placement.id,
                    Attendance.date == today,
                    Attendance.session == Session(session),
                ),
                ~exists().where(
                    AbsenceCase.placement_id == Placement.id,
                    AbsenceCase.date == today,
                    AbsenceCase.session == Session(session),
                ),
            )
            .order_by(Placement.id)
        ).all()
        if not due:
            continue
        db.session.execute(
            insert(AbsenceCase),
            [
                {
                    "placement_id": placement_id,
                    "date": today,
                    "session": Session(session),
                    "trigger": AbsenceTrigger.NOT_RECORDED,
                    "raised_at": now,
                    "created_at": now,
                    "updated_at": now,
                }
                for placement_id, _ in due
            ],
        )
        _audit_raised(today, Session(session), now)
        raised += len(due)
        schools = Counter(school_id for _, school_id in due if school_id is not None)
        sessions_not_recorded(schools, today, Session(session), settings)
    db.session.flush()
    return raised


def _audit_raised(day, session: Session, now: datetime) -> None:
    """One audit event for each case just raised (the bulk insert bypasses the ORM's hook)."""
    db.session.execute(
        insert(AuditEvent).from_select(
            ["occurred_at", "action", "table_name", "record_id", "detail"],
            select(
                literal(now, UTCDateTime()),
                literal(AuditAction.INSERT.value),
                literal(AbsenceCase.__tablename__),
                cast(AbsenceCase.id, String),
                literal("Raised by the cut-off: the session was not recorded in time"),
            ).where(
                AbsenceCase.date == day,
                AbsenceCase.session == session,
                AbsenceCase.trigger == AbsenceTrigger.NOT_RECORDED,
                AbsenceCase.raised_at == now,
            ),
        )
    )
