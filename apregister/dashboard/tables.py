"""The dashboard's tables of active placements (by reason, registration status, school phase,
provider and school; off framework by registration status) and its monthly trend, as the
page shows them. LA roles see exact figures. The board sees the cells board.py judged safe,
and no table by provider or by school: a school's name beside even a small count can point
to a child, and the provider table would give away the registration-status table's hidden
cells (the registered cell is the sum of the registered providers' cells)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from apregister.dashboard import kpis, rules
from apregister.dashboard.board import SMALL, TABLES, Verdict
from apregister.dashboard.breakdowns import REGISTERED, UNREGISTERED
from apregister.dashboard.kpis import Measures
from apregister.dashboard.shown import Shown, format_value, show
from apregister.dashboard.trend import TrendPoint
from apregister.models import PlacementReason, SchoolPhase


@dataclass(frozen=True)
class Bar:
    label: str
    number: int | float | None
    text: str


@dataclass(frozen=True)
class Breakdown:
    key: str
    title: str
    heading: str  # the first column's heading
    rows: list[Bar]
    total: Shown
    chart: bool


@dataclass(frozen=True)
class OffFrameworkRow:
    label: str
    active: str
    off: str
    share: str


@dataclass(frozen=True)
class Trend:
    active: list[Bar]
    attendance: list[Bar]


# (key, title, first column's heading, chart?)
BREAKDOWNS = (
    ("reason", "Active placements by reason", "Reason", True),
    ("registration", "Active placements by registration status", "Registration status", True),
    ("phase", "Active placements by school phase", "School phase", True),
    ("provider", "Active placements by provider", "Provider", False),
    ("school", "Active placements by school", "School", False),
)
OFF_FRAMEWORK_TITLE = "Active placements off framework, by registration status"


def _categories(key: str) -> list[str] | None:
    """Every category of a closed set, so empty ones show as 0 in a stable order."""
    if key == "reason":
        return [reason.label for reason in PlacementReason]
    if key == "registration":
        return [REGISTERED, UNREGISTERED]
    if key == "phase":
        return [phase.label for phase in SchoolPhase] + [kpis.NO_SCHOOL]
    return None


def breakdowns(measures: Measures, *, verdict: Verdict | None = None) -> list[Breakdown]:
    """The tables of active placements: every one, exact, without a `verdict`; the board's
    (not by provider or school) as the verdict has them."""
    result = []
    for key, title, heading, chart in BREAKDOWNS:
        if verdict is not None and key not in TABLES:
            continue
        found = dict(measures.breakdowns.get(key, []))
        labels = _categories(key) or list(found)
        labels += [label for label in found if label not in labels]
        total = sum(found.values())
        if verdict is not None:
            rows = [_bar(label, verdict.tables[key][label]) for label in labels]
            shown_total = _bar("Total", rules.suppress_total(total))
        else:
            rows = [_bar(label, int(found.get(label, 0))) for label in labels]
            shown_total = _bar("Total", total)
        total_shown = Shown(shown_total.text, shown_total.number)
        result.append(Breakdown(key, title, heading, rows, total_shown, chart))
    return result


def off_framework(measures: Measures, *, verdict: Verdict | None = None) -> list[OffFrameworkRow]:
    """Active placements, those of them off framework and the share, for each registration
    status and in total. The board's: the active placements as in the registration-status
    table, the rest as the verdict has them (the 2 x 2 rule, rules.suppress_two_by_two)."""
    active = dict(measures.breakdowns.get("registration", []))
    off = dict(measures.breakdowns.get("off_framework", []))
    rows = []
    for status in (REGISTERED, UNREGISTERED):
        whole, part = int(active.get(status, 0)), int(off.get(status, 0))
        if verdict is None:
            rows.append(_off_row(status, whole, part, rules.share(part, whole)))
            continue
        shown_whole = verdict.tables["registration"][status]
        shown_part = verdict.off_framework[status]
        safe = isinstance(shown_whole, int) and isinstance(shown_part, int)
        share = rules.share(part, whole) if safe else rules.WITHHELD
        rows.append(_off_row(status, shown_whole, shown_part, share))
    total = sum(active.values())
    figure = measures.figures.get("off_framework_share")
    part = figure.part if figure else 0
    if verdict is None:
        rows.append(_off_row("Total", total, part, rules.share(part, total)))
        return rows
    kpi = kpis.KPI_BY_KEY["off_framework_share"]
    share = show(kpi, figure, board=True, verdict=verdict, day=measures.as_of)
    shown_total = rules.suppress_total(total)
    rows.append(_off_row("Total", shown_total, verdict.off_framework["Total"], share.text))
    return rows


def _off_row(label: str, active, off, share) -> OffFrameworkRow:
    def text(value) -> str:
        return value if isinstance(value, str) else f"{value:,}"

    if not isinstance(share, str):
        share = format_value(share, "%")
    return OffFrameworkRow(label, text(active), text(off), share)


def _bar(label: str, value: int | str) -> Bar:
    if isinstance(value, str):
        return Bar(label, None, value)
    return Bar(label, value, f"{value:,}")


def trend(points: list[TrendPoint], *, verdict: Verdict | None = None) -> Trend:
    """Active placements at each month end (for the board, as its verdict has them) and
    each month's attendance (for the board, not where fewer than 5 pupils are behind it)."""
    active, attendance = [], []
    rate = kpis.KPI_BY_KEY["attendance_rate"]
    for point in points:
        label = f"{point.month_end:%B %Y}"
        active.append(_bar(label, _count(point.month_end, point.active, verdict)))
        shown = show(rate, point.attendance, board=verdict is not None)
        attendance.append(Bar(label, shown.number, shown.text))
    return Trend(active, attendance)


def _count(day: date, count: int, verdict: Verdict | None) -> int | str:
    if verdict is None:
        return count
    why = verdict.why_hidden(day, "active")
    if why is None:
        return count
    return rules.SUPPRESSED if why == SMALL else rules.WITHHELD
