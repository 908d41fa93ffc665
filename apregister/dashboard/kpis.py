"""The improvement board's KPIs, computed in the database for any dates.

`measure_windows(selection, settings, windows)` gives every KPI for each window: as at its
`day` (point-in-time figures) or over `since`..`as_of` (period figures). The windows are
measured together: each kind of figure is one grouped query for all of them (see
sql.Buckets), so the number of queries depends on neither the rows nor, but for one small
query each, the windows. Every query starts from `selection.placements`, an access-scoped
select of Placement narrowed to a school phase or a provider."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import case, func, or_, select

from apregister.dashboard import rules
from apregister.dashboard.active import Figure, active_on
from apregister.dashboard.audit import Population
from apregister.dashboard.breakdowns import NO_SCHOOL, board_breakdowns_on, breakdowns_on
from apregister.dashboard.qa import qa_up_to_date
from apregister.dashboard.selection import Selection
from apregister.dashboard.sessions import ENOUGH, placements_attending, sessions_in
from apregister.extensions import db
from apregister.models import KpiSetting, LaSettings, Placement, PlacementOutcome
from apregister.placements import monitor
from apregister.placements.queries import running_on
from apregister.sql import Buckets, days_between

__all__ = ["ENOUGH", "KPIS", "NO_SCHOOL", "Figure", "Selection", "measure", "measure_windows"]

RETURNED = (
    PlacementOutcome.RETURNED_HOME_SCHOOL,
    PlacementOutcome.ANOTHER_MAINSTREAM,
    PlacementOutcome.SPECIAL_SCHOOL,
)
ONE_DAY = timedelta(days=1)


@dataclass(frozen=True)
class KpiDefinition:
    key: str
    label: str
    unit: str  # "count", "%" or "weeks"
    higher_is_better: bool | None
    # count KPIs carry their numerator and base so the board's view can suppress them
    main: bool = False
    # counts organisations (providers), not children: shown to the board as they are
    organisations: bool = False


KPIS = (
    KpiDefinition("active", "Active placements", "count", None, main=True),
    KpiDefinition("ehc_share", "Share with an EHC plan", "%", None),
    KpiDefinition("looked_after_share", "Share looked after", "%", None),
    KpiDefinition("disadvantaged_share", "Share disadvantaged", "%", None),
    KpiDefinition("average_weeks", "Average length of ended placements", "weeks", False),
    KpiDefinition("median_weeks", "Median length of ended placements", "weeks", False),
    KpiDefinition(
        "past_12_weeks_share", "Share of active placements past 12 weeks", "%", False, main=True
    ),
    KpiDefinition("attendance_rate", "Attendance rate at AP", "%", True, main=True),
    KpiDefinition("returned_share", "Ended placements returned to school", "%", True, main=True),
    KpiDefinition("off_framework_share", "Share of active placements off framework", "%", False),
    KpiDefinition(
        "qa_up_to_date_share",
        "Providers with QA up to date",
        "%",
        True,
        main=True,
        organisations=True,
    ),
    KpiDefinition(
        "threshold_alerts", "Registration-threshold alerts", "count", False, organisations=True
    ),
)
KPI_BY_KEY = {kpi.key: kpi for kpi in KPIS}


@dataclass
class Measures:
    as_of: date  # the day point-in-time figures are counted on
    figures: dict[str, Figure] = field(default_factory=dict)
    breakdowns: dict[str, list[tuple[str, int]]] = field(default_factory=dict)
    # For the board's check: the placements active on each window's day (`days`), and
    # those active on the first window's day (`today`), in alike groups (audit.py).
    days: Population | None = None
    today: Population | None = None


def kpi_settings() -> dict[str, KpiSetting]:
    """The la_lead's target and comparator for each KPI, by key (one query)."""
    return {row.key: row for row in db.session.scalars(select(KpiSetting))}


def measure(
    selection: Selection,
    settings: LaSettings,
    as_of: date,
    since: date,
    *,
    with_breakdowns: bool = True,
) -> Measures:
    """Every KPI as at `as_of` (and over `since`..`as_of`)."""
    (measures,) = measure_windows(
        selection, settings, [rules.Window(since, as_of)], with_breakdowns=with_breakdowns
    )
    return measures


def measure_windows(
    selection: Selection,
    settings: LaSettings,
    windows: Sequence[rules.Window],
    *,
    with_breakdowns: bool = True,
    edges: Sequence[date] | None = None,
) -> list[Measures]:
    """Every KPI for each window; the breakdowns of active placements for the first, unless
    told not to (comparisons need only the headline figures). Given `edges` (every day the
    board may see a count for), the first window's Measures also keep the groups the
    board's check needs, bucketed at those days."""
    days = [window.day for window in windows]
    spans = [(window.since, window.as_of) for window in windows]
    results = [Measures(day) for day in days]
    active, population = active_on(selection, settings, days, edges=edges or ())
    ended = _ended(selection, spans)
    sessions = sessions_in(selection, spans)
    qa = qa_up_to_date(settings, days)
    alerts = monitor.alert_counts(selection.placements, settings, days)
    for n, result in enumerate(results):
        figures = result.figures
        figures.update(active[n])
        figures.update(ended[n])
        figures["attendance_rate"] = Figure(
            sessions[n].rate,
            sessions[n].present,
            sessions[n].counted,
            placements_attending(selection, spans[n][1], sessions[n]),
        )
        figures["qa_up_to_date_share"] = Figure(*qa[n])
        figures["threshold_alerts"] = Figure(alerts[n], alerts[n], alerts[n])
    if with_breakdowns and windows:
        active_today = selection.placements.where(running_on(days[0]))
        if edges is None:
            results[0].breakdowns = breakdowns_on(active_today)
        else:
            past = [rules.started_by(day, settings.placement_weeks) for day in days]
            buckets = Buckets.at([*edges, *past])
            results[0].breakdowns, results[0].today = board_breakdowns_on(active_today, buckets)
            results[0].days = population
    return results


# ---- placements that ended -------------------------------------------------------------------


def _ended(selection: Selection, spans: list[tuple[date, date]]) -> list[dict]:
    """For each (since, as_of): placements that ended then, their average and median length
    and the share returned to school. One query: how many ended in each bucket with each
    length in days (a few hundred lengths), from which the medians are exact."""
    if not spans:
        return []
    buckets = Buckets.at(edge for since, as_of in spans for edge in (since - ONE_DAY, as_of))
    length = days_between(Placement.start_date, Placement.actual_end)
    returned = case((Placement.outcome.in_(RETURNED), 1), else_=0)
    ended_in = buckets.of(Placement.actual_end)
    rows = db.session.execute(
        selection.columns(ended_in, length, returned, func.count())
        .where(or_(*(Placement.actual_end.between(since, as_of) for since, as_of in spans)))
        .group_by(ended_in, length, returned)
    ).all()
    found = []
    for since, as_of in spans:
        after, upto = buckets.index(since - ONE_DAY), buckets.index(as_of)
        lengths: dict[int, int] = defaultdict(int)
        back = 0
        for bucket, days, was_returned, n in rows:
            if after < bucket <= upto:
                lengths[days] += n
                back += was_returned * n
        count = sum(lengths.values())
        total = sum(days * n for days, n in lengths.items())
        middle = _middle(lengths, count)
        found.append(
            {
                "average_weeks": Figure(rules.mean_weeks(total, count), count, count),
                "median_weeks": Figure(rules.median_weeks(middle), count, count),
                "returned_share": Figure(rules.share(back, count), back, count),
            }
        )
    return found


def _middle(counts: dict[int, int], total: int) -> list[int]:
    """The middle one or two of `total` values given as value -> how many."""
    if not total:
        return []
    wanted = sorted({(total - 1) // 2, total // 2})
    middle, seen = [], 0
    for value in sorted(counts):
        seen += counts[value]
        while wanted and wanted[0] < seen:
            middle.append(value)
            wanted.pop(0)
    return middle
