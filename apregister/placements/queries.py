"""Placement filters as SQL, matching placements/rules.py, so lists and counts stay in the
database however many rows there are."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date, timedelta

from sqlalchemy import (
    Column,
    ColumnElement,
    CompoundSelect,
    Select,
    and_,
    func,
    or_,
    select,
    union,
    union_all,
)
from sqlalchemy.sql import visitors

from apregister.models import (
    REGISTERED_TYPES,
    ExtensionRequest,
    ExtensionStatus,
    FrameworkStatus,
    Placement,
    PlacementStatus,
    Provider,
    Review,
)
from apregister.placements.rules import UnregisteredLimits, part_time_masks
from apregister.sql import days_between, not_indexed


def _running_branches(
    table, *, started_by: date | None, ended_after: date
) -> list[ColumnElement[bool]]:
    """Not cancelled, not ended on or before `ended_after`, and started by `started_by` (any
    start when None), as two conditions on `table` (placements, or an alias of it): still
    open, or ended after the day. Each is one range of ix_placements_running."""
    open_ = [table.c.actual_end.is_(None), table.c.cancelled_on.is_(None)]
    ended_later = [table.c.actual_end > ended_after, table.c.cancelled_on.is_(None)]
    if started_by is not None:
        open_.append(table.c.start_date <= started_by)
        # the range to walk is actual_end's, whatever SQLite guesses of the start dates
        ended_later.append(not_indexed(table.c.start_date) <= started_by)
    return [and_(*open_), and_(*ended_later)]


# One alias for every such clause: building one sets up a proxy of each of the table's forty
# columns, which took more time than the list's queries themselves.
_RUNNING = Placement.__table__.alias("running")


def _running(
    *, started_by: date | None, ended_after: date, same: dict | None = None
) -> ColumnElement[bool]:
    """Of 200,000 placements a few thousand are running on any day. Asked as "id in (open)
    union all (ended after the day)", both databases find them in ix_placements_running;
    the plain `actual_end IS NULL OR actual_end > day` makes SQLite walk every placement
    that started before the day instead."""
    running = _RUNNING
    branches = _running_branches(running, started_by=started_by, ended_after=ended_after)
    # Columns the index holds (a provider, a school) narrow its ranges before any placement
    # is read: "active at one provider" reads that provider's dozen, not every running one.
    # (not_indexed: in the ranges, not by SQLite's walk of all of that provider's placements)
    narrowed = [not_indexed(running.c[name]) == value for name, value in (same or {}).items()]
    return Placement.id.in_(
        union_all(*(select(running.c.id).where(b, *narrowed) for b in branches))
    )


def running_where(
    day: date, *tests: Callable[..., ColumnElement[bool]], with_planned: bool = False
) -> ColumnElement[bool]:
    """`running_on(day, with_planned=...)` and each of `tests` (row-level tests below, given
    the columns of ix_placements_running), tested inside that index: of the few thousand
    running placements only those that pass are then read. A test may ask for a placement's
    last review with `last_review_of(c)`."""
    running = _RUNNING
    branches = _running_branches(running, started_by=None if with_planned else day, ended_after=day)
    tested = [test(running.c) for test in tests]
    return Placement.id.in_(union_all(*(select(running.c.id).where(b, *tested) for b in branches)))


def last_review_of(c):
    """The last review's date of the placement whose columns are `c` (see running_where)."""
    return select(func.max(Review.review_date)).where(Review.placement_id == c.id).scalar_subquery()


def running_union(stmt: Select, *, started_by: date | None, ended_after: date) -> CompoundSelect:
    """`stmt` (a select from placements) for the placements `_running` finds, as a UNION
    ALL of its two index ranges: a LIMIT on it stops early, and the index's own columns are
    read from the index alone."""
    branches = _running_branches(
        Placement.__table__, started_by=started_by, ended_after=ended_after
    )
    return union_all(*(stmt.where(branch) for branch in branches))


def tested_in_index(scope: Select) -> Select:
    """`scope` (an access-scoped select of Placement: a school's, a provider's) with its
    conditions on the placement's own columns tested in the index a query reads, not used to
    choose one (sql.not_indexed). SQLite keeps no statistics: given `school_id = ?` beside
    `actual_end > ?` it walks every placement the school ever had (8,000 at the busiest) for
    its few running ones, where ix_placements_running holds the school and the provider
    itself. For `running_union`; PostgreSQL, which has the statistics, still chooses."""
    table = Placement.__table__
    where = scope.whereclause
    if where is None or scope.with_only_columns(table.c.id).get_final_froms() != [table]:
        return scope

    def unindexed(element):
        if isinstance(element, Column) and element.table is table:
            return not_indexed(element)
        return None

    return select(Placement).where(visitors.replacement_traverse(where, {}, unindexed))


def active_on_any(stmt: Select, days: Iterable[date]) -> CompoundSelect:
    """`stmt` (a select from placements that includes Placement.id) for the placements
    active on at least one of `days`, each once: a UNION of each day's two ranges of
    ix_placements_running. For the columns that index holds it reads nothing else."""
    branches = [
        stmt.where(branch)
        for day in sorted(set(days))
        for branch in _running_branches(Placement.__table__, started_by=day, ended_after=day)
    ]
    return union(*branches)


def running_on(
    day: date, *, with_planned: bool = False, same: dict | None = None
) -> ColumnElement[bool]:
    """Active on `day` (or planned then too, `with_planned`): not cancelled, not ended.
    `same` ({column: value} of ix_placements_running's columns) narrows it further."""
    return _running(started_by=None if with_planned else day, ended_after=day, same=same)


def during(first: date, last: date) -> dict:
    """Running on at least one day from `first` to `last`, the day it ended included (a
    placement's last day has sessions): the keywords for `running_union`."""
    return {"started_by": last, "ended_after": first - timedelta(days=1)}


def status_clause(
    status: PlacementStatus, today: date, *, same: dict | None = None, narrower: bool = False
) -> ColumnElement[bool]:
    """`narrower`: another condition, on a column the running index does not hold (the
    reason), narrows the list; then SQLite must not walk that index over the ended
    placements (nearly all of them), reading each row for the other test: a scan is faster."""
    live = Placement.cancelled_on.is_(None)
    if status is PlacementStatus.CANCELLED:
        return Placement.cancelled_on.is_not(None)
    if status is PlacementStatus.ENDED:
        ended = not_indexed(Placement.actual_end) if narrower else Placement.actual_end
        return and_(live, ended <= today)
    if status is PlacementStatus.PLANNED:
        not_ended = or_(Placement.actual_end.is_(None), Placement.actual_end > today)
        return and_(live, not_ended, Placement.start_date > today)
    return running_on(today, same=same)


def last_review_date():
    return (
        select(func.max(Review.review_date))
        .where(Review.placement_id == Placement.id)
        .correlate(Placement)
        .scalar_subquery()
    )


# ---- row-level tests, shared by the list filters below and the work queues' counts --------
# Each takes `c`, the columns of placements (or of a select of them), and assumes the row is
# current (planned or running today: current_clause); `last` is the last review's date.


def started_by(c, today: date) -> ColumnElement[bool]:
    """A current placement that has started is active."""
    return c.start_date <= today


def past_weeks_test(c, weeks: int, today: date) -> ColumnElement[bool]:
    return c.start_date < today - timedelta(weeks=weeks)


def overrunning_test(c, today: date) -> ColumnElement[bool]:
    return and_(started_by(c, today), c.actual_end.is_(None), c.planned_end < today)


def review_overdue_test(c, last, interval_days: int, today: date) -> ColumnElement[bool]:
    """No review (or start) within the last `interval_days` days."""
    return func.coalesce(last, c.start_date) < today - timedelta(days=interval_days)


def review_due_test(c, last, interval_days: int, notice_days: int, today: date):
    """The next review (rules.next_review_due) falls within `notice_days`, or has passed."""
    return func.coalesce(last, c.start_date) <= today + timedelta(days=notice_days - interval_days)


def unregistered_breach_test(c, limits: UnregisteredLimits, today: date) -> ColumnElement[bool]:
    """Longer than the limit (by its end, its plan, or how long it has run) and more than part
    time: rules.unregistered_breach, for a placement at an unregistered provider."""
    days = limits.max_weeks * 7
    too_long = or_(
        and_(c.actual_end.is_not(None), days_between(c.start_date, c.actual_end) > days),
        and_(
            c.actual_end.is_(None),
            or_(
                days_between(c.start_date, c.planned_end) > days,
                c.start_date < today - timedelta(days=days),
            ),
        ),
    )
    heavy = or_(c.full_time.is_(True), c.session_mask.not_in(part_time_masks(limits)))
    return and_(too_long, heavy)


_ROW = Placement.__table__.c


def past_weeks_clause(weeks: int, today: date) -> ColumnElement[bool]:
    """Active and started more than `weeks` weeks ago."""
    return and_(status_clause(PlacementStatus.ACTIVE, today), past_weeks_test(_ROW, weeks, today))


def review_overdue_clause(interval_days: int, today: date) -> ColumnElement[bool]:
    """Active, and no review (or start) within the last `interval_days` days."""
    return and_(
        status_clause(PlacementStatus.ACTIVE, today),
        review_overdue_test(_ROW, last_review_date(), interval_days, today),
    )


def extension_pending_clause() -> ColumnElement[bool]:
    """Has a request waiting for a decision: read from the few pending requests (indexed by
    status), not by probing every placement."""
    return Placement.id.in_(
        select(ExtensionRequest.placement_id).where(
            ExtensionRequest.status == ExtensionStatus.PENDING
        )
    )


def current_clause(today: date) -> ColumnElement[bool]:
    """Planned or active: the placements a provider's status change affects."""
    return running_on(today, with_planned=True)


def overrunning_clause(today: date) -> ColumnElement[bool]:
    """Still running after the planned end, with no end recorded (rules.overrunning): read
    from the open range of ix_placements_running."""
    return and_(running_on(today), overrunning_test(_ROW, today))


def review_due_clause(interval_days: int, notice_days: int, today: date) -> ColumnElement[bool]:
    """Active, and the next review (rules.next_review_due) falls within `notice_days` or has
    passed."""
    return and_(
        status_clause(PlacementStatus.ACTIVE, today),
        review_due_test(_ROW, last_review_date(), interval_days, notice_days, today),
    )


def extension_decided_clause(since: date) -> ColumnElement[bool]:
    """Has an extension request decided on or after `since`."""
    return Placement.id.in_(
        select(ExtensionRequest.placement_id).where(
            ExtensionRequest.status != ExtensionStatus.PENDING,
            ExtensionRequest.decided_on >= since,
        )
    )


def off_framework_to_review_clause() -> ColumnElement[bool]:
    """Recorded at a provider that was not approved, not cancelled, and not yet reviewed by
    the LA (read from ix_placements_off_framework)."""
    return and_(
        Placement.off_framework.is_(True),
        Placement.off_framework_reviewed_on.is_(None),
        Placement.cancelled_on.is_(None),
    )


def off_framework_clause() -> ColumnElement[bool]:
    return Placement.off_framework.is_(True)


LAPSED = (FrameworkStatus.SUSPENDED, FrameworkStatus.REMOVED)


def provider_lapsed_clause(today: date) -> ColumnElement[bool]:
    """Planned or running at a provider that is now suspended or removed."""
    return and_(
        current_clause(today),
        Placement.provider_id.in_(select(Provider.id).where(Provider.framework_status.in_(LAPSED))),
    )


def at_unregistered_provider() -> ColumnElement[bool]:
    return Placement.provider_id.in_(
        select(Provider.id).where(Provider.registration_type.not_in(REGISTERED_TYPES))
    )


def unregistered_breach_clause(limits: UnregisteredLimits, today: date) -> ColumnElement[bool]:
    """Planned or running at an unregistered provider beyond the DfE limits, measured by how
    long it has run as well as by its plan: rules.unregistered_breach, as SQL."""
    return and_(
        current_clause(today),
        at_unregistered_provider(),
        unregistered_breach_test(_ROW, limits, today),
    )
