"""The placement list, adding a placement, the placement page and the CSV export."""

from __future__ import annotations

from datetime import date

from flask import current_app, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import func

from apregister import organisation_filter, search
from apregister.access import (
    get_visible_or_404,
    role_required,
    visible,
)
from apregister.exports import (
    Joined,
    coded_column,
    date_column,
    label_column,
    number_column,
    placement_rows,
    table_response,
    text_column,
)
from apregister.extensions import db
from apregister.models import (
    LA_ROLES,
    ExtensionRequest,
    Placement,
    PlacementReason,
    PlacementStatus,
    Review,
    Role,
)
from apregister.pagination import export_url
from apregister.placements import listing, monitor, queries, rules
from apregister.placements.forms import PlacementFilterForm
from apregister.placements.summaries import row_view
from apregister.placements.views import bp
from apregister.placements.views.commission import status_reason
from apregister.settings import current_settings

STAFF = (Role.LA_LEAD, Role.LA_OFFICER, Role.SCHOOL, Role.PROVIDER)
SEARCH = "placements"  # the search term's name in the session
COMMISSIONERS = (Role.LA_LEAD, Role.LA_OFFICER, Role.SCHOOL)


# ---- the list ----------------------------------------------------------------------------------


def _filter_form() -> PlacementFilterForm:
    form = PlacementFilterForm(formdata=request.args)
    if current_user.role is Role.PROVIDER:
        # a provider sees its pupils' attendance and dates, not the commissioners' work
        for name in ("provider", "provider_id", *COMMISSIONER_FILTERS):
            delattr(form, name)
    if current_user.role not in LA_ROLES:
        del form.school
        del form.school_id
    form.matches = {}
    for kind in ("provider", "school"):
        if kind in form:
            choice = organisation_filter.resolve(
                kind, kind, f"{kind}_id", endpoint="placements.list_placements"
            )
            form[kind].data = choice.name
            form[f"{kind}_id"].data = choice.id or ""
            if choice.error:
                form[kind].errors = [choice.error]
            form.matches[kind] = choice.matches
    return form


# each work-queue filter: the form's field, and the key of its clause in monitor.clauses
FLAG_FILTERS = {
    "past_12_weeks": "past_weeks",
    "overrunning": "overrunning",
    "review_overdue": "reviews_overdue",
    "review_due": "reviews_due",
    "extension_pending": "extensions_pending",
    "extension_decided": "extensions_decided",
    "provider_lapsed": "provider_lapsed",
    "unregistered_breach": "unregistered_breaches",
    "started_without_checks": "started_without_checks",
}


COMMISSIONER_FILTERS = (
    "review_due",
    "extension_pending",
    "extension_decided",
    "provider_lapsed",
    "unregistered_breach",
    "started_without_checks",
    "off_framework",
)


def _scope_columns() -> dict:
    role, organisation = current_user.role, current_user.organisation_id
    if role is Role.SCHOOL:
        return {"school_id": organisation}
    if role is Role.PROVIDER:
        return {"provider_id": organisation}
    return {}


def _filtered(form: PlacementFilterForm, today: date, settings):
    stmt = visible(Placement)
    same = {}  # the organisations chosen, also tested inside the running placements' index
    if "provider_id" in form and form.provider_id.data:
        same["provider_id"] = form.provider_id.data
    if "school_id" in form and form.school_id.data:
        same["school_id"] = form.school_id.data
    for name, value in same.items():
        stmt = stmt.where(Placement.__table__.c[name] == value)
    # the user's own scope too, as a hint inside the index (visible() is what enforces it)
    narrow = _scope_columns() | same
    if form.status.data in {status.value for status in PlacementStatus}:
        status = PlacementStatus(form.status.data)
        by_reason = form.reason.data in {reason.value for reason in PlacementReason}
        stmt = stmt.where(queries.status_clause(status, today, same=same, narrower=by_reason))
    term = search.current_term(SEARCH)
    if term:
        stmt = stmt.where(search.placement_match(term))
    if form.reason.data in {reason.value for reason in PlacementReason}:
        stmt = stmt.where(Placement.reason == PlacementReason(form.reason.data))
    wanted = [key for field, key in FLAG_FILTERS.items() if field in form and form[field].data]
    off_framework = form.off_framework.data if "off_framework" in form else None
    if wanted or off_framework == "to_review":
        needed = set(wanted) | (
            {"off_framework_to_review"} if off_framework == "to_review" else set()
        )
        clauses = monitor.clauses(settings, today, needed) | listing.flag_clauses(
            settings, today, narrow, needed
        )
        for key in wanted:
            stmt = stmt.where(clauses[key])
    if off_framework == "yes":
        stmt = stmt.where(queries.off_framework_clause())
    elif off_framework == "to_review":
        stmt = stmt.where(clauses["off_framework_to_review"])
    elif off_framework == "no":
        stmt = stmt.where(~queries.off_framework_clause())
    return stmt


@bp.route("")
@role_required(*STAFF)
def list_placements():
    return _list_page(None)


def _list_page(search_form: search.SearchForm | None):
    today = date.today()
    settings = current_settings()
    filters = _filter_form()
    term = search.current_term(SEARCH)
    if search_form is None:
        search_form = search.SearchForm(term=term)
    # every ended placement and nothing else asked: most of the register, counted at once
    wide = (
        not term
        and request.args.get("status") == PlacementStatus.ENDED.value
        and set(request.args) <= {"status", "page"}
    )
    page = listing.page_of_placements(
        _filtered(filters, today, settings),
        per_page=current_app.config["REGISTER_PAGE_SIZE"],
        wide=wide,
    )
    if request.endpoint != "placements.list_placements":  # a refused search, shown again
        page.url = lambda number: list_url(page=number)
    return render_template(
        "placements/list_placements.html",
        form=search_form if search_form.errors else filters,
        filters=filters,
        search_form=search_form,
        term=term,
        page=page,
        rows=[row_view(p, last, pending, today, settings) for p, last, pending in page.items],
        export_url=export_url(".export_placements"),
        list_url=list_url,
        is_provider=current_user.role is Role.PROVIDER,
        is_la=current_user.role in LA_ROLES,
        can_add=current_user.role in COMMISSIONERS,
    )


def list_url(endpoint: str = ".list_placements", **changes) -> str:
    """This list's address (or its search's) with the filters now applied, less the page."""
    args = {k: v for k, v in request.args.to_dict(flat=False).items() if k != "page"}
    return url_for(endpoint, **(args | changes))


search.add_routes(bp, list_name=SEARCH, noun="placements", roles=STAFF, render=_list_page)


# What each kind of user may take away. A provider gets only what it needs to teach the pupil.
PROVIDER_COLUMNS = [
    number_column("Placement", Placement.id),
    text_column("First name", Joined.pupil.c.first_name),
    text_column("Last name", Joined.pupil.c.last_name),
    date_column("Start date", Placement.start_date),
    date_column("Planned end date", Placement.planned_end),
    date_column("Actual end date", Placement.actual_end),
    coded_column("Sessions", Placement.session_mask, rules.slot_labels),
]
COMMISSIONER_COLUMNS = [
    *PROVIDER_COLUMNS[:3],
    text_column("UPN", Joined.pupil.c.upn),
    text_column("School", func.coalesce(Joined.school.c.name, "LA (no school place)")),
    text_column("Provider", Joined.provider_organisation.c.name),
    label_column("Provider registration", Joined.provider.c.registration_type),
    label_column("Reason", Placement.reason),
    *PROVIDER_COLUMNS[3:],
    number_column("Hours each week", Placement.hours_per_week),
    coded_column("Full time", Placement.full_time, lambda full_time: "Yes" if full_time else "No"),
    number_column("Cost each week", Placement.cost_per_week),
    label_column("Outcome", Placement.outcome),
]


@bp.route("/export.csv", defaults={"fmt": "csv"})
@bp.route("/export.xlsx", defaults={"fmt": "xlsx"})
@role_required(*STAFF)
def export_placements(fmt: str):
    """The filtered list as CSV or XLSX: exactly the rows and columns this user may see."""
    form = _filter_form()
    stmt = _filtered(form, date.today(), current_settings()).order_by(
        Placement.start_date.desc(), Placement.id
    )
    columns = PROVIDER_COLUMNS if current_user.role is Role.PROVIDER else COMMISSIONER_COLUMNS
    stem = f"placements-{date.today().isoformat()}"
    rows = placement_rows(stmt, columns)
    return table_response(fmt, stem, [column.heading for column in columns], rows)


# ---- one placement --------------------------------------------------------------------------


@bp.route("/<int:placement_id>")
@role_required(*STAFF)
def show_placement(placement_id: int):
    placement = get_visible_or_404(Placement, placement_id)
    today = date.today()
    settings = current_settings()
    reviews = db.session.scalars(
        visible(Review).where(Review.placement_id == placement.id).order_by(Review.review_date)
    ).all()
    requests = db.session.scalars(
        visible(ExtensionRequest)
        .where(ExtensionRequest.placement_id == placement.id)
        .order_by(ExtensionRequest.id)
    ).all()
    last_review = reviews[-1].review_date if reviews else None
    pending = any(r.status.value == "pending" for r in requests)
    view = row_view(placement, last_review, pending, today, settings)
    from apregister.attendance import queries as attendance_queries

    rate = attendance_queries.attendance_rates([placement.id]).get(placement.id)
    lapsed = placement.provider.framework_status in queries.LAPSED
    return render_template(
        "placements/show_placement.html",
        placement=placement,
        view=view,
        status_change=status_reason(placement.provider) if lapsed else None,
        reviews=reviews,
        requests=requests,
        today=today,
        settings=settings,
        is_provider=current_user.role is Role.PROVIDER,
        is_la=current_user.role in LA_ROLES,
        can_manage=current_user.role in COMMISSIONERS,
        sessions=rules.slot_labels(placement.session_mask),
        weeks_planned=rules.weeks_between(placement.start_date, placement.planned_end),
        days_left=rules.days_left(placement.planned_end, today),
        attendance_weeks=attendance_queries.recent_weeks(placement, today),
        attendance_rate=rate,
        arranged_by_la=attendance_queries.arranged_by_la(placement),
    )
