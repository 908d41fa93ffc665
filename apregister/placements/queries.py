"""Placement filters as SQL, matching placements/rules.py, so lists and counts stay in the
database however many rows there are."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import ColumnElement, and_, exists, func, or_, select

from apregister.models import (
    ExtensionRequest,
    ExtensionStatus,
    Placement,
    PlacementStatus,
    Review,
)


def status_clause(status: PlacementStatus, today: date) -> ColumnElement[bool]:
    live = Placement.cancelled_on.is_(None)
    not_ended = or_(Placement.actual_end.is_(None), Placement.actual_end > today)
    if status is PlacementStatus.CANCELLED:
        return Placement.cancelled_on.is_not(None)
    if status is PlacementStatus.ENDED:
        return and_(live, Placement.actual_end <= today)
    if status is PlacementStatus.PLANNED:
        return and_(live, not_ended, Placement.start_date > today)
    return and_(live, not_ended, Placement.start_date <= today)


def last_review_date():
    return (
        select(func.max(Review.review_date))
        .where(Review.placement_id == Placement.id)
        .correlate(Placement)
        .scalar_subquery()
    )


def past_weeks_clause(weeks: int, today: date) -> ColumnElement[bool]:
    """Active and started more than `weeks` weeks ago."""
    return and_(
        status_clause(PlacementStatus.ACTIVE, today),
        Placement.start_date < today - timedelta(weeks=weeks),
    )


def review_overdue_clause(interval_days: int, today: date) -> ColumnElement[bool]:
    """Active, and no review (or start) within the last `interval_days` days."""
    return and_(
        status_clause(PlacementStatus.ACTIVE, today),
        func.coalesce(last_review_date(), Placement.start_date)
        < today - timedelta(days=interval_days),
    )


def extension_pending_clause() -> ColumnElement[bool]:
    return exists().where(
        ExtensionRequest.placement_id == Placement.id,
        ExtensionRequest.status == ExtensionStatus.PENDING,
    )


def current_clause(today: date) -> ColumnElement[bool]:
    """Planned or active: the placements a provider's status change affects."""
    return or_(
        status_clause(PlacementStatus.ACTIVE, today),
        status_clause(PlacementStatus.PLANNED, today),
    )
