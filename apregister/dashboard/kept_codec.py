"""The dashboard's measured figures as JSON and back, for keeping them between requests
(kept.py): every KPI of each window with the counts behind it, the breakdowns, the trend and
the groups the board's check reads. Decoding gives objects equal to those encoded."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

from apregister.dashboard.active import Figure
from apregister.dashboard.audit import Group, Population
from apregister.dashboard.board import Verdict
from apregister.dashboard.kpis import Measures
from apregister.dashboard.trend import TrendPoint
from apregister.sql import Buckets


def dumps(
    measures: list[Measures],
    trend: list[TrendPoint],
    running: Population,
    verdict: Verdict | None = None,
) -> str:
    return json.dumps(
        {
            "measures": [_measures(one) for one in measures],
            "trend": [[p.month_end.isoformat(), p.active, _figure(p.attendance)] for p in trend],
            "running": _population(running),
            "verdict": _verdict(verdict),
        },
        separators=(",", ":"),
    )


def loads(text: str) -> tuple[list[Measures], list[TrendPoint], Population, Verdict | None]:
    data = json.loads(text)
    trend = [
        TrendPoint(date.fromisoformat(day), active, _unfigure(figure))
        for day, active, figure in data["trend"]
    ]
    return (
        [_unmeasures(one) for one in data["measures"]],
        trend,
        _unpopulation(data["running"]),
        _unverdict(data.get("verdict")),
    )


def _verdict(verdict: Verdict | None) -> dict | None:
    if verdict is None:
        return None
    return {
        "hidden": [[day.isoformat(), key, why] for (day, key), why in verdict.hidden.items()],
        "tables": verdict.tables,
        "off_framework": verdict.off_framework,
    }


def _unverdict(data: dict | None) -> Verdict | None:
    if data is None:
        return None
    hidden = {(date.fromisoformat(day), key): why for day, key, why in data["hidden"]}
    return Verdict(hidden, data["tables"], data["off_framework"])


def _value(value):
    # Decimals as text, so that 12.5 stays Decimal("12.5") and never becomes a float
    return ["d", str(value)] if isinstance(value, Decimal) else value


def _unvalue(value):
    return Decimal(value[1]) if isinstance(value, list) else value


def _figure(figure: Figure) -> list:
    return [_value(figure.value), figure.part, figure.whole, figure.placements]


def _unfigure(data: list) -> Figure:
    value, part, whole, placements = data
    return Figure(_unvalue(value), part, whole, placements)


def _population(population: Population | None) -> dict | None:
    if population is None:
        return None
    return {
        "edges": [edge.isoformat() for edge in population.buckets.edges],
        "groups": [[g.n, g.start, g.end, sorted(g.traits)] for g in population.groups],
    }


def _unpopulation(data: dict | None) -> Population | None:
    if data is None:
        return None
    buckets = Buckets(tuple(date.fromisoformat(edge) for edge in data["edges"]))
    groups = tuple(
        Group(n, start, end, frozenset(traits)) for n, start, end, traits in data["groups"]
    )
    return Population(buckets, groups)


def _measures(measures: Measures) -> dict:
    return {
        "as_of": measures.as_of.isoformat(),
        "figures": {key: _figure(figure) for key, figure in measures.figures.items()},
        "breakdowns": {
            name: [list(row) for row in rows] for name, rows in measures.breakdowns.items()
        },
        "days": _population(measures.days),
        "today": _population(measures.today),
    }


def _unmeasures(data: dict) -> Measures:
    return Measures(
        date.fromisoformat(data["as_of"]),
        {key: _unfigure(figure) for key, figure in data["figures"].items()},
        {name: [tuple(row) for row in rows] for name, rows in data["breakdowns"].items()},
        _unpopulation(data["days"]),
        _unpopulation(data["today"]),
    )
