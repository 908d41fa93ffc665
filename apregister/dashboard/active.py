"""Who the active placements are for, on any number of days: how many, and the shares of
them with an EHC plan, looked after, disadvantaged, past 12 weeks and off framework. One
query for all the days: the placements active on any of them, with their pupils, grouped
by the buckets of their start and end and by the pupil's three flags and whether the
placement is off framework (a few hundred groups). The same groups, kept as a Population,
let the board's check (audit.py) count what any two of these figures have in common."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import case, func, literal, or_, select, union_all

from apregister.dashboard import rules
from apregister.dashboard.audit import Group, Population
from apregister.dashboard.selection import Selection
from apregister.extensions import db
from apregister.models import LaSettings, Placement, Pupil, SenStatus
from apregister.placements.queries import active_on_any
from apregister.sql import Buckets, not_indexed

# a group's traits, in the order the query returns its flags
FLAGS = ("ehc", "looked_after", "disadvantaged", "off_framework")
# each share of active placements: its KPI key and the trait it counts (None: past 12 weeks)
SHARES = (
    ("ehc_share", "ehc"),
    ("looked_after_share", "looked_after"),
    ("disadvantaged_share", "disadvantaged"),
    ("past_12_weeks_share", None),
    ("off_framework_share", "off_framework"),
)


@dataclass
class Figure:
    """One KPI's value with the counts behind it (for suppression)."""

    value: Decimal | int | None
    part: int | None = None
    whole: int | None = None
    # How many placements the figure is about, where part and whole count something else
    # (attendance counts sessions: one child's sessions are still one child). Counted up to
    # ENOUGH only: that tells whether it rests on fewer than 5 pupils.
    placements: int | None = None


def traits_of(flags: Iterable[int]) -> frozenset[str]:
    """The traits of a group whose flags (in FLAGS order) are `flags`; every placement is
    either off framework or on it."""
    on = {name for name, flag in zip(FLAGS, flags, strict=True) if flag}
    return frozenset(on | ({"on_framework"} if "off_framework" not in on else set()))


def active_on(
    selection: Selection, settings: LaSettings, days: list[date], *, edges: Iterable[date] = ()
) -> tuple[list[dict[str, Figure]], Population]:
    """The figures for each of `days`, and the groups they were counted from, bucketed at
    the days, the day each must have started by to be past 12 weeks, and `edges`."""
    if not days:
        return [], Population(Buckets.at([]), ())
    past = {day: rules.started_by(day, settings.placement_weeks) for day in days}
    buckets = Buckets.at([*days, *past.values(), *edges])
    pupils = Pupil.__table__

    def flags(placements) -> list:
        return [
            buckets.of(placements.c.start_date),
            buckets.of(placements.c.actual_end),
            case((pupils.c.sen_status == SenStatus.EHC_PLAN.value, 1), else_=0),
            case((pupils.c.looked_after.is_(True), 1), else_=0),
            case((pupils.c.disadvantaged.is_(True), 1), else_=0),
        ]

    # Every active placement, read from the running index alone ...
    active = active_on_any(
        selection.columns(
            Placement.id, Placement.pupil_id, Placement.start_date, Placement.actual_end
        ),
        days,
    ).subquery()
    every = flags(active)
    # ... and, again, those off framework (a few, read from their own index). Some of these
    # ran only between the days: they are left out below.
    placements = Placement.__table__
    off = flags(placements)
    rows = db.session.execute(
        union_all(
            select(literal(0), *every, func.count())
            .select_from(active.join(pupils, pupils.c.id == active.c.pupil_id))
            .group_by(*every),
            selection.columns(literal(1), *off, func.count())
            .join(pupils, pupils.c.id == Placement.pupil_id)
            .where(
                Placement.off_framework.is_(True),
                Placement.cancelled_on.is_(None),
                not_indexed(Placement.start_date) <= max(days),
                or_(Placement.actual_end.is_(None), not_indexed(Placement.actual_end) > min(days)),
            )
            .group_by(*off),
        )
    ).all()
    population = Population(buckets, _groups(rows, [buckets.index(day) for day in days]))
    return [_figures(population, day, past[day]) for day in days], population


def _groups(rows, days: list[int]) -> tuple[Group, ...]:
    """The groups of every active placement (rows marked 0), each split into those on and
    off framework (the off-framework rows, marked 1, that were active on one of `days`)."""
    every: dict[tuple, int] = {}
    off: dict[tuple, int] = {}
    for marked, started, stopped, *flags, n in rows:
        if not marked:
            every[started, stopped, *flags] = n
        elif any(started <= day < stopped for day in days):
            off[started, stopped, *flags] = n
    groups = []
    for key, n in every.items():
        started, stopped, *flags = key
        for count, is_off in ((n - off.get(key, 0), 0), (off.get(key, 0), 1)):
            if count:
                groups.append(Group(count, started, stopped, traits_of((*flags, is_off))))
    return tuple(groups)


def _figures(population: Population, day: date, started_by: date) -> dict[str, Figure]:
    buckets = population.buckets
    on, long_ago = buckets.index(day), buckets.index(started_by)
    active = 0
    parts = {key: 0 for key, _ in SHARES}
    for group in population.groups:
        if not group.start <= on < group.end:
            continue
        active += group.n
        for key, trait in SHARES:
            counted = group.start <= long_ago if trait is None else trait in group.traits
            parts[key] += group.n if counted else 0
    figures = {"active": Figure(active, active, active)}
    for key, part in parts.items():
        figures[key] = Figure(rules.share(part, active), part, active)
    return figures
