"""The registration threshold and unregistered time limits: which providers are over the
threshold, on a day and over days, and which placements have run past a limit."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import Select, case, func, or_, select

from apregister.extensions import db
from apregister.models import (
    REGISTERED_TYPES,
    LaSettings,
    Organisation,
    Placement,
    Provider,
    Pupil,
    RegistrationType,
)
from apregister.placements import queries, rules
from apregister.placements.summaries import Keep, build_anew
from apregister.pupils.rules import compulsory_school_age_births
from apregister.settings import threshold_policy, unregistered_limits
from apregister.sql import Buckets, not_indexed

ONE_DAY = timedelta(days=1)


@dataclass(frozen=True)
class AlertedProvider:
    """What an alert shows of its provider."""

    id: int
    name: str
    registration_type: RegistrationType


@dataclass(frozen=True)
class ProviderAlert:
    provider: AlertedProvider
    alert: rules.ThresholdAlert


_PROVIDERS = Provider.__table__
_UNREGISTERED = _PROVIDERS.c.registration_type.not_in([kind.value for kind in REGISTERED_TYPES])


def _counts_alone(pupils, policy):
    """SQL: the pupil alone can make a setting need registering (looked after, or an SEN
    status the LA's wording counts singly)."""
    single = [sen.value for sen in rules.single_trigger_sen(policy.wording)]
    return or_(pupils.c.looked_after.is_(True), pupils.c.sen_status.in_(single))


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
    alone = case((_counts_alone(pupils, policy), 1), else_=0)
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


def registration_alerts(
    scope: Select, settings: LaSettings, today: date, *, keep: Keep = build_anew
) -> list[ProviderAlert]:
    """Unregistered providers whose concurrent full-time pupils meet the registration
    threshold today, by name. `scope` is an access-scoped select of Placement. One query:
    the counts, with each provider's name (`keep` may keep its statement: summaries.Keep)."""
    policy = threshold_policy(settings)
    organisations = Organisation.__table__
    statement = keep(
        "registration alerts",
        lambda: _full_time_on(
            scope,
            settings,
            today,
            organisations.c.name,
            _PROVIDERS.c.name_key,
            _PROVIDERS.c.registration_type,
        ),
    )
    counts: dict[tuple, list[int]] = {}
    for provider_id, name, name_key, registration_type, kind, n in db.session.execute(statement):
        if not kind:
            continue
        found = counts.setdefault((name_key, provider_id, name, registration_type), [0, 0])
        found[0] += n
        found[1] += n if kind == 2 else 0
    return [
        ProviderAlert(AlertedProvider(provider_id, name, registration_type), alert)
        for (_, provider_id, name, registration_type), (full_time, vulnerable) in sorted(
            counts.items()
        )
        if (alert := rules.threshold_alert(full_time, vulnerable, policy)) is not None
    ]


def full_time_pupils_on(
    scope: Select, settings: LaSettings, day: date
) -> dict[int, tuple[int, int]]:
    """`full_time_pupils` for one day, counted in the database (one query)."""
    counts: dict[int, tuple[int, int]] = {}
    for provider_id, kind, n in db.session.execute(_full_time_on(scope, settings, day)):
        if not kind:
            continue
        full_time, vulnerable = counts.get(provider_id, (0, 0))
        counts[provider_id] = (full_time + n, vulnerable + (n if kind == 2 else 0))
    return counts


def _full_time_on(scope: Select, settings: LaSettings, day: date, *provider_columns) -> Select:
    """A select of (provider id, *provider_columns, kind, placements) for the full-time
    placements in `scope` running on `day` at unregistered providers: kind 2 for pupils of
    compulsory school age who alone can trigger registration, 1 for others of that age, 0 for
    the rest (left for the caller to skip: a filter on it would look each pupil up twice).
    The placements, a few hundred, are read from the ranges of ix_placements_running (the
    provider and the scope tested there), each pupil looked up by its key. (PostgreSQL, which
    cannot tell how few of the running placements are at unregistered providers, would
    otherwise read all 166,000 pupils to join them.)"""
    policy = threshold_policy(settings)
    earliest, latest = compulsory_school_age_births(day)
    unregistered = select(_PROVIDERS.c.id).where(_UNREGISTERED)
    running = queries.running_union(
        queries.tested_in_index(scope)
        .with_only_columns(Placement.provider_id, Placement.pupil_id)
        .where(
            Placement.hours_per_week >= policy.full_time_hours,
            not_indexed(Placement.provider_id).in_(unregistered),
        )
        .order_by(None),
        started_by=day,
        ended_after=day,
    ).subquery()
    pupils = Pupil.__table__
    alone = case((_counts_alone(pupils, policy), 2), else_=1)
    # 0: not of compulsory school age; 1: of that age; 2: and alone can trigger registration
    pupil = (
        select(case((pupils.c.date_of_birth.between(earliest, latest), alone), else_=0))
        .where(pupils.c.id == running.c.pupil_id)
        .scalar_subquery()
    )
    each = select(running.c.provider_id, pupil.label("pupil")).subquery()
    groups = (each.c.provider_id, *provider_columns, each.c.pupil)
    stmt = select(*groups, func.count()).group_by(*groups)
    if provider_columns:
        stmt = stmt.join_from(each, _PROVIDERS, _PROVIDERS.c.id == each.c.provider_id).join(
            Organisation.__table__, Organisation.__table__.c.id == _PROVIDERS.c.id
        )
    return stmt


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
