"""Planning a visit, and recording its report (for a planned visit or an unplanned one)."""

from __future__ import annotations

from datetime import date

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from werkzeug.wrappers import Response

from apregister.access import get_visible_or_404, role_required, visible
from apregister.extensions import db
from apregister.forms import int_or_zero
from apregister.inspections import operations
from apregister.inspections.forms import PlanInspectionForm, action_row_count, report_form
from apregister.inspections.views import LA, ON_FRAMEWORK, bp
from apregister.models import LA_ROLES, Inspection, InspectionStatus, Provider, User
from apregister.models.base import utcnow
from apregister.qa.status import current_areas
from apregister.templating import govuk_date


def _framework_providers() -> list[Provider]:
    return list(
        db.session.scalars(
            visible(Provider)
            .where(Provider.framework_status.in_(ON_FRAMEWORK))
            .order_by(Provider.name_key)
        )
    )


def _inspectors(keep: int | None = None) -> list[User]:
    """The LA's own staff who may inspect (an LA-internal list, so not `visible(User)`), and
    whoever a planned visit already names, even if their account has since been closed."""
    wanted = User.active.is_(True)
    if keep is not None:
        wanted = wanted | (User.id == keep)
    return list(
        db.session.scalars(
            select(User).where(User.role.in_(LA_ROLES), wanted).order_by(User.name, User.id)
        )
    )


def _report(inspection: Inspection) -> Response:
    return redirect(url_for(".show_inspection", inspection_id=inspection.id))


# ---- planning a visit -------------------------------------------------------------------------


@bp.route("/new", methods=["GET", "POST"])
@role_required(*LA)
def plan_inspection():
    providers = _framework_providers()
    form = PlanInspectionForm(providers=providers, inspectors=_inspectors(), today=date.today())
    if request.method == "GET":
        form.provider_id.data = request.args.get("provider_id", 0, type=int_or_zero)
        form.inspector_id.data = current_user.id
    if form.validate_on_submit():
        provider = next(p for p in providers if p.id == form.provider_id.data)
        inspection = operations.plan_inspection(
            provider,
            planned_date=form.planned_date.data,
            inspector_id=form.inspector_id.data,
            by=current_user,
        )
        db.session.commit()
        flash(f"Visit to {provider.name} planned for {govuk_date(inspection.planned_date)}")
        return _report(inspection)
    already = (
        operations.planned_visit(form.provider_id.data)
        if form.provider_id.data in {p.id for p in providers}
        else None
    )
    return render_template("inspections/plan_inspection.html", form=form, already=already)


# ---- recording the report -----------------------------------------------------------------


@bp.route("/<int:inspection_id>/record", methods=["GET", "POST"])
@role_required(*LA)
def record_inspection(inspection_id: int):
    inspection = get_visible_or_404(Inspection, inspection_id)
    if inspection.status is not InspectionStatus.PLANNED:
        flash("This report has already been published")
        return _report(inspection)
    return _record(inspection.provider, inspection)


@bp.route("/record", methods=["GET", "POST"])
@role_required(*LA)
def record_unplanned():
    provider = get_visible_or_404(Provider, request.args.get("provider_id", 0, type=int_or_zero))
    if provider.framework_status not in ON_FRAMEWORK:
        flash(f"{provider.name} is not on the framework, so it has no annual inspection")
        return redirect(url_for(".list_inspections"))
    return _record(provider, None)


def _record(provider: Provider, planned: Inspection | None):
    """The report form, then "check your answers", then publish (house pattern: the answers
    travel as hidden fields; confirmed=yes publishes, confirmed=edit goes back to the form)."""
    today = date.today()
    areas = current_areas()
    adding = "add_action" in request.form
    rows = action_row_count(request.form.get("action_rows"), add=adding)
    inspectors = _inspectors(keep=planned.inspector_id if planned else None)
    form = report_form(areas, rows, inspectors=inspectors, today=today)
    if request.method == "GET":
        # the visit's named inspector, else whoever is recording it (still changeable)
        form.inspector_id.data = (planned and planned.inspector_id) or current_user.id
        if planned and planned.planned_date and planned.planned_date <= today:
            form.visit_date.data = planned.planned_date
    elif not adding and form.validate_on_submit() and form.confirmed.data != "edit":
        if form.confirmed.data != "yes":
            return render_template(
                "inspections/check_inspection.html",
                form=form,
                provider=provider,
                inspector=next(u for u in inspectors if u.id == form.inspector_id.data),
                details=form.details(),
            )
        try:
            inspection = operations.publish_inspection(
                provider, form.details(), planned=planned, now=utcnow(), by=current_user
            )
            db.session.commit()
        except (operations.InspectionRefused, IntegrityError):
            # Someone else published this visit a moment ago: theirs stands.
            db.session.rollback()
            flash("This report has already been published")
            return _report(planned) if planned else redirect(url_for(".list_inspections"))
        flash("Report published. The provider can now read it")
        return _report(inspection)
    return render_template(
        "inspections/record_inspection.html",
        form=form,
        provider=provider,
        planned=planned,
        other_planned=None if planned else operations.planned_visit(provider.id),
    )
