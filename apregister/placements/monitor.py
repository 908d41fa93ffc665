"""What the LA (and each school) must be told about: the registration threshold, unregistered
time limits, placements past 12 weeks, overdue reviews and pending extensions.

Each function runs a fixed number of queries, whatever the number of placements."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import Select, case, func, or_, select

from apregister.extensions import db
from apregister.models import (
    REGISTERED_TYPES,
    LaSettings,
    Placement,
    PlacementStatus,
    Provider,
    Pupil,
)
from apregister.placements import queries, rules
from apregister.pupils.rules import compulsory_school_age_births
from apregister.settings import threshold_policy, unregistered_limits


@dataclass(frozen=True)
class ProviderAlert:
    provider: Provider
    alert: rules.ThresholdAlert


def _unregistered(stmt: Select) -> Select:
    providers = Provider.__table__
    return stmt.join(providers, providers.c.id == Placement.provider_id).where(
        providers.c.registration_type.not_in([kind.value for kind in REGISTERED_TYPES])
    )


def registration_alerts(scope: Select, settings: LaSettings, today: date) -> list[ProviderAlert]:
    """Unregistered providers whose concurrent full-time pupils meet the registration
    threshold today. `scope` is an access-scoped select of Placement. Two queries: each
    provider's full-time pupils of compulsory school age, counted in the database, then the
    providers that alert."""
    policy = threshold_policy(settings)
    pupils = Pupil.__table__
    earliest, latest = compulsory_school_age_births(today)
    alone = or_(
        pupils.c.looked_after.is_(True),
        pupils.c.sen_status.in_([sen.value for sen in rules.single_trigger_sen(policy.wording)]),
    )
    stmt = _unregistered(
        scope.with_only_columns(
            Placement.provider_id, func.count(), func.sum(case((alone, 1), else_=0))
        )
        .select_from(Placement)
        .join(pupils, pupils.c.id == Placement.pupil_id)
    ).where(
        queries.status_clause(PlacementStatus.ACTIVE, today),
        Placement.hours_per_week >= policy.full_time_hours,
        pupils.c.date_of_birth.between(earliest, latest),
    )
    found = {
        provider_id: alert
        for provider_id, full_time, vulnerable in db.session.execute(
            stmt.group_by(Placement.provider_id).order_by(None)
        )
        if (alert := rules.threshold_alert(full_time, int(vulnerable or 0), policy)) is not None
    }
    providers = db.session.scalars(
        select(Provider).where(Provider.id.in_(found)).order_by(Provider.name_key, Provider.id)
    )
    return [ProviderAlert(provider, found[provider.id]) for provider in providers]


def unregistered_overruns(scope: Select, settings: LaSettings, today: date) -> list[Placement]:
    """Planned or active placements at unregistered providers beyond the DfE time limits.
    The rule is checked on plain columns; only the placements it flags are loaded."""
    limits = unregistered_limits(settings)
    candidates = db.session.execute(
        _unregistered(
            scope.with_only_columns(
                Placement.id, Placement.start_date, Placement.planned_end, Placement.session_mask
            ).select_from(Placement)
        )
        .where(queries.current_clause(today))
        .order_by(None)
    )
    flagged = [
        placement_id
        for placement_id, start, planned_end, mask in candidates
        if rules.unregistered_flag(
            start=start, planned_end=planned_end, session_mask=mask, limits=limits
        )
    ]
    return list(
        db.session.scalars(
            scope.where(Placement.id.in_(flagged)).order_by(Placement.start_date, Placement.id)
        )
    )


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

