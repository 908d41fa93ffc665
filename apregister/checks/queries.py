"""Reading the pre-start checks: one placement's task list, and the SQL for lists and counts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import ColumnElement, false, func, select
from sqlalchemy.orm import selectinload

from apregister.checks import rules
from apregister.extensions import db
from apregister.models import (
    LA_ROLES,
    CheckItem,
    LaSettings,
    Placement,
    PlacementCheck,
    Role,
    User,
)

# what a provider's users may not read: the family's and the pupil's own words
PRIVATE_FROM_PROVIDER = frozenset({CheckItem.PARENT_AGREEMENT, CheckItem.PUPIL_VIEWS})


def required_items(settings: LaSettings) -> set[str]:
    return rules.parse_required(settings.required_checks)


def started_without_checks_clause(settings: LaSettings, today: date) -> ColumnElement[bool]:
    """Placements that have started (not cancelled) with a required check not complete."""
    required = required_items(settings)
    if not required:
        return false()
    done = (
        select(func.count(PlacementCheck.id))
        .where(
            PlacementCheck.placement_id == Placement.id,
            PlacementCheck.complete.is_(True),
            PlacementCheck.item.in_(sorted(required)),
        )
        .scalar_subquery()
    )
    return (
        (Placement.start_date <= today) & Placement.cancelled_on.is_(None) & (done < len(required))
    )


def checks_for(placement: Placement) -> dict[CheckItem, PlacementCheck]:
    rows = db.session.scalars(
        select(PlacementCheck)
        .where(PlacementCheck.placement_id == placement.id)
        .options(selectinload(PlacementCheck.recorded_by))
    ).all()
    return {CheckItem(row.item): row for row in rows}


def is_commissioner(user: User, placement: Placement) -> bool:
    if user.role in LA_ROLES:
        return True
    return user.role is Role.SCHOOL and user.organisation_id == placement.school_id


def is_provider(user: User, placement: Placement) -> bool:
    return user.role is Role.PROVIDER and user.organisation_id == placement.provider_id


def may_record(user: User, placement: Placement, item: CheckItem) -> bool:
    """Commissioners record every item but the agreement (confirmed on its own page); the
    provider records its staff checks only."""
    if item is CheckItem.AGREEMENT:
        return False
    if is_commissioner(user, placement):
        return True
    return is_provider(user, placement) and item is CheckItem.STAFF_CHECKS


def may_read(user: User, placement: Placement, item: CheckItem) -> bool:
    return not (is_provider(user, placement) and item in PRIVATE_FROM_PROVIDER)


@dataclass(frozen=True)
class Task:
    item: CheckItem
    status: str  # "Completed", "Waiting for the provider", "Incomplete", "Not required"
    href: str | None
    check: PlacementCheck | None
    readable: bool


@dataclass(frozen=True)
class TaskList:
    tasks: list[Task]
    done: int
    required: int
    ready: bool
    started_without_checks: bool
    summary: str


def task_list(
    placement: Placement, user: User, settings: LaSettings, today: date, href
) -> TaskList:
    """The placement page's task list for `user`; `href(item)` links an item's page."""
    required = required_items(settings)
    checks = checks_for(placement)
    done = {item.value for item, row in checks.items() if row.complete}
    tasks = []
    for item in rules.ALL_ITEMS:
        row = checks.get(item)
        if item.value in done:
            status = "Completed"
        elif row is not None and row.commissioner_confirmed_on is not None:
            status = "Waiting for the provider"  # the agreement, confirmed by one side
        elif item.value in required:
            status = "Incomplete"
        else:
            status = "Not required"
        reachable = item is CheckItem.AGREEMENT or may_record(user, placement, item)
        tasks.append(
            Task(
                item=item,
                status=status,
                href=href(item) if reachable else None,
                check=checks.get(item),
                readable=may_read(user, placement, item),
            )
        )
    ready = rules.ready_to_start(done, required)
    running = (
        placement.start_date <= today
        and placement.cancelled_on is None
        and (placement.actual_end is None or placement.actual_end >= today)
    )
    return TaskList(
        tasks=tasks,
        done=len(done & required),
        required=len(required),
        ready=ready,
        started_without_checks=running and not ready,
        summary=rules.progress_text(done, required),
    )
