"""Pure rules for annual QA. `today` is always passed in."""

from __future__ import annotations

from calendar import monthrange
from dataclasses import dataclass
from datetime import date, timedelta

# DfE voluntary national standards for non-school AP (Aug 2025), then the LA's own additions.
DEFAULT_AREAS = (
    ("safeguarding", "Safeguarding and welfare"),
    ("health_safety", "Health and safety"),
    ("admissions", "Admissions, support and guidance (including session-by-session attendance)"),
    ("education", "Quality of education"),
    ("leadership", "Leadership and management"),
    ("outcomes", "Outcomes and reintegration"),
)
SAFEGUARDING = "safeguarding"


def add_months(day: date, months: int) -> date:
    """The same day `months` later, or the month's last day if it is shorter."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, monthrange(year, month)[1]))


def latest_due_by(day: date, months: int) -> date:
    """The latest date whose `add_months(date, months)` falls on or before `day`, so that
    `add_months(last, months) <= day` exactly when `last <= latest_due_by(day, months)`: the
    due-date rule turned round for SQL, 29 February and short months included (add_months
    moves every date forward, never back, so one such date bounds them all)."""
    guess = add_months(day, -months) + timedelta(days=3)
    while add_months(guess, months) > day:
        guess -= timedelta(days=1)
    return guess


def next_inspection_due(
    last_visit: date | None, approved_on: date | None, first_months: int
) -> date | None:
    """12 months after the last visit; for a provider never inspected, `first_months` after
    approval. None for a provider that was never approved."""
    if last_visit is not None:
        return add_months(last_visit, 12)
    if approved_on is not None:
        return add_months(approved_on, first_months)
    return None


def next_self_assessment_due(
    last_accepted: date | None, approved_on: date | None, first_months: int
) -> date | None:
    """12 months after the last accepted self-assessment; the first, `first_months` after
    approval."""
    if last_accepted is not None:
        return add_months(last_accepted, 12)
    if approved_on is not None:
        return add_months(approved_on, first_months)
    return None


@dataclass(frozen=True)
class DueState:
    due: date | None
    overdue: bool
    due_this_month: bool
    due_soon: bool  # within the reminder window, not yet overdue


def due_state(due: date | None, today: date, soon_days: int = 30) -> DueState:
    if due is None:
        return DueState(None, False, False, False)
    overdue = due < today
    this_month = (due.year, due.month) == (today.year, today.month) and not overdue
    soon = not overdue and (due - today).days <= soon_days
    return DueState(due, overdue, this_month, soon)


def academic_year(today: date) -> str:
    """'2026/27' for any day from 1 September 2026 to 31 August 2027."""
    start = today.year if today.month >= 9 else today.year - 1
    return f"{start}/{str(start + 1)[-2:]}"
