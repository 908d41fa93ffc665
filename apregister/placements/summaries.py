"""A placement as lists and home pages show it: status, flags, next review, year group."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Select

from apregister.extensions import db
from apregister.models import LaSettings, Placement, PlacementStatus
from apregister.placements import queries, rules
from apregister.pupils.rules import year_group, year_group_label
from apregister.settings import unregistered_limits


def with_flags(stmt: Select) -> Select:
    """Each placement with the facts its flags need, in the same query."""
    return stmt.add_columns(
        queries.last_review_date().label("last_review"),
        queries.extension_pending_clause().label("extension_pending"),
    )


def row_view(
    placement: Placement, last_review: date | None, pending: bool, today: date, settings: LaSettings
) -> dict:
    status = placement.status_on(today)
    flags = []
    if status is PlacementStatus.ACTIVE and rules.past_weeks(
        placement.start_date, today, settings.placement_weeks
    ):
        flags.append(f"Past {settings.placement_weeks} weeks")
    if rules.review_overdue(
        status, placement.start_date, last_review, settings.review_interval_days, today
    ):
        flags.append("Review overdue")
    if pending:
        flags.append("Extension waiting for a decision")
    if not placement.provider.is_registered and status in (
        PlacementStatus.ACTIVE,
        PlacementStatus.PLANNED,
    ):
        problem = rules.unregistered_flag(
            start=placement.start_date,
            planned_end=placement.planned_end,
            session_mask=placement.session_mask,
            limits=unregistered_limits(settings),
        )
        if problem:
            flags.append("Unregistered provider: too long and too many sessions")
    return {
        "placement": placement,
        "status": status,
        "flags": flags,
        "next_review": rules.next_review_due(
            placement.start_date, last_review, settings.review_interval_days
        )
        if status is PlacementStatus.ACTIVE
        else None,
        "year_group": year_group_label(year_group(placement.pupil.date_of_birth, today)),
    }


def rows_for(stmt: Select, today: date, settings: LaSettings) -> list[dict]:
    """Every placement of an (ordered, access-scoped) select, summarised, in one query."""
    return [
        row_view(placement, last, pending, today, settings)
        for placement, last, pending in db.session.execute(with_flags(stmt)).all()
    ]
