"""The monitor's counts: placements past 12 weeks or overrunning, reviews, extensions, and
placements off the framework or at providers since suspended."""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date, timedelta

from sqlalchemy import ColumnElement, Select, and_, case, func, select

from apregister.checks.queries import started_without_checks_clause
from apregister.extensions import db
from apregister.models import LaSettings, Placement, Review
from apregister.placements import queries
from apregister.placements.monitor.registration import _PROVIDERS, _UNREGISTERED
from apregister.settings import unregistered_limits

# Schools hear about a review this many days before it is due.
REVIEW_NOTICE_DAYS = 7
# A school's home shows extension decisions made in the last this many days.
DECISIONS_SHOWN_DAYS = 30


def clauses(
    settings: LaSettings, today: date, only: set[str] | None = None
) -> dict[str, ColumnElement[bool]]:
    """What the work queues count and the placement list filters by, each a clause on
    Placement: the list's rows are exactly the queue's count. `only`: build just these."""
    built = {
        "past_weeks": lambda: queries.past_weeks_clause(settings.placement_weeks, today),
        "overrunning": lambda: queries.overrunning_clause(today),
        "reviews_overdue": lambda: queries.review_overdue_clause(
            settings.review_interval_days, today
        ),
        "reviews_due": lambda: queries.review_due_clause(
            settings.review_interval_days, REVIEW_NOTICE_DAYS, today
        ),
        "extensions_pending": lambda: queries.extension_pending_clause(),
        "extensions_decided": lambda: queries.extension_decided_clause(
            today - timedelta(days=DECISIONS_SHOWN_DAYS)
        ),
        "off_framework_to_review": lambda: queries.off_framework_to_review_clause(),
        "provider_lapsed": lambda: queries.provider_lapsed_clause(today),
        "unregistered_breaches": lambda: queries.unregistered_breach_clause(
            unregistered_limits(settings), today
        ),
        "started_without_checks": lambda: and_(
            queries.running_on(today), started_without_checks_clause(settings, today)
        ),
    }
    return {key: build() for key, build in built.items() if only is None or key in only}


@dataclass(frozen=True)
class Counts:
    past_weeks: int
    overrunning: int
    reviews_overdue: int
    reviews_due: int
    extensions_pending: int
    extensions_decided: int
    off_framework_to_review: int
    provider_lapsed: int
    unregistered_breaches: int
    started_without_checks: int


# Counted from indexes of their own, over every placement in scope, not only current ones.
COUNTED_APART = (
    "extensions_pending",
    "extensions_decided",
    "off_framework_to_review",
)


def counts(scope: Select, settings: LaSettings, today: date) -> Counts:
    """How many placements in `scope` each work-queue clause finds, in one statement however
    many placements there are (`counts_statement`)."""
    return read_counts(db.session.execute(counts_statement(scope, settings, today)))[0]


def read_counts(result) -> tuple[Counts, tuple]:
    """The Counts, and the values of the other columns, of `counts_statement`'s result."""
    found = result.one()
    counted = {field.name: found._mapping[field.name] for field in fields(Counts)}
    return Counts(**counted), tuple(found[len(counted) :])


def counts_statement(
    scope: Select, settings: LaSettings, today: date, *also: ColumnElement
) -> Select:
    """The statement of `counts`, with the scalar subqueries `also` (a page's other counts)
    in it too: read it with `read_counts`. The current placements (a few thousand of 200,000)
    are read from the two ranges of ix_placements_running alone, which holds every column the
    tests below ask of a placement (the scope's school or provider too); a placement's
    provider is tested against the few providers that are lapsed or unregistered, its last
    review and its checks looked up once each. Each test of queries.py is then summed over
    them; the list filters apply the same tests (tests hold both to the rules). No row
    leaves the database. The statement depends only on its arguments' values, not on the
    data: it may be kept and run again."""
    interval = settings.review_interval_days
    # A review is never dated before its placement's start (the review form refuses it, and a
    # start moves only before the placement starts, when it can have no review): a placement
    # that started after `due_by` has no review due or overdue, whatever its reviews, and its
    # last review is not looked up. Nor is a planned one's.
    due_by = today + timedelta(days=REVIEW_NOTICE_DAYS - interval)
    last_review = (
        select(Review.review_date)
        .where(Review.placement_id == Placement.id)
        .order_by(Review.review_date.desc())  # the last, read from the end of its range
        .limit(1)
        .scalar_subquery()
    )
    current = (
        queries.running_union(
            queries.tested_in_index(scope)
            .with_only_columns(
                Placement.start_date,
                Placement.planned_end,
                Placement.actual_end,
                Placement.session_mask,
                Placement.full_time,
                Placement.provider_id,
                case((Placement.start_date <= due_by, last_review)).label("last_review"),
                # a planned placement wants no checks yet
                case((started_without_checks_clause(settings, today), 1), else_=0).label(
                    "without_checks"
                ),
            )
            .order_by(None),
            started_by=None,
            ended_after=today,
        )
        # read once (both databases would otherwise look up each last review twice)
        .cte("current_placements")
        .prefix_with("MATERIALIZED")
    )
    c = current.c
    active = queries.started_by(c, today)
    lapsed = select(_PROVIDERS.c.id).where(
        _PROVIDERS.c.framework_status.in_([status.value for status in queries.LAPSED])
    )
    unregistered = select(_PROVIDERS.c.id).where(_UNREGISTERED)
    tests = {
        "past_weeks": and_(active, queries.past_weeks_test(c, settings.placement_weeks, today)),
        "overrunning": queries.overrunning_test(c, today),
        "reviews_overdue": and_(
            active, queries.review_overdue_test(c, c.last_review, interval, today)
        ),
        "reviews_due": and_(
            active,
            queries.review_due_test(c, c.last_review, interval, REVIEW_NOTICE_DAYS, today),
        ),
        "provider_lapsed": c.provider_id.in_(lapsed),
        "unregistered_breaches": and_(
            c.provider_id.in_(unregistered),
            queries.unregistered_breach_test(c, unregistered_limits(settings), today),
        ),
        # clauses()'s running_on(today) and started_without_checks_clause: started, current
        "started_without_checks": and_(active, c.without_checks == 1),
    }
    summed = [
        func.coalesce(func.sum(case((test, 1), else_=0)), 0).label(key)
        for key, test in tests.items()
    ]
    every = clauses(settings, today, set(COUNTED_APART))
    apart = [
        scope.with_only_columns(func.count())
        .where(every[key])
        .order_by(None)
        .scalar_subquery()
        .label(key)
        for key in COUNTED_APART
    ]
    return select(*summed, *apart, *also).select_from(current)
