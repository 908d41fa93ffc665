"""The placement list, adding a placement, the placement page and the CSV export."""

from __future__ import annotations

import uuid
from datetime import date

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import and_, func, select
from sqlalchemy.exc import IntegrityError

from apregister.access import (
    get_visible_or_404,
    managed_pupils,
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
from apregister.forms import names_of
from apregister.models import (
    LA_ROLES,
    REGISTERED_TYPES,
    ExtensionRequest,
    FrameworkStatus,
    Placement,
    PlacementReason,
    PlacementStatus,
    Provider,
    Pupil,
    Review,
    Role,
    School,
)
from apregister.pagination import export_url, paginate
from apregister.placements import operations, queries, rules
from apregister.placements.forms import PlacementFilterForm, PlacementForm
from apregister.placements.summaries import row_view, with_flags
from apregister.placements.views import bp
from apregister.settings import current_settings

STAFF = (Role.LA_LEAD, Role.LA_OFFICER, Role.SCHOOL, Role.PROVIDER)
COMMISSIONERS = (Role.LA_LEAD, Role.LA_OFFICER, Role.SCHOOL)


# ---- the list ----------------------------------------------------------------------------------


def _filter_form() -> PlacementFilterForm:
    providers = schools = ()
    if current_user.role is not Role.PROVIDER:
        providers = names_of(visible(Provider).order_by(Provider.name_key))
    if current_user.role in LA_ROLES:
        schools = names_of(visible(School).order_by(School.name))
    form = PlacementFilterForm(formdata=request.args, providers=providers, schools=schools)
    if current_user.role is Role.PROVIDER:
        del form.provider_id
    if current_user.role not in LA_ROLES:
        del form.school_id
    return form


def _filtered(form: PlacementFilterForm, today: date):
    settings = current_settings()
    stmt = visible(Placement)
    if form.status.data in {status.value for status in PlacementStatus}:
        stmt = stmt.where(queries.status_clause(PlacementStatus(form.status.data), today))
    if "provider_id" in form and form.provider_id.data:
        stmt = stmt.where(Placement.provider_id == form.provider_id.data)
    if "school_id" in form and form.school_id.data:
        stmt = stmt.where(Placement.school_id == form.school_id.data)
    if form.reason.data in {reason.value for reason in PlacementReason}:
        stmt = stmt.where(Placement.reason == PlacementReason(form.reason.data))
    if form.past_12_weeks.data:
        stmt = stmt.where(queries.past_weeks_clause(settings.placement_weeks, today))
    if form.review_overdue.data:
        stmt = stmt.where(queries.review_overdue_clause(settings.review_interval_days, today))
    if form.extension_pending.data:
        stmt = stmt.where(queries.extension_pending_clause())
    return stmt


@bp.route("")
@role_required(*STAFF)
def list_placements():
    today = date.today()
    settings = current_settings()
    form = _filter_form()
    page = paginate(
        with_flags(_filtered(form, today)).order_by(
            Placement.start_date.desc(), Placement.id.desc()
        ),
        per_page=current_app.config["REGISTER_PAGE_SIZE"],
        rows=True,
    )
    return render_template(
        "placements/list_placements.html",
        form=form,
        page=page,
        rows=[row_view(p, last, pending, today, settings) for p, last, pending in page.items],
        export_url=export_url(".export_placements"),
        is_provider=current_user.role is Role.PROVIDER,
        is_la=current_user.role in LA_ROLES,
        can_add=current_user.role in COMMISSIONERS,
    )


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
    stmt = _filtered(form, date.today()).order_by(Placement.start_date.desc(), Placement.id)
    columns = PROVIDER_COLUMNS if current_user.role is Role.PROVIDER else COMMISSIONER_COLUMNS
    stem = f"placements-{date.today().isoformat()}"
    rows = placement_rows(stmt, columns)
    return table_response(fmt, stem, [column.heading for column in columns], rows)


# ---- adding a placement --------------------------------------------------------------------


def _choices_for_form():
    settings = current_settings()
    pupils = db.session.scalars(
        managed_pupils(current_user).order_by(Pupil.last_name, Pupil.first_name)
    ).all()
    allowed = Provider.framework_status == FrameworkStatus.APPROVED
    if settings.allow_registered_off_framework:
        allowed = allowed | and_(
            Provider.registration_type.in_(REGISTERED_TYPES),
            Provider.framework_status.not_in([FrameworkStatus.SUSPENDED, FrameworkStatus.REMOVED]),
        )
    providers = db.session.scalars(select(Provider).where(allowed).order_by(Provider.name_key))
    return pupils, providers.all(), settings


def _details(form: PlacementForm) -> operations.PlacementDetails:
    return operations.PlacementDetails(
        provider_id=form.provider_id.data,
        reason=PlacementReason(form.reason.data),
        start_date=form.start_date.data,
        planned_end=form.planned_end.data,
        session_mask=rules.mask_from(form.sessions.data),
        hours_per_week=form.hours_per_week.data,
        full_time=form.full_time.data == "full",
        cost_per_week=form.cost_per_week.data,
        objectives=form.objectives.data,
        reintegration_plan=form.reintegration_plan.data,
    )


@bp.route("/new", methods=["GET", "POST"])
@role_required(*COMMISSIONERS)
def add_placement():
    pupils, providers, settings = _choices_for_form()
    form = PlacementForm(pupils=pupils, providers=providers)
    if request.method == "GET":
        form.submission_key.data = str(uuid.uuid4())
        form.pupil_id.data = request.args.get("pupil_id", 0, type=int)
    elif form.validate_on_submit() and form.confirmed.data != "edit":
        pupil = get_visible_or_404(Pupil, form.pupil_id.data, scope=managed_pupils)
        if form.confirmed.data != "yes":
            return render_template(
                "placements/check_placement.html",
                form=form,
                pupil=pupil,
                provider=next(p for p in providers if p.id == form.provider_id.data),
                end=form.planned_end.data
                or rules.default_planned_end(form.start_date.data, settings.placement_weeks),
                sessions=rules.slot_labels(rules.mask_from(form.sessions.data)),
            )
        try:
            placement = operations.add_placement(
                pupil,
                _details(form),
                commissioner_id=current_user.organisation_id,
                submission_key=form.submission_key.data or None,
                settings=settings,
                today=date.today(),
                by=current_user,
            )
            db.session.commit()
        except operations.PlacementRefused as refused:
            db.session.rollback()
            form._fields.get(refused.field or "", form.provider_id).errors.append(str(refused))
        except IntegrityError:
            # The same form sent twice at the same moment: the first one won.
            db.session.rollback()
            placement = db.session.scalars(
                visible(Placement).where(Placement.submission_key == form.submission_key.data)
            ).first()
            if placement is None:
                raise
            return redirect(url_for(".show_placement", placement_id=placement.id))
        else:
            flash("Placement added")
            return redirect(url_for(".show_placement", placement_id=placement.id))
    return render_template("placements/add_placement.html", form=form)


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
    return render_template(
        "placements/show_placement.html",
        placement=placement,
        view=view,
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
    )
