"""Each KPI as the page shows it: its value now and at the baseline, its target and
comparator, and its direction of travel, in words. For the board every value goes through
the suppression rules first: counts of children on a day as board.py judged them, averages
and attendance resting on fewer than 5 placements or pupils not at all; counts of
organisations (providers) are not about children and are shown as they are."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from apregister.dashboard import rules
from apregister.dashboard.board import COUNTED, SMALL, Verdict
from apregister.dashboard.kpis import KPIS, Figure, KpiDefinition, Measures
from apregister.models import KpiSetting

NO_FIGURE = "No figure"
NOT_SET = "Not set"
TOO_SMALL_TO_COMPARE = "Not compared: the numbers are too small to show"
NOT_SHOWN_TO_COMPARE = "Not compared: a figure is not shown"
# the KPIs that count children on a day, judged for the board in board.py
ON_A_DAY = {"active", *COUNTED}


@dataclass(frozen=True)
class Shown:
    """A figure as the page shows it. `number` feeds the charts and the direction of travel;
    it is None when the figure is missing or hidden. `small` says it is hidden because it,
    or what it rests on, is from 1 to 4."""

    text: str
    number: Decimal | int | None = None
    hidden: bool = False
    small: bool = False


@dataclass(frozen=True)
class Movement:
    arrow: str  # for the eye; the words say the same
    words: str
    worse: bool = False  # moved the wrong way (only where the KPI has a better way)


@dataclass(frozen=True)
class KpiRow:
    kpi: KpiDefinition
    now: Shown
    baseline: Shown | None  # None when no baseline date is set
    target: str
    comparator: str
    comparator_source: str | None
    last_month: Movement
    last_term: Movement
    target_value: Decimal | None = None  # the target as a number, to judge the figure by


def format_value(value: Decimal | int | None, unit: str) -> str:
    """'1,204', '12.5%', '8.3 weeks'."""
    if value is None:
        return NO_FIGURE
    if unit == "%":
        return f"{value}%"
    if unit == "weeks":
        return f"{value} weeks"
    return f"{value:,}"


def _hidden_reason(kpi: KpiDefinition, figure: Figure) -> str | None:
    """Why the board may not see this period figure (an average or the attendance rate),
    or None if it may."""
    if kpi.unit == "weeks":
        small = rules.is_small(figure.whole)
        reason = f"Not shown: {rules.SUPPRESSED} placements ended"
    elif figure.placements is not None:
        # attendance counts sessions; what could identify a child is how many pupils
        small = rules.is_small(figure.placements)
        reason = f"Not shown: {rules.SUPPRESSED} pupils"
    else:
        small = rules.suppress_share(figure.part, figure.whole) == rules.SUPPRESSED
        reason = f"Not shown: a group of {rules.SUPPRESSED}"
    return reason if small else None


def _judged(kpi: KpiDefinition, why: str) -> Shown:
    """A count of children on a day that the board's verdict hides, and why."""
    if kpi.unit == "count":
        text = rules.SUPPRESSED if why == SMALL else rules.WITHHELD
    else:
        text = f"Not shown: a group of {rules.SUPPRESSED}" if why == SMALL else "Not shown"
    return Shown(text, None, hidden=True, small=why == SMALL)


def _setting(value: Decimal | None, unit: str) -> str:
    """A target or comparator as the la_lead typed it: '85%', not '85.0%'."""
    if value is None:
        return NOT_SET
    if value == value.to_integral_value():
        return format_value(int(value), unit)
    return format_value(value, unit)


def show(
    kpi: KpiDefinition,
    figure: Figure | None,
    *,
    board: bool,
    verdict: Verdict | None = None,
    day: date | None = None,
) -> Shown:
    """`figure` of `kpi` (counted on `day`) as `board` or the LA sees it."""
    if figure is None or figure.value is None:
        return Shown(NO_FIGURE)
    if board and not kpi.organisations:
        if kpi.key in ON_A_DAY:
            why = verdict.why_hidden(day, kpi.key) if verdict and day else SMALL
            if why is not None:
                return _judged(kpi, why)
        elif (reason := _hidden_reason(kpi, figure)) is not None:
            return Shown(reason, None, hidden=True, small=True)
    return Shown(format_value(figure.value, kpi.unit), figure.value)


def movement(kpi: KpiDefinition, now: Shown, then: Shown, period: str) -> Movement:
    """The direction of travel, with an arrow and in words. A hidden figure is not compared:
    'up from fewer than 5' would still say something about a small group."""
    if now.hidden or then.hidden:
        small = (now.hidden and now.small) or (then.hidden and then.small)
        return Movement("", TOO_SMALL_TO_COMPARE if small else NOT_SHOWN_TO_COMPARE)
    moved = rules.direction(
        now.number,
        then.number,
        higher_is_better=kpi.higher_is_better,
        period=period,
        previous_text=then.text,
    )
    return Movement(moved.arrow, moved.words, worse=moved.words.endswith(": worse"))


def kpi_rows(
    now: Measures,
    last_month: Measures,
    last_term: Measures,
    baseline: Measures | None,
    settings: dict[str, KpiSetting],
    *,
    board: bool,
    verdict: Verdict | None = None,
) -> list[KpiRow]:
    def shown(kpi: KpiDefinition, measures: Measures) -> Shown:
        figure = measures.figures.get(kpi.key)
        return show(kpi, figure, board=board, verdict=verdict, day=measures.as_of)

    rows = []
    for kpi in KPIS:
        current = shown(kpi, now)
        setting = settings.get(kpi.key)
        rows.append(
            KpiRow(
                kpi=kpi,
                now=current,
                baseline=None if baseline is None else shown(kpi, baseline),
                target=_setting(setting.target if setting else None, kpi.unit),
                comparator=_setting(setting.comparator if setting else None, kpi.unit),
                comparator_source=setting.comparator_source if setting else None,
                last_month=movement(kpi, current, shown(kpi, last_month), "last month"),
                last_term=movement(kpi, current, shown(kpi, last_term), "last term"),
                target_value=setting.target if setting else None,
            )
        )
    return rows
