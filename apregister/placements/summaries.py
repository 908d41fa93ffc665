"""A placement as lists and home pages show it: status, flags, next review, year group."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import NamedTuple

from sqlalchemy import Select, bindparam, case, select

from apregister.extensions import db
from apregister.models import (
    ExtensionRequest,
    ExtensionStatus,
    FrameworkStatus,
    LaSettings,
    Organisation,
    Placement,
    PlacementStatus,
    Provider,
    Pupil,
)
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


def placement_flags(
    *,
    status: PlacementStatus,
    start: date,
    planned_end: date,
    actual_end: date | None,
    cancelled_on: date | None,
    session_mask: int,
    full_time: bool,
    off_framework: bool,
    off_framework_reviewed_on: date | None,
    registered: bool,
    framework_status: FrameworkStatus,
    last_review: date | None,
    pending: bool,
    today: date,
    settings: LaSettings,
) -> list[str]:
    """What a list shows beside a placement's status: the rules it is caught by."""
    flags = []
    if status is PlacementStatus.ACTIVE and rules.past_weeks(
        start, today, settings.placement_weeks
    ):
        flags.append(f"Past {settings.placement_weeks} weeks")
    if rules.review_overdue(status, start, last_review, settings.review_interval_days, today):
        flags.append("Review overdue")
    if pending:
        flags.append("Extension waiting for a decision")
    if rules.overrunning(
        start=start,
        planned_end=planned_end,
        actual_end=actual_end,
        cancelled_on=cancelled_on,
        today=today,
    ):
        flags.append(OVERRUNNING)
    current = status in (PlacementStatus.ACTIVE, PlacementStatus.PLANNED)
    if (
        current
        and not registered
        and rules.unregistered_breach(
            start=start,
            planned_end=planned_end,
            actual_end=actual_end,
            session_mask=session_mask,
            full_time=full_time,
            today=today,
            limits=unregistered_limits(settings),
        )
    ):
        flags.append("Beyond the unregistered limits")
    if off_framework and cancelled_on is None:
        flags.append(
            "Off framework" if off_framework_reviewed_on else "Off framework: LA to review"
        )
    if current and framework_status in LAPSED:
        flags.append(f"Provider {framework_status.label.lower()}")
    return flags


def next_review(
    status: PlacementStatus, start: date, last_review: date | None, settings: LaSettings
) -> date | None:
    """When an active placement's next review is due; None for any other."""
    if status is not PlacementStatus.ACTIVE:
        return None
    return rules.next_review_due(start, last_review, settings.review_interval_days)


def row_view(
    placement: Placement, last_review: date | None, pending: bool, today: date, settings: LaSettings
) -> dict:
    status = placement.status_on(today)
    flags = placement_flags(
        status=status,
        start=placement.start_date,
        planned_end=placement.planned_end,
        actual_end=placement.actual_end,
        cancelled_on=placement.cancelled_on,
        session_mask=placement.session_mask,
        full_time=placement.full_time,
        off_framework=placement.off_framework,
        off_framework_reviewed_on=placement.off_framework_reviewed_on,
        registered=placement.provider.is_registered,
        framework_status=placement.provider.framework_status,
        last_review=last_review,
        pending=pending,
        today=today,
        settings=settings,
    )
    return {
        "placement": placement,
        "status": status,
        "flags": flags,
        # a provider keeps an overrunning pupil on its register, and needs to know why
        "provider_flags": [flag for flag in flags if flag == OVERRUNNING],
        "next_review": next_review(status, placement.start_date, last_review, settings),
        "year_group": year_group_label(year_group(placement.pupil.date_of_birth, today)),
    }


def rows_for(stmt: Select, today: date, settings: LaSettings) -> list[dict]:
    """Every placement of an (ordered, access-scoped) select, summarised, in one query."""
    return [
        row_view(placement, last, pending, today, settings)
        for placement, last, pending in db.session.execute(with_flags(stmt)).all()
    ]


# ---- a school's current placements, read as the columns its home page shows -----------------


class CurrentPlacement(NamedTuple):
    """A row of a school's table of its current placements: only what the table shows."""

    id: int
    pupil_name: str
    provider_name: str
    planned_end: date
    status: PlacementStatus
    flags: tuple[str, ...]
    next_review: date | None
    attendance_rate: Decimal | None  # attendance.queries.rate_of


# How a page keeps the statements it builds (pages.queue.kept_statement): given a name and
# a function building the statement, the statement. By default each is built anew.
Keep = Callable[[str, Callable[[], Select]], Select]


def build_anew(name: str, build: Callable[[], Select]) -> Select:
    return build()


def current_rows(
    scope: Select, today: date, settings: LaSettings, *, keep: Keep = build_anew
) -> list[CurrentPlacement]:
    """Every current (planned or active) placement of `scope` (access-scoped, of Placement),
    soonest planned end first, with the status, flags and next review `row_view` works out
    and its attendance rate. Two queries of the columns the rows show, no ORM object: the
    placements from the ranges of ix_placements_running (the scope tested there), each with
    its pupil's name, its provider's name and status, its last review and whether an
    extension waits; then their sessions present and counted, summed for those ids alone.
    (Joined in one statement, PostgreSQL overestimates the sums' rows a hundredfold and
    spends longer compiling the query than running it.) Neither statement depends on the
    data: `keep` may keep them for the next request with the same scope and day."""
    from apregister.attendance.queries import rate_of, session_sums

    rows = db.session.execute(keep("current rows", lambda: _current_rows(scope, today))).all()
    sums = (
        {
            placement_id: (int(present), int(counted))
            for placement_id, present, counted in db.session.execute(
                keep("session sums", lambda: session_sums(bindparam("ids", expanding=True))),
                {"ids": [row[0] for row in rows]},
            )
        }
        if rows
        else {}
    )
    found = []
    for (
        placement_id,
        start,
        planned_end,
        actual_end,
        cancelled_on,
        session_mask,
        full_time,
        off_framework,
        reviewed_on,
        first_name,
        last_name,
        provider_name,
        registration_type,
        framework_status,
        last,
        pending,
    ) in rows:
        status = rules.status_of(
            start=start, actual_end=actual_end, cancelled_on=cancelled_on, today=today
        )
        flags = placement_flags(
            status=status,
            start=start,
            planned_end=planned_end,
            actual_end=actual_end,
            cancelled_on=cancelled_on,
            session_mask=session_mask,
            full_time=full_time,
            off_framework=off_framework,
            off_framework_reviewed_on=reviewed_on,
            registered=registration_type.is_registered,
            framework_status=framework_status,
            last_review=last,
            pending=bool(pending),
            today=today,
            settings=settings,
        )
        found.append(
            CurrentPlacement(
                id=placement_id,
                pupil_name=f"{first_name} {last_name}",
                provider_name=provider_name,
                planned_end=planned_end,
                status=status,
                flags=tuple(flags),
                next_review=next_review(status, start, last, settings),
                attendance_rate=rate_of(*sums.get(placement_id, (0, 0))),
            )
        )
    return found


def _current_rows(scope: Select, today: date) -> Select:
    """`current_rows`' first statement."""
    running = queries.running_union(
        queries.tested_in_index(scope)
        .with_only_columns(
            Placement.id,
            Placement.pupil_id,
            Placement.provider_id,
            Placement.start_date,
            Placement.planned_end,
            Placement.actual_end,
            Placement.cancelled_on,
            Placement.session_mask,
            Placement.full_time,
            Placement.off_framework,
            Placement.off_framework_reviewed_on,
        )
        .order_by(None),
        started_by=None,
        ended_after=today,
    ).subquery("current_placements")
    p = running.c
    pupils, providers = Pupil.__table__, Provider.__table__
    organisations = Organisation.__table__
    last_review = queries.last_review_of(p)
    return (
        select(
            p.id,
            p.start_date,
            p.planned_end,
            p.actual_end,
            p.cancelled_on,
            p.session_mask,
            p.full_time,
            p.off_framework,
            p.off_framework_reviewed_on,
            pupils.c.first_name,
            pupils.c.last_name,
            organisations.c.name,
            providers.c.registration_type,
            providers.c.framework_status,
            # only an active placement's last review is asked for (row_view)
            case((p.start_date <= today, last_review)),
            p.id.in_(
                select(ExtensionRequest.placement_id).where(
                    ExtensionRequest.status == ExtensionStatus.PENDING
                )
            ),
        )
        .select_from(running)
        .join(pupils, pupils.c.id == p.pupil_id)
        .join(providers, providers.c.id == p.provider_id)
        .join(organisations, organisations.c.id == providers.c.id)
        .order_by(p.planned_end, p.id)
    )
