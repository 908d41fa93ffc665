"""Reports and the census export: a page, a CSV and an XLSX of the same scoped rows."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, abort, render_template, request
from flask_login import current_user
from markupsafe import Markup

from apregister.access import note_refusal, role_required
from apregister.exports import table_response
from apregister.models import Role
from apregister.reports.census import CENSUS_HEADER, census_rows
from apregister.reports.definitions import LA_AND_SCHOOLS, REPORTS, reports_for
from apregister.reports.forms import CensusForm
from apregister.settings import current_settings
from apregister.templating import govuk_date

bp = Blueprint("reports", __name__, url_prefix="/reports")

PAGE_ROWS = 200  # the page shows the first rows; the downloads have them all


def _report_or_404(key: str):
    report = REPORTS.get(key)
    if report is None:
        abort(404)
    if current_user.role not in report.roles:
        note_refusal(f"report {key}: role {current_user.role}")
        abort(403)
    return report


@bp.route("")
@role_required(*LA_AND_SCHOOLS)
def list_reports():
    return render_template(
        "reports/list_reports.html", reports=reports_for(current_user), form=CensusForm()
    )


@bp.route("/<key>")
@role_required(*LA_AND_SCHOOLS)
def show_report(key: str):
    report = _report_or_404(key)
    table = report.table(current_user, date.today(), current_settings(), limit=PAGE_ROWS + 1)
    rows = list(table)
    return render_template(
        "reports/show_report.html",
        report=report,
        rows=_shown(rows[:PAGE_ROWS]),
        more=len(rows) > PAGE_ROWS,
        page_rows=PAGE_ROWS,
    )


def _shown(rows: list) -> list[list]:
    """Each cell as the page shows it: a path as a link to its record, a choice by its label,
    a date in GOV.UK style. Worked out here, not by tests in the template for each of its
    2,400 cells (which took longer than the report's query)."""
    return [[_cell(value, number) for value in row] for number, row in enumerate(rows, start=1)]


def _cell(value, row_number: int):
    if isinstance(value, str) and value.startswith("/"):
        return Markup(
            '<a class="govuk-link" href="{}">Open<span class="govuk-visually-hidden"> the record '
            "for row {}</span></a>"
        ).format(value, row_number)
    if hasattr(value, "label"):
        return value.label
    if hasattr(value, "isoformat"):
        return govuk_date(value)
    return "" if value is None else value


@bp.route("/<key>.<any(csv, xlsx):fmt>")
@role_required(*LA_AND_SCHOOLS)
def export_report(key: str, fmt: str):
    report = _report_or_404(key)
    rows = report.table(current_user._get_current_object(), date.today(), current_settings())
    return table_response(fmt, f"{key}-{date.today().isoformat()}", report.header, rows)


@bp.route("/census")
@role_required(Role.LA_LEAD, Role.LA_OFFICER, Role.SCHOOL)
def census_export():
    """AP placements in a census's collection period, as the school census asks for them."""
    form = CensusForm(formdata=request.args)
    if not form.validate():
        return render_template(
            "reports/list_reports.html", reports=reports_for(current_user), form=form
        )
    fmt = form.format.data or "csv"
    census = form.census_date.data
    return table_response(
        fmt,
        f"ap-census-{census.isoformat()}",
        CENSUS_HEADER,
        census_rows(current_user._get_current_object(), census),
    )
