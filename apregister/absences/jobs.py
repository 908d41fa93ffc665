"""The worker's absence cut-off job: every session in a running placement's pattern today that
the provider has not recorded by the LA's cut-off is put to the home school."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import exists, select

from apregister.absences import rules
from apregister.absences.operations import raise_case
from apregister.attendance.queries import in_dates_clause
from apregister.extensions import db
from apregister.models import AbsenceCase, AbsenceTrigger, Attendance, Placement, Session
from apregister.placements.rules import HALVES, slot_bit
from apregister.settings import current_settings


def raise_cutoff_cases(now: datetime) -> int:
    """Raise a case for each session past its cut-off and still unrecorded; returns how many.
    Two queries to find them (one a session), however many placements there are."""
    settings = current_settings()
    today, sessions = rules.sessions_past_cutoff(now, settings.am_cutoff, settings.pm_cutoff)
    raised = 0
    for session in sessions:
        bit = slot_bit(today.weekday(), HALVES.index(session.value))
        due = db.session.scalars(
            select(Placement)
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
        for placement in due:
            if raise_case(
                placement, today, session, AbsenceTrigger.NOT_RECORDED, settings=settings, now=now
            ):
                raised += 1
    return raised
