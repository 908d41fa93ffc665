"""Reports on the riskiest AP: placements off the framework, and placements beyond the DfE's
limits for unregistered provision, measured by how long each has actually run."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from sqlalchemy import Select, func, select

from apregister.access import visible
from apregister.exports import (
    Joined,
    coded_column,
    date_column,
    label_column,
    number_column,
    placement_rows,
    text_column,
)
from apregister.models import LaSettings, Placement, User
from apregister.placements import listing, queries, rules
from apregister.settings import unregistered_limits


def first_placements(scoped: Select, order: tuple, limit: int | None) -> Select:
    """`scoped` (an access-scoped, filtered select of placements) in `order`; given `limit`,
    only the first `limit` placements, found before anything is joined to them: joined
    first, PostgreSQL read every pupil to join them to all 3,800 off-framework placements
    before keeping 201."""
    if limit is None:
        return scoped.order_by(*order)
    first = scoped.with_only_columns(Placement.id).order_by(*order).limit(limit)
    return select(Placement).where(Placement.id.in_(first)).order_by(*order)


# the first columns of every report of placements: which placement, whose, from where, where
PLACEMENT_WHO = (
    number_column("Placement", Placement.id),
    text_column("Pupil", Joined.pupil_name),
    text_column("School", func.coalesce(Joined.school.c.name, "LA (no school place)")),
    text_column("Provider", Joined.provider_organisation.c.name),
)
OFF_FRAMEWORK_COLUMNS = (
    *PLACEMENT_WHO,
    label_column("Provider registration", Joined.provider.c.registration_type),
    label_column("Framework status when placed", Placement.off_framework_status),
    text_column("Commissioner's reason", Placement.off_framework_reason),
    date_column("Start", Placement.start_date),
    date_column("Planned end", Placement.planned_end),
    date_column("Ended", Placement.actual_end),
    date_column("LA reviewed on", Placement.off_framework_reviewed_on),
)
OFF_FRAMEWORK_HEADER = tuple(column.heading for column in OFF_FRAMEWORK_COLUMNS)


def off_framework_placements(
    user: User, today: date, settings: LaSettings, limit: int | None
) -> Select:
    """Every placement made off the framework and not cancelled, those still to review first
    (the first `limit` of them, if given)."""
    return first_placements(
        visible(Placement, user).where(
            queries.off_framework_clause(), Placement.cancelled_on.is_(None)
        ),
        (
            Placement.off_framework_reviewed_on.is_not(None),
            Placement.start_date.desc(),
            Placement.id,
        ),
        limit,
    )


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


# what the report reads of each placement: its rows are worked out from these, without
# building a placement (with its pupil, school and provider) for each
_UNREGISTERED_READ = (
    *PLACEMENT_WHO,
    label_column("Type of setting", Joined.provider.c.registration_type),
    date_column("Start", Placement.start_date),
    date_column("Planned end", Placement.planned_end),
    date_column("Ended", Placement.actual_end),
    number_column("Sessions", Placement.session_mask),
    coded_column("Full time", Placement.full_time, bool),
)


def unregistered_rows(user: User, today: date, settings: LaSettings) -> Iterable[Sequence[Any]]:
    """Every planned or running placement beyond the unregistered limits today (the
    placements monitor.unregistered_breaches finds, in its order), read as they are wanted."""
    limits = unregistered_limits(settings)
    # the list's filter: the same placements, tested inside the running placements' index
    breaches = listing.flag_clauses(settings, today, {}, {"unregistered_breaches"})
    stmt = (
        visible(Placement, user)
        .where(breaches["unregistered_breaches"])
        .order_by(Placement.start_date, Placement.id)
    )
    for row in placement_rows(stmt, _UNREGISTERED_READ):
        number, pupil, school, provider, kind, start, planned_end, actual_end, mask, full = row
        last = rules.run_end(planned_end, actual_end, today)
        yield [
            number,
            pupil,
            school,
            provider,
            kind,
            start,
            planned_end,
            rules.weeks_between(start, last),
            "Yes" if full else "No",
            rules.sessions_per_week(mask),
            rules.days_per_week(mask),
            rules.unregistered_breach(
                start=start,
                planned_end=planned_end,
                actual_end=actual_end,
                session_mask=mask,
                full_time=full,
                today=today,
                limits=limits,
            ),
        ]
