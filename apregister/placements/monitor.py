"""What the LA (and each school) must be told about: the registration threshold, unregistered
time limits, placements past 12 weeks or overrunning, reviews, extensions, and placements off
the framework or at providers since suspended.

Each function runs a fixed number of queries, whatever the number of placements."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import ColumnElement, Select, and_, case, func, select

from apregister.checks.queries import started_without_checks_clause
from apregister.extensions import db
from apregister.models import (
    REGISTERED_TYPES,
    LaSettings,
    Placement,
    Provider,
    Pupil,
)
from apregister.placements import queries, rules
from apregister.pupils.rules import compulsory_school_age_births
from apregister.settings import threshold_policy, unregistered_limits
from apregister.sql import Buckets

ONE_DAY = timedelta(days=1)


@dataclass(frozen=True)
class ProviderAlert:
    provider: Provider
    alert: rules.ThresholdAlert


_PROVIDERS = Provider.__table__
_UNREGISTERED = _PROVIDERS.c.registration_type.not_in([kind.value for kind in REGISTERED_TYPES])


def _unregistered(stmt: Select) -> Select:
    return stmt.join(_PROVIDERS, _PROVIDERS.c.id == Placement.provider_id).where(_UNREGISTERED)


def full_time_pupils(
    scope: Select, settings: LaSettings, days: Sequence[date]
) -> list[dict[int, tuple[int, int]]]:
    """For each of `days`, each unregistered provider's (full-time pupils of compulsory
    school age, those of them who alone can trigger registration), for placements in
    `scope` active that day. One grouped query, however many days and placements: the
    placements active on any of the days, grouped by the buckets their start, end and the
    pupil's date of birth fall in."""
    if not days:
        return []
    policy = threshold_policy(settings)
    ages = {day: compulsory_school_age_births(day) for day in days}
    runs = Buckets.at(days)
    births = Buckets.at(
        edge for earliest, latest in ages.values() for edge in (earliest - ONE_DAY, latest)
    )
    running = queries.active_on_any(
        scope.with_only_columns(
            Placement.id,
            Placement.provider_id,
            Placement.pupil_id,
            Placement.start_date,
            Placement.actual_end,
        )
        .select_from(Placement)
        .where(Placement.hours_per_week >= policy.full_time_hours)
        .order_by(None),
        days,
    ).subquery()
    pupils = Pupil.__table__
    alone = case(
        (pupils.c.looked_after.is_(True), 1),
        (
            pupils.c.sen_status.in_(
                [sen.value for sen in rules.single_trigger_sen(policy.wording)]
            ),
            1,
        ),
        else_=0,
    )
    groups = (
        running.c.provider_id,
        runs.of(running.c.start_date),
        runs.of(running.c.actual_end),
        births.of(pupils.c.date_of_birth),
        alone,
    )
    rows = db.session.execute(
        select(*groups, func.count())
        .select_from(
            running.join(pupils, pupils.c.id == running.c.pupil_id).join(
                _PROVIDERS, _PROVIDERS.c.id == running.c.provider_id
            )
        )
        .where(_UNREGISTERED)
        .group_by(*groups)
    ).all()
    found: list[dict[int, tuple[int, int]]] = []
    for day in days:
        at = runs.index(day)
        earliest, latest = ages[day]
        after_earliest, to_latest = births.index(earliest - ONE_DAY), births.index(latest)
        counts: dict[int, list[int]] = defaultdict(lambda: [0, 0])
        for provider_id, started, stopped, born, vulnerable, n in rows:
            if started <= at < stopped and after_earliest < born <= to_latest:
                counts[provider_id][0] += n
                counts[provider_id][1] += n * vulnerable
        found.append({provider_id: (a, b) for provider_id, (a, b) in counts.items()})
    return found


def alert_counts(scope: Select, settings: LaSettings, days: Sequence[date]) -> list[int]:
    """How many providers met the registration threshold on each of `days` (one query)."""
    policy = threshold_policy(settings)
    return [
        sum(rules.threshold_alert(a, b, policy) is not None for a, b in counts.values())
        for counts in full_time_pupils(scope, settings, days)
    ]


def registration_alerts(scope: Select, settings: LaSettings, today: date) -> list[ProviderAlert]:
    """Unregistered providers whose concurrent full-time pupils meet the registration
    threshold today. `scope` is an access-scoped select of Placement. Two queries: the
    counts, then the providers that alert."""
    policy = threshold_policy(settings)
    (counts,) = full_time_pupils(scope, settings, [today])
    found = {
        provider_id: alert
        for provider_id, (full_time, vulnerable) in counts.items()
        if (alert := rules.threshold_alert(full_time, vulnerable, policy)) is not None
    }
    providers = db.session.scalars(
        select(Provider).where(Provider.id.in_(found)).order_by(Provider.name_key, Provider.id)
    )
    return [ProviderAlert(provider, found[provider.id]) for provider in providers]


def unregistered_breaches(scope: Select, settings: LaSettings, today: date) -> list[Placement]:
    """Planned or active placements at unregistered providers beyond the DfE time limits,
    measured by how long they have run as well as by their plans (one query)."""
    return list(
        db.session.scalars(
            scope.where(
                queries.unregistered_breach_clause(unregistered_limits(settings), today)
            ).order_by(Placement.start_date, Placement.id)
        )
    )


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
    "started_without_checks",
)


def counts(scope: Select, settings: LaSettings, today: date) -> Counts:
    """How many placements in `scope` each work-queue clause finds, in one statement however
    many there are. The current placements (a few thousand of 200,000) are read once, with
    their provider and last review, and each test of queries.py is summed over them; the
    list filters apply the same tests (tests hold both to the rules)."""
    providers = Provider.__table__
    current = (
        scope.with_only_columns(
            Placement.start_date,
            Placement.planned_end,
            Placement.actual_end,
            Placement.session_mask,
            Placement.full_time,
            providers.c.registration_type,
            providers.c.framework_status,
            queries.last_review_date().label("last_review"),
        )
        .join(providers, providers.c.id == Placement.provider_id)
        .where(queries.current_clause(today))
        .order_by(None)
        # read once (both databases would otherwise look up each last review twice)
        .cte("current_placements")
        .prefix_with("MATERIALIZED")
    )
    c = current.c
    active = queries.started_by(c, today)
    interval = settings.review_interval_days
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
        "provider_lapsed": c.framework_status.in_([status.value for status in queries.LAPSED]),
        "unregistered_breaches": and_(
            c.registration_type.not_in([kind.value for kind in REGISTERED_TYPES]),
            queries.unregistered_breach_test(c, unregistered_limits(settings), today),
        ),
    }
    summed = [
        func.coalesce(func.sum(case((test, 1), else_=0)), 0).label(key)
        for key, test in tests.items()
    ]
    ids = scope.with_only_columns(Placement.id).order_by(None)
    every = clauses(settings, today, set(COUNTED_APART))
    apart = [
        select(func.count())
        .select_from(ids.where(every[key]).subquery())
        .scalar_subquery()
        .label(key)
        for key in COUNTED_APART
    ]
    found = db.session.execute(select(*summed, *apart).select_from(current)).one()
    return Counts(**found._asdict())
