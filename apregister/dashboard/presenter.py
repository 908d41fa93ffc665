"""Turns Measures into what the dashboard shows. LA roles see the exact figures, for any
period, school phase and provider. The board chooses only the period, and its counts are
always as at today; every figure it sees goes through the suppression rules and the check
across figures (board.py) before any template sees it."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from apregister import organisation_filter
from apregister.access import countable, counts_whole_register
from apregister.dashboard import figures, kept, kpis, rules, summary
from apregister.dashboard.forms import DashboardFilterForm
from apregister.dashboard.selection import Selection
from apregister.dashboard.shown import kpi_rows
from apregister.dashboard.tables import OFF_FRAMEWORK_TITLE, breakdowns, off_framework, trend
from apregister.models import Placement, Role, SchoolPhase, User
from apregister.settings import current_settings


def dashboard(
    user: User,
    window: rules.Window,
    *,
    phase: SchoolPhase | None = None,
    provider_id: int | None = None,
    today: date | None = None,
) -> dict:
    """Everything the dashboard template needs, safe for `user`'s role. A fixed number of
    queries however many placements there are. The board's counts are as at `today`
    (default: the end of the window), whatever period it chose, and it gets no phase or
    provider: every view it can choose then shows counts for the same days, which board.py
    checks against each other."""
    board = user.role is Role.BOARD
    if board:
        phase, provider_id = None, None
        window = replace(window, at=today or window.day)
    settings = current_settings()
    selection = Selection(
        countable(Placement, user),
        phase=phase,
        provider_id=provider_id,
        whole_register=counts_whole_register(user),
    )

    baseline_date: date | None = settings.kpi_baseline_date
    choice = kept.choice_for(window, settings, board=board, phase=phase, provider_id=provider_id)
    found = kept.measured(selection, settings, choice, today or date.today())
    points = found.trend
    now, last_month, last_term, *baseline = found.measures
    verdict = found.verdict if board else None
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
            verdict=verdict,
        ),
        "breakdowns": breakdowns(now, verdict=verdict),
        "off_framework": off_framework(now, verdict=verdict),
        "off_framework_title": OFF_FRAMEWORK_TITLE,
        "trend": trend(points, verdict=verdict),
        "figures_as_at": found.computed_at,
        "suppressed": rules.SUPPRESSED,
        "withheld": rules.WITHHELD,
    }


def filter_form(user: User, today: date, formdata=None) -> DashboardFilterForm:
    """The filters; the board chooses only the period (a school phase or a provider would
    let it set a part against the whole and find a small number)."""
    board = user.role is Role.BOARD
    form = DashboardFilterForm(formdata=formdata, today=today, only_period=board)
    if not board:
        choice = organisation_filter.resolve(
            "provider", "provider", "provider_id", endpoint="dashboard.show_dashboard"
        )
        form.provider.data = choice.name
        form.provider_id.data = choice.id or ""
        if choice.error:
            form.provider.errors = [choice.error]
        form.provider_choice = choice
    return form


def page(user: User, today: date, formdata=None) -> dict:
    """The dashboard page for `user`: the filters (from `formdata`, a GET query) and the
    figures they select; the board's home page and the downloads read the same dict."""
    form = filter_form(user, today, formdata)
    phase, provider_id = form.selected_phase(), form.selected_provider()
    figures_shown = dashboard(
        user, form.window(), phase=phase, provider_id=provider_id, today=today
    )
    rows = figures_shown["kpi_rows"]
    return {
        "filters": form,
        "period_label": form.period_label(),
        "chosen": _chosen(form, phase, provider_id),
        "query": _query(form, phase, provider_id),
        "can_edit_settings": user.role is Role.LA_LEAD,
        "headlines": summary.headlines(rows),
        "attention": summary.attention(rows),
        "captions": figures.CAPTIONS,
        **figures_shown,
    }


def _chosen(form: DashboardFilterForm, phase, provider_id) -> list[tuple[str, str]]:
    """The LA's choice of school phase and provider, in words, for the download."""
    chosen = []
    if phase is not None:
        chosen.append(("School phase", phase.label))
    if provider_id is not None:
        chosen.append(("Provider", form.provider_choice.name))
    return chosen


def _query(form: DashboardFilterForm, phase, provider_id) -> dict[str, str]:
    """The choices as a query, for the download links (the same figures as the page)."""
    query = {"period": form.period.data or ""}
    if phase is not None:
        query["phase"] = phase.value
    if provider_id is not None:
        query["provider_id"] = str(provider_id)
    return {key: value for key, value in query.items() if value}
