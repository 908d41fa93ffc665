"""Reports on the riskiest AP: placements off the framework, and placements beyond the DfE's
limits for unregistered provision, measured by how long each has actually run."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from sqlalchemy import func

from apregister.access import visible
from apregister.exports import (
    Joined,
    SelectedRows,
    date_column,
    label_column,
    number_column,
    placement_rows,
    text_column,
)
from apregister.models import LaSettings, Placement, User
from apregister.placements import monitor, queries, rules
from apregister.settings import unregistered_limits

OFF_FRAMEWORK_COLUMNS = (
    number_column("Placement", Placement.id),
    text_column("Pupil", Joined.pupil_name),
    text_column("School", func.coalesce(Joined.school.c.name, "LA (no school place)")),
    text_column("Provider", Joined.provider_organisation.c.name),
    label_column("Provider registration", Joined.provider.c.registration_type),
    label_column("Framework status when placed", Placement.off_framework_status),
    text_column("Commissioner's reason", Placement.off_framework_reason),
    date_column("Start", Placement.start_date),
    date_column("Planned end", Placement.planned_end),
    date_column("Ended", Placement.actual_end),
    date_column("LA reviewed on", Placement.off_framework_reviewed_on),
)
OFF_FRAMEWORK_HEADER = tuple(column.heading for column in OFF_FRAMEWORK_COLUMNS)


def off_framework_rows(user: User, today: date, settings: LaSettings) -> Sequence[SelectedRows]:
    """Every placement made off the framework and not cancelled, those still to review first."""
    stmt = (
        visible(Placement, user)
        .where(queries.off_framework_clause(), Placement.cancelled_on.is_(None))
        .order_by(
            Placement.off_framework_reviewed_on.is_not(None),
            Placement.start_date.desc(),
            Placement.id,
        )
    )
    return [placement_rows(stmt, OFF_FRAMEWORK_COLUMNS)]


UNREGISTERED_HEADER = (
    "Placement",
    "Pupil",
    "School",
    "Provider",
    "Type of setting",
    "Start",
    "Planned end",
    "Weeks run or planned",
    "Full time",
    "Sessions each week",
    "Days each week",
    "Why",
)


def unregistered_rows(user: User, today: date, settings: LaSettings) -> Iterable[Sequence[Any]]:
    """Every planned or running placement beyond the unregistered limits today."""
    limits = unregistered_limits(settings)
    for placement in monitor.unregistered_breaches(visible(Placement, user), settings, today):
        last = rules.run_end(placement.planned_end, placement.actual_end, today)
        yield [
            placement.id,
            placement.pupil.name,
            placement.school.name if placement.school else "LA (no school place)",
            placement.provider.name,
            placement.provider.registration_type,
            placement.start_date,
            placement.planned_end,
            rules.weeks_between(placement.start_date, last),
            "Yes" if placement.full_time else "No",
            rules.sessions_per_week(placement.session_mask),
            rules.days_per_week(placement.session_mask),
            rules.unregistered_breach(
                start=placement.start_date,
                planned_end=placement.planned_end,
                actual_end=placement.actual_end,
                session_mask=placement.session_mask,
                full_time=placement.full_time,
                today=today,
                limits=limits,
            ),
        ]

