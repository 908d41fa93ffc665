"""The KPI dashboard (LA roles and the board) and the la_lead's KPI settings."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from apregister.access import role_required
from apregister.dashboard import figures, presenter
from apregister.dashboard.forms import (
    KpiSettingsForm,
    comparator_field,
    source_field,
    target_field,
)
from apregister.dashboard.kpis import KPIS
from apregister.exports import table_response
from apregister.extensions import db
from apregister.models import KpiSetting, LaSettings, Role
from apregister.settings import current_settings

bp = Blueprint("dashboard", __name__, url_prefix="/dashboard")

VIEWERS = (Role.LA_LEAD, Role.LA_OFFICER, Role.BOARD)


@bp.route("")
@role_required(*VIEWERS)
def show_dashboard():
    return render_template(
        "dashboard/show_dashboard.html",
        **presenter.page(current_user, date.today(), request.args),
    )


@bp.route("/figures.csv", defaults={"fmt": "csv"})
@bp.route("/figures.xlsx", defaults={"fmt": "xlsx"})
@role_required(*VIEWERS)
def download_figures(fmt: str):
    """The figures of the dashboard page with the same choices, exactly as it shows them."""
    page = presenter.page(current_user, date.today(), request.args)
    return table_response(fmt, figures.filename_stem(page), figures.HEADER, figures.rows(page))


@bp.route("/settings", methods=["GET", "POST"])
@role_required(Role.LA_LEAD)
def edit_kpi_settings():
    settings = current_settings()
    saved = {row.key: row for row in db.session.scalars(select(KpiSetting))}
    form = KpiSettingsForm(today=date.today(), data=_initial(settings, saved))
    if form.validate_on_submit():
        _save(form, settings, saved)
        db.session.commit()
        flash("Targets and comparators saved")
        return redirect(url_for(".show_dashboard"))
    return render_template("dashboard/edit_kpi_settings.html", form=form)


def _initial(settings: LaSettings, saved: dict[str, KpiSetting]) -> dict:
    data: dict = {"baseline_date": settings.kpi_baseline_date}
    for kpi in KPIS:
        row = saved.get(kpi.key)
        if row is not None:
            data[target_field(kpi)] = row.target
            data[comparator_field(kpi)] = row.comparator
            data[source_field(kpi)] = row.comparator_source
    return data


def _save(form: KpiSettingsForm, settings: LaSettings, saved: dict[str, KpiSetting]) -> None:
    """Write the baseline date and each KPI's target and comparator (flush, no commit).
    A `dashboard/operations.py` would be the house's place for this; it is kept here
    because this change may touch only the files it owns."""
    settings.kpi_baseline_date = form.baseline_date.data
    db.session.add(settings)  # inserts the defaults row if the settings were never saved
    for kpi in KPIS:
        target = form[target_field(kpi)].data
        comparator = form[comparator_field(kpi)].data
        source = form[source_field(kpi)].data or None
        row = saved.get(kpi.key)
        if row is None:
            if target is None and comparator is None:
                continue
            row = KpiSetting(key=kpi.key)
            db.session.add(row)
        row.target, row.comparator, row.comparator_source = target, comparator, source
    db.session.flush()
