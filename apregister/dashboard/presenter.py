"""Turns Measures into what the dashboard shows. For the board every figure goes through the
suppression rules here, before any template sees it: counts from 1 to 4 become "fewer than
5", percentages and averages resting on such small groups are withheld, and the school
breakdown is left out. LA roles see the exact figures."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from apregister.access import countable, counts_whole_register, visible
from apregister.dashboard import kpis, rules
from apregister.dashboard.forms import DashboardFilterForm
from apregister.dashboard.kpis import KPIS, Figure, KpiDefinition, Measures
from apregister.dashboard.selection import Selection
from apregister.dashboard.trend import TrendPoint, monthly_trend
from apregister.forms import names_of
from apregister.models import (
    KpiSetting,
    Placement,
    PlacementReason,
    Provider,
    Role,
    SchoolPhase,
    User,
)
from apregister.settings import current_settings

NO_FIGURE = "No figure"
NOT_SET = "Not set"
TREND_MONTHS = 12
TOO_SMALL_TO_COMPARE = "Not compared: the numbers are too small to show"


@dataclass(frozen=True)
class Shown:
    """A figure as the page shows it. `number` feeds the charts and the direction of travel;
    it is None when the figure is missing or hidden."""

    text: str
    number: Decimal | int | None = None
    hidden: bool = False


@dataclass(frozen=True)
class Movement:
    arrow: str  # for the eye; the words say the same
    words: str


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


@dataclass(frozen=True)
class Bar:
    label: str
    number: Decimal | int | None
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
class Trend:
    active: list[Bar]
    attendance: list[Bar]


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
    """Why the board may not see this figure, or None if it may."""
    if kpi.unit == "count":
        small = rules.is_small(figure.value)
        reason = rules.SUPPRESSED
    elif kpi.unit == "weeks":
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


def _setting(value: Decimal | None, unit: str) -> str:
    """A target or comparator as the la_lead typed it: '85%', not '85.0%'."""
    if value is None:
        return NOT_SET
    if value == value.to_integral_value():
        return format_value(int(value), unit)
    return format_value(value, unit)


def show(kpi: KpiDefinition, figure: Figure | None, *, board: bool) -> Shown:
    if figure is None or figure.value is None:
        return Shown(NO_FIGURE)
    if board:
        reason = _hidden_reason(kpi, figure)
        if reason is not None:
            return Shown(reason, None, hidden=True)
    return Shown(format_value(figure.value, kpi.unit), figure.value)


def movement(kpi: KpiDefinition, now: Shown, then: Shown, period: str) -> Movement:
    """The direction of travel, with an arrow and in words. A hidden figure is not compared:
    'up from fewer than 5' would still say something about a small group."""
    if now.hidden or then.hidden:
        return Movement("", TOO_SMALL_TO_COMPARE)
    moved = rules.direction(
        now.number,
        then.number,
        higher_is_better=kpi.higher_is_better,
        period=period,
        previous_text=then.text,
    )
    return Movement(moved.arrow, moved.words)


def kpi_rows(
    now: Measures,
    last_month: Measures,
    last_term: Measures,
    baseline: Measures | None,
    settings: dict[str, KpiSetting],
    *,
    board: bool,
) -> list[KpiRow]:
    rows = []
    for kpi in KPIS:
        current = show(kpi, now.figures.get(kpi.key), board=board)
        setting = settings.get(kpi.key)
        target = setting.target if setting else None
        comparator = setting.comparator if setting else None
        rows.append(
            KpiRow(
                kpi=kpi,
                now=current,
                baseline=(
                    None
                    if baseline is None
                    else show(kpi, baseline.figures.get(kpi.key), board=board)
                ),
                target=_setting(target, kpi.unit),
                comparator=_setting(comparator, kpi.unit),
                comparator_source=setting.comparator_source if setting else None,
                last_month=movement(
                    kpi,
                    current,
                    show(kpi, last_month.figures.get(kpi.key), board=board),
                    "last month",
                ),
                last_term=movement(
                    kpi,
                    current,
                    show(kpi, last_term.figures.get(kpi.key), board=board),
                    "last term",
                ),
            )
        )
    return rows


# ---- breakdowns ------------------------------------------------------------------------------

# (key, title, first column's heading, fixed categories or None, chart?)
BREAKDOWNS = (
    ("reason", "Active placements by reason", "Reason", True),
    ("registration", "Active placements by registration status", "Registration status", True),
    ("phase", "Active placements by school phase", "School phase", True),
    ("provider", "Active placements by provider", "Provider", False),
    ("school", "Active placements by school", "School", False),
)


def _categories(key: str) -> list[str] | None:
    """Every category of a closed set, so empty ones show as 0 in a stable order."""
    if key == "reason":
        return [reason.label for reason in PlacementReason]
    if key == "registration":
        return ["Registered", "Unregistered"]
    if key == "phase":
        return [phase.label for phase in SchoolPhase] + [kpis.NO_SCHOOL]
    return None


def breakdowns(measures: Measures, *, board: bool) -> list[Breakdown]:
    result = []
    for key, title, heading, chart in BREAKDOWNS:
        if board and key == "school":
            # A school's name next to a count, even "fewer than 5", can point at a child.
            continue
        found = dict(measures.breakdowns.get(key, []))
        labels = _categories(key) or list(found)
        labels += [label for label in found if label not in labels]
        cells = {label: int(found.get(label, 0)) for label in labels}
        total = sum(cells.values())
        if board:
            safe = rules.suppress_counts(cells, total)
            rows = [_bar(label, safe[label]) for label in labels]
            shown_total = _bar("Total", rules.suppress_total(total))
        else:
            rows = [_bar(label, cells[label]) for label in labels]
            shown_total = _bar("Total", total)
        result.append(
            Breakdown(
                key,
                title,
                heading,
                rows,
                Shown(shown_total.text, shown_total.number),
                chart,
            )
        )
    return result


def _bar(label: str, value: int | str) -> Bar:
    if isinstance(value, str):
        return Bar(label, None, value)
    return Bar(label, value, f"{value:,}")


# ---- trend -----------------------------------------------------------------------------------


def trend(points: list[TrendPoint], *, board: bool) -> Trend:
    active, attendance = [], []
    rate = kpis.KPI_BY_KEY["attendance_rate"]
    for point in points:
        label = f"{point.month_end:%B %Y}"
        count: int | str = rules.suppress_total(point.active) if board else point.active
        active.append(_bar(label, count))
        shown = show(rate, point.attendance, board=board)
        attendance.append(Bar(label, shown.number, shown.text))
    return Trend(active, attendance)


# ---- the whole page --------------------------------------------------------------------------


def dashboard(
    user: User,
    window: rules.Window,
    *,
    phase: SchoolPhase | None = None,
    provider_id: int | None = None,
) -> dict:
    """Everything the dashboard template needs, safe for `user`'s role. A fixed number of
    queries however many placements there are."""
    board = user.role is Role.BOARD
    if board:
        provider_id = None
    settings = current_settings()
    selection = Selection(
        countable(Placement, user),
        phase=phase,
        provider_id=provider_id,
        whole_register=counts_whole_register(user),
    )

    baseline_date: date | None = settings.kpi_baseline_date
    windows = [window, rules.month_before(window), rules.term_before(window)]
    if baseline_date:
        windows.append(rules.baseline_window(baseline_date))
    now, last_month, last_term, *baseline = kpis.measure_windows(selection, settings, windows)
    return {
        "board": board,
        "window": window,
        "baseline_date": baseline_date,
        "kpi_rows": kpi_rows(
            now,
            last_month,
            last_term,
            baseline[0] if baseline else None,
            kpis.kpi_settings(),
            board=board,
        ),
        "breakdowns": breakdowns(now, board=board),
        "trend": trend(monthly_trend(selection, TREND_MONTHS, window.as_of), board=board),
        "suppressed": rules.SUPPRESSED,
        "withheld": rules.WITHHELD,
    }


def filter_form(user: User, today: date, formdata=None) -> DashboardFilterForm:
    """The filters; the board gets no provider filter (it would zoom into small groups)."""
    board = user.role is Role.BOARD
    providers = (
        ()
        if board
        else names_of(visible(Provider, user).order_by(Provider.name_key))
    )
    return DashboardFilterForm(
        formdata=formdata, today=today, providers=providers, with_provider=not board
    )


def page(user: User, today: date, formdata=None) -> dict:
    """The dashboard page for `user`: the filters (from `formdata`, a GET query) and the
    figures they select. The board's home page shows it with the default filters."""
    form = filter_form(user, today, formdata)
    return {
        "filters": form,
        "period_label": form.period_label(),
        "can_edit_settings": user.role is Role.LA_LEAD,
        **dashboard(
            user,
            form.window(),
            phase=form.selected_phase(),
            provider_id=form.selected_provider(),
        ),
    }
