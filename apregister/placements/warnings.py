"""Warn before, not after (DESIGN.md): what a new placement or an extension would break, said on
the check page before the decision. The user may still go on, with a reason that is kept.

The warnings are worked out from the rules in rules.py; the registration threshold counts every
placement at the provider, whoever commissioned it, so a school is told that the threshold would
be met without being told how many other pupils the provider has."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import select

from apregister.extensions import db
from apregister.models import LA_ROLES, LaSettings, Placement, Provider, Pupil, User
from apregister.placements import rules
from apregister.pupils.rules import is_compulsory_school_age
from apregister.settings import threshold_policy, unregistered_limits
from apregister.templating import govuk_date


@dataclass(frozen=True)
class Plan:
    """A placement as it would run: new, or an existing one with a new end."""

    pupil: Pupil
    provider: Provider
    start: date
    end: date
    session_mask: int
    hours_per_week: Decimal
    full_time: bool
    placement_id: int | None = None  # the placement itself, when it is being extended


def for_plan(
    plan: Plan,
    settings: LaSettings,
    today: date,
    *,
    user: User,
    threshold_plan: Plan | None = None,
) -> list[str]:
    """Every warning for `plan`, in plain words, one sentence each. The registration
    threshold is checked over `threshold_plan` (by default the whole plan)."""
    found = []
    weeks = settings.placement_weeks
    if rules.planned_beyond(plan.start, plan.end, weeks):
        found.append(
            f"This takes the placement to {rules.weeks_between(plan.start, plan.end)} weeks, "
            f"past the {weeks}-week limit. A placement runs longer only with the LA's agreement"
        )
    if not plan.provider.is_registered:
        breach = rules.unregistered_breach(
            start=plan.start,
            planned_end=plan.end,
            actual_end=None,
            session_mask=plan.session_mask,
            full_time=plan.full_time,
            today=min(today, plan.start),  # the plan's own length, however late it is recorded
            limits=unregistered_limits(settings),
        )
        if breach:
            found.append(f"This breaks the DfE limits for unregistered provision. {breach}")
        threshold = threshold_warning(threshold_plan or plan, settings, today, user=user)
        if threshold:
            found.append(threshold)
    return found


def _others(plan: Plan, today: date) -> list[tuple[Placement, Pupil]]:
    """The provider's other placements that could run at the same time as `plan`."""
    return list(
        db.session.execute(
            select(Placement, Pupil)
            .join(Pupil, Pupil.id == Placement.pupil_id)
            .where(
                Placement.provider_id == plan.provider.id,
                Placement.cancelled_on.is_(None),
                Placement.start_date <= plan.end,
                (Placement.actual_end.is_(None)) | (Placement.actual_end >= plan.start),
                Placement.id != (plan.placement_id or 0),
            )
        ).all()
    )


def _at_provider(
    pupil: Pupil, hours: Decimal, day: date
) -> rules.PupilAtProvider:
    return rules.PupilAtProvider(
        hours_per_week=hours,
        compulsory_school_age=is_compulsory_school_age(pupil.date_of_birth, day),
        sen_status=pupil.sen_status,
        looked_after=pupil.looked_after,
    )


def threshold_warning(plan: Plan, settings: LaSettings, today: date, *, user: User) -> str | None:
    """Whether `plan` would bring its unregistered provider to the independent-school
    registration threshold on some day it runs (or finds it there already). The count can
    only rise on a day a placement starts, so those days are the ones checked."""
    policy = threshold_policy(settings)
    others = _others(plan, today)
    first = max(plan.start, today)
    days = sorted(
        {first}
        | {p.start_date for p, _ in others if first <= p.start_date <= plan.end}
    )
    for day in days:
        running = [
            _at_provider(pupil, p.hours_per_week, day)
            for p, pupil in others
            if p.start_date <= day <= rules.run_end(p.planned_end, p.actual_end, today)
        ]
        before = rules.registration_alert(running, policy)
        after = rules.registration_alert(
            [*running, _at_provider(plan.pupil, plan.hours_per_week, day)], policy
        )
        if after is None:
            continue
        name = plan.provider.name
        law = (
            "the threshold at which a setting must register with the DfE as an independent "
            "school (Education and Skills Act 2008 s92)"
        )
        detail = f": {after.reason}" if user.role in LA_ROLES else ""
        if before is None:
            return f"From {govuk_date(day)} {name} would meet {law}{detail}"
        return f"{name} already meets {law} on {govuk_date(day)}{detail}"
    return None


def for_new_placement(
    pupil: Pupil,
    provider: Provider,
    *,
    start: date,
    end: date,
    session_mask: int,
    hours_per_week: Decimal,
    full_time: bool,
    settings: LaSettings,
    today: date,
    user: User,
) -> list[str]:
    return for_plan(
        Plan(pupil, provider, start, end, session_mask, hours_per_week, full_time),
        settings,
        today,
        user=user,
    )


def for_extension(
    placement: Placement, new_end: date, settings: LaSettings, today: date, *, user: User
) -> list[str]:
    """What approving an extension to `new_end` would break; the threshold is checked over
    the added weeks only."""
    plan = Plan(
        placement.pupil,
        placement.provider,
        placement.start_date,
        new_end,
        placement.session_mask,
        placement.hours_per_week,
        placement.full_time,
        placement_id=placement.id,
    )
    added = Plan(
        **{**plan.__dict__, "start": max(placement.planned_end + timedelta(days=1), plan.start)}
    )
    return for_plan(plan, settings, today, user=user, threshold_plan=added)
