"""Absence cases as lists and counts: open for the school, late or escalated for the LA."""

from __future__ import annotations

from datetime import date

from sqlalchemy import ColumnElement, and_

from apregister.absences import rules
from apregister.models import AbsenceCase

STATUSES = {
    "open": "To follow up",
    "late": "Not followed up by the end of the next school day",
    "escalated": "Escalations still open",
    "done": "Followed up or settled",
}


def waiting() -> ColumnElement[bool]:
    return and_(AbsenceCase.followed_up_at.is_(None), AbsenceCase.settled_note.is_(None))


def status_clause(status: str, today: date) -> ColumnElement[bool]:
    if status == "late":
        return and_(waiting(), AbsenceCase.date <= rules.latest_late_day(today))
    if status == "escalated":
        return and_(
            AbsenceCase.escalation.is_not(None), AbsenceCase.escalation_closed_at.is_(None)
        )
    if status == "done":
        return ~waiting()
    return waiting()
