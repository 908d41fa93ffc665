"""What the bench times: the main pages (as each role sees them) and the exports."""

from __future__ import annotations

from datetime import date

from bench_data import Sample
from flask import Flask

from apregister.models import Role


def pages(app: Flask, sample: Sample) -> list[tuple[str, Role, str]]:
    """(label, role, path) for each main page this version of the app has."""
    ids = sample.ids
    busy = ids["provider"]
    la, school, provider, board = Role.LA_LEAD, Role.SCHOOL, Role.PROVIDER, Role.BOARD
    wanted = [
        ("home", la, "/"),
        ("home", school, "/"),
        ("home", provider, "/"),
        ("home", board, "/"),
        ("placements", la, "/placements"),
        ("placements: active at a provider", la, f"/placements?status=active&provider_id={busy}"),
        ("placements: review overdue", la, "/placements?review_overdue=y"),
        ("placements: last page", la, "/placements?page=100000"),
        ("placements: overrunning", la, "/placements?overrunning=y"),
        ("placements: off framework to review", la, "/placements?off_framework=to_review"),
        ("placements: unregistered limits", la, "/placements?unregistered_breach=y"),
        ("placements: provider suspended", la, "/placements?provider_lapsed=y"),
        ("placements: ended", la, "/placements?status=ended"),
        ("placements: ended, one reason", la, "/placements?status=ended&reason=medical"),
        ("placements: one reason", la, "/placements?reason=prevent_exclusion"),
        ("placements: reviews due", school, "/placements?review_due=y"),
        ("placements", school, "/placements"),
        ("placements", provider, "/placements"),
        ("providers", la, "/providers"),
        ("providers", school, "/providers"),
        ("providers: inspection due", la, "/providers?qa=inspection_due"),
        ("providers: documents", la, "/providers?qa=documents"),
        ("pupils", la, "/pupils"),
        ("pupils", school, "/pupils"),
        ("pupils: last page", la, "/pupils?page=100000"),
        ("pupils: search by name", la, "/pupils"),
        ("pupils: search by name", school, "/pupils"),
        ("placements: search by name", la, "/placements"),
        ("placements: search by name", school, "/placements"),
        ("placements: search, one name", la, "/placements"),
        ("audit", la, "/audit"),
        ("attendance", provider, "/attendance"),
        ("attendance: unrecorded", provider, "/attendance/unrecorded"),
        ("placement page", la, f"/placements/{ids['placement']}"),
        ("provider page", la, f"/providers/{ids['provider']}"),
        ("pupil page", la, f"/pupils/{ids['pupil']}"),
        ("dashboard", la, "/dashboard"),
        ("dashboard: one phase", la, "/dashboard?phase=secondary"),
        ("dashboard: one provider", la, f"/dashboard?provider_id={busy}"),
        ("dashboard: a past year", la, f"/dashboard?period={date.today().year - 3}"),
        ("dashboard", board, "/dashboard"),
        ("dashboard: a past year", board, f"/dashboard?period={date.today().year - 3}"),
        ("inspections", la, "/inspections"),
        ("inspections", provider, "/inspections"),
        ("inspection page", la, f"/inspections/{ids['inspection']}"),
        ("self-assessments", la, "/self-assessments"),
        ("self-assessments", provider, "/self-assessments"),
        ("self-assessment page", la, f"/self-assessments/{ids['self_assessment']}"),
        ("reports", la, "/reports"),
    ]
    try:
        from apregister.reports.definitions import REPORTS
    except ImportError:
        REPORTS = {}
    wanted += [(f"report: {key}", la, f"/reports/{key}") for key in REPORTS]
    return [(label, role, path) for label, role, path in wanted if exists(app, role, path)]


def exists(app: Flask, role: Role, path: str) -> bool:
    """Whether this version of the app has the page, and lets `role` see it."""
    if "None" in path:  # no such record in the data
        return False
    try:
        endpoint, _ = app.url_map.bind("localhost").match(path.split("?")[0], method="GET")
    except Exception:  # noqa: BLE001 - the page does not exist in this version
        return False
    return role in getattr(app.view_functions[endpoint], "allowed_roles", ())


# The pages above whose client first posts a search (the term is kept in the session, never
# in the URL): a first name and a surname's start, and one common surname's start alone.
SEARCH_TERMS = {
    "pupils: search by name": "ruby pal",
    "placements: search by name": "ruby pal",
    "placements: search, one name": "smi",
}

# (label, role, path): the format is the path's suffix, csv or xlsx
EXPORTS = [
    ("placements CSV", Role.LA_LEAD, "/placements/export.csv"),
    ("placements CSV", Role.SCHOOL, "/placements/export.csv"),
    ("placements XLSX", Role.LA_LEAD, "/placements/export.xlsx"),
    ("providers CSV", Role.LA_LEAD, "/providers/export.csv"),
    ("dashboard figures CSV", Role.LA_LEAD, "/dashboard/figures.csv"),
    ("dashboard figures CSV", Role.BOARD, "/dashboard/figures.csv"),
]
