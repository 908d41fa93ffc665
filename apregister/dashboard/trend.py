"""The dashboard's monthly trend: active placements at each month end and each month's
attendance, in a fixed number of queries however many placements there are. The groups the
month-end counts come from are kept (as a Population) for the board's check."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import func, select

from apregister.dashboard.audit import Group, Population
from apregister.dashboard.kpis import Figure
from apregister.dashboard.selection import Selection
from apregister.dashboard.sessions import placements_attending, sessions_in
from apregister.extensions import db
from apregister.models import Placement
from apregister.placements.queries import running_union
from apregister.qa.rules import add_months
from apregister.sql import Buckets


@dataclass(frozen=True)
class TrendPoint:
    month_end: date  # the month's last day, or today for the month in progress
    active: int
    attendance: Figure


def month_spans(months: int, today: date) -> list[tuple[date, date]]:
    """(first day, last day or today) of each of the last `months` months, oldest first."""
    spans = []
    for back in range(months - 1, -1, -1):
        first = add_months(today.replace(day=1), -back)
        spans.append((first, min(add_months(first, 1) - timedelta(days=1), today)))
    return spans


def active_on_each(selection: Selection, days: list[date]) -> Population:
    """The placements active on any of `days`, in one query of the placements running
    then, grouped by the buckets of their start and end: read from the index."""
    buckets = Buckets.at(days)
    running = running_union(
        selection.columns(Placement.start_date, Placement.actual_end),
        started_by=max(days),
        ended_after=min(days),
    ).subquery()
    starts, stops = buckets.of(running.c.start_date), buckets.of(running.c.actual_end)
    rows = db.session.execute(select(starts, stops, func.count()).group_by(starts, stops)).all()
    return Population(buckets, tuple(Group(n, started, stopped) for started, stopped, n in rows))


def measure_trend(
    selection: Selection, months: int, today: date
) -> tuple[list[TrendPoint], Population]:
    """Active placements at each month end and that month's attendance, and the groups the
    counts come from: one query for the counts, one for the sessions, and one a month for
    how many pupils they are about."""
    spans = month_spans(months, today)
    running = active_on_each(selection, [end for _, end in spans])
    points = []
    for (_, end), month in zip(spans, sessions_in(selection, spans), strict=True):
        attending = placements_attending(selection, end, month)
        figure = Figure(month.rate, month.present, month.counted, attending)
        on = running.buckets.index(end)
        count = sum(group.n for group in running.groups if group.start <= on < group.end)
        points.append(TrendPoint(end, count, figure))
    return points, running


def monthly_trend(selection: Selection, months: int, today: date) -> list[TrendPoint]:
    """Active placements at each month end and that month's attendance."""
    return measure_trend(selection, months, today)[0]
