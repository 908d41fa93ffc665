"""A placement as lists and home pages show it: status, flags, next review, year group."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Select

from apregister.extensions import db
from apregister.models import LaSettings, Placement, PlacementStatus
from apregister.placements import queries, rules
from apregister.placements.queries import LAPSED
from apregister.pupils.rules import year_group, year_group_label
from apregister.settings import unregistered_limits

OVERRUNNING = "Overrunning: past its planned end"


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
    if rules.overrunning(
        start=placement.start_date,
        planned_end=placement.planned_end,
        actual_end=placement.actual_end,
        cancelled_on=placement.cancelled_on,
        today=today,
    ):
        flags.append(OVERRUNNING)
    current = status in (PlacementStatus.ACTIVE, PlacementStatus.PLANNED)
    if (
        current
        and not placement.provider.is_registered
        and rules.unregistered_breach(
            start=placement.start_date,
            planned_end=placement.planned_end,
            actual_end=placement.actual_end,
            session_mask=placement.session_mask,
            full_time=placement.full_time,
            today=today,
            limits=unregistered_limits(settings),
        )
    ):
        flags.append("Beyond the unregistered limits")
    if placement.off_framework and placement.cancelled_on is None:
        flags.append(
            "Off framework"
            if placement.off_framework_reviewed_on
            else "Off framework: LA to review"
        )
    if current and placement.provider.framework_status in LAPSED:
        flags.append(f"Provider {placement.provider.framework_status.label.lower()}")
    return {
        "placement": placement,
        "status": status,
        "flags": flags,
        # a provider keeps an overrunning pupil on its register, and needs to know why
        "provider_flags": [flag for flag in flags if flag == OVERRUNNING],
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
