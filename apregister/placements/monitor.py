"""What the LA (and each school) must be told about: the registration threshold, unregistered
time limits, placements past 12 weeks, overdue reviews and pending extensions.

Each function runs a fixed number of queries, whatever the number of placements."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from sqlalchemy import Select, func, select
from sqlalchemy.orm import contains_eager

from apregister.extensions import db
from apregister.models import (
    REGISTERED_TYPES,
    LaSettings,
    Placement,
    PlacementStatus,
    Provider,
)
from apregister.placements import queries, rules
from apregister.pupils.rules import is_compulsory_school_age
from apregister.settings import threshold_policy, unregistered_limits


@dataclass(frozen=True)
class ProviderAlert:
    provider: Provider
    alert: rules.ThresholdAlert


def registration_alerts(scope: Select, settings: LaSettings, today: date) -> list[ProviderAlert]:
    """Unregistered providers whose concurrent full-time pupils meet the registration
    threshold today. `scope` is an access-scoped select of Placement."""
    stmt = (
        scope.join(Placement.provider)
        .join(Placement.pupil)
        .where(
            queries.status_clause(PlacementStatus.ACTIVE, today),
            Provider.registration_type.not_in(REGISTERED_TYPES),
        )
        .options(contains_eager(Placement.pupil), contains_eager(Placement.provider))
    )
    by_provider: dict[int, list[Placement]] = defaultdict(list)
    providers: dict[int, Provider] = {}
    for placement in db.session.scalars(stmt).unique():
        by_provider[placement.provider_id].append(placement)
        providers[placement.provider_id] = placement.provider
    policy = threshold_policy(settings)
    alerts = []
    for provider_id, placements in by_provider.items():
        alert = rules.registration_alert(
            [
                rules.PupilAtProvider(
                    hours_per_week=placement.hours_per_week,
                    compulsory_school_age=is_compulsory_school_age(
                        placement.pupil.date_of_birth, today
                    ),
                    sen_status=placement.pupil.sen_status,
                    looked_after=placement.pupil.looked_after,
                )
                for placement in placements
            ],
            policy,
        )
        if alert is not None:
            alerts.append(ProviderAlert(providers[provider_id], alert))
    return sorted(alerts, key=lambda item: item.provider.name_key)


def unregistered_overruns(scope: Select, settings: LaSettings, today: date) -> list[Placement]:
    """Planned or active placements at unregistered providers beyond the DfE time limits."""
    stmt = (
        scope.join(Placement.provider)
        .where(
            queries.current_clause(today),
            Provider.registration_type.not_in(REGISTERED_TYPES),
        )
        .order_by(Placement.start_date)
    )
    limits = unregistered_limits(settings)
    return [
        placement
        for placement in db.session.scalars(stmt)
        if rules.unregistered_flag(
            start=placement.start_date,
            planned_end=placement.planned_end,
            session_mask=placement.session_mask,
            limits=limits,
        )
    ]


@dataclass(frozen=True)
class Counts:
    past_weeks: int
    reviews_overdue: int
    extensions_pending: int


def counts(scope: Select, settings: LaSettings, today: date) -> Counts:
    """How many placements in `scope` are past 12 weeks, overdue a review, awaiting an extension."""

    def count(clause) -> int:
        return db.session.scalar(
            select(func.count()).select_from(scope.where(clause).order_by(None).subquery())
        )

    return Counts(
        past_weeks=count(queries.past_weeks_clause(settings.placement_weeks, today)),
        reviews_overdue=count(queries.review_overdue_clause(settings.review_interval_days, today)),
        extensions_pending=count(queries.extension_pending_clause()),
    )

