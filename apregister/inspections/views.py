"""Annual QA inspections: the LA's work list, planning and recording visits, the published
report, and the life of each action (the provider marks it done, the LA closes or reopens it)."""

from __future__ import annotations

from calendar import monthrange
from datetime import date

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import Select, func, select
from sqlalchemy.exc import IntegrityError
from werkzeug.wrappers import Response

from apregister.access import get_visible_or_404, managed_providers, role_required, visible
from apregister.extensions import db
from apregister.forms import int_or_zero
from apregister.inspections import operations
from apregister.inspections.forms import (
    PlanInspectionForm,
    action_row_count,
    report_form,
)
from apregister.models import (
    LA_ROLES,
    ActionStatus,
    FrameworkStatus,
    Inspection,
    InspectionAction,
    InspectionStatus,
    Judgement,
    Provider,
    Role,
    User,
)
from apregister.models.base import utcnow
from apregister.pagination import paginate
from apregister.qa.rules import SAFEGUARDING
from apregister.qa.status import (
    current_areas,
    inspection_due_clause,
    qa_facts,
    qa_status_of,
    qa_statuses,
)
from apregister.settings import current_settings
from apregister.templating import govuk_date

bp = Blueprint("inspections", __name__, url_prefix="/inspections")

LA = (Role.LA_LEAD, Role.LA_OFFICER)
ON_FRAMEWORK = (FrameworkStatus.APPROVED, FrameworkStatus.SUSPENDED)


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


# ---- the list ------------------------------------------------------------------------------


@bp.route("")
@role_required(*LA, Role.PROVIDER)
def list_inspections():
    today = date.today()
    settings = current_settings()
    if current_user.role is Role.PROVIDER:
        provider = get_visible_or_404(
            Provider, current_user.organisation_id, scope=managed_providers
        )
        reports = db.session.scalars(
            visible(Inspection).order_by(Inspection.visit_date.desc(), Inspection.id.desc())
        ).all()
        open_actions = dict(
            db.session.execute(
                visible(InspectionAction)
                .with_only_columns(InspectionAction.inspection_id, func.count())
                .where(InspectionAction.status == ActionStatus.OPEN)
                .group_by(InspectionAction.inspection_id)
            ).all()
        )
        actions = db.session.scalars(
            visible(InspectionAction)
            .where(InspectionAction.status == ActionStatus.OPEN)
            .order_by(InspectionAction.due_date, InspectionAction.id)
        ).all()
        return render_template(
            "inspections/list_inspections.html",
            is_la=False,
            provider=provider,
            actions=actions,
            today=today,
            status=qa_statuses([provider], settings, today)[provider.id],
            reports=reports,
            open_actions=open_actions,
        )
    # the work lists read only what they show: no records (each with its provider and
    # inspector) to build for a hundred rows
    planned = db.session.execute(
        visible(Inspection)
        .join(Inspection.provider)
        .outerjoin(Inspection.inspector)
        .with_only_columns(
            Inspection.id,
            Inspection.provider_id,
            Inspection.planned_date,
            Provider.name.label("provider_name"),
            User.name.label("inspector_name"),
        )
        .where(Inspection.status == InspectionStatus.PLANNED)
        .order_by(Inspection.planned_date, Inspection.id)
    ).all()
    to_verify = db.session.execute(
        visible(InspectionAction)
        .join(InspectionAction.inspection)
        .join(Inspection.provider)
        .with_only_columns(
            InspectionAction.id,
            InspectionAction.inspection_id,
            InspectionAction.description,
            InspectionAction.done_on,
            Provider.name.label("provider_name"),
        )
        .where(InspectionAction.status == ActionStatus.DONE)
        .order_by(InspectionAction.done_on, InspectionAction.id)
    ).all()
    per_page = current_app.config["REGISTER_PAGE_SIZE"]
    published = paginate(
        visible(Inspection)
        .join(Inspection.provider)
        .with_only_columns(
            Inspection.id,
            Inspection.visit_date,
            Inspection.overall_outcome,
            Provider.name.label("provider_name"),
        )
        .where(Inspection.status == InspectionStatus.PUBLISHED)
        .order_by(Inspection.visit_date.desc(), Inspection.id.desc()),
        per_page=per_page,
        rows=True,
        anchor="reports",
    )
    # every provider on the framework, a page at a time, each with its QA status
    everyone = paginate(
        _framework(visible(Provider)).order_by(Provider.name_key, Provider.id),
        per_page=per_page,
        rows=True,
        param="providers_page",
        anchor="all-providers",
    )
    everyone.items = [qa_status_of(row, row, settings, today) for row in everyone.items]
    # due by the end of this month: the overdue and the rest of this month's, soonest first
    month_end = date(today.year, today.month, monthrange(today.year, today.month)[1])
    due = [
        qa_status_of(row, row, settings, today)
        for row in db.session.execute(
            _framework(visible(Provider)).where(inspection_due_clause(settings, month_end))
        )
    ]
    by_due = sorted(due, key=lambda s: (s.inspection.due or date.max, s.provider.name_key))
    return render_template(
        "inspections/list_inspections.html",
        is_la=True,
        overdue=[s for s in by_due if s.inspection.overdue],
        due_this_month=[s for s in by_due if s.inspection.due_this_month],
        planned=planned,
        planned_for={inspection.provider_id: inspection for inspection in reversed(planned)},
        everyone=everyone,
        to_verify=to_verify,
        published=published,
    )


def _framework(providers: Select) -> Select:
    """Of `providers`, those on the framework: what the page shows of each and what its QA
    status needs (qa_status_of takes the row for the provider), as plain columns."""
    return providers.where(Provider.framework_status.in_(ON_FRAMEWORK)).with_only_columns(
        Provider.id,
        Provider.name,
        Provider.name_key,
        Provider.framework_status,
        Provider.approved_on,
        *qa_facts(),
    )


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


# ---- the report ------------------------------------------------------------------------------


@bp.route("/<int:inspection_id>")
@role_required(*LA, Role.PROVIDER)
def show_inspection(inspection_id: int):
    inspection = get_visible_or_404(Inspection, inspection_id)
    is_la = current_user.role in LA_ROLES
    safeguarding_not_met = any(
        judgement.area_key == SAFEGUARDING and judgement.judgement is Judgement.NOT_MET
        for judgement in inspection.judgements
    )
    suspend_url = None
    if is_la and safeguarding_not_met:
        suspend_url = url_for(
            "providers.change_framework_status",
            provider_id=inspection.provider_id,
            decision="suspend",
            reason="Safeguarding judged not met at the inspection on "
            + govuk_date(inspection.visit_date),
        )
    return render_template(
        "inspections/show_inspection.html",
        inspection=inspection,
        is_la=is_la,
        is_provider=current_user.role is Role.PROVIDER,
        safeguarding_not_met=safeguarding_not_met,
        suspend_url=suspend_url,
        today=date.today(),
        steps={action.id: _steps_open(action, is_la) for action in inspection.actions},
    )


def _steps_open(action: InspectionAction, is_la: bool) -> set[str]:
    """Which of the action forms this user sees on the report."""
    if is_la:
        return {
            name
            for name, refusal in (
                ("close", operations.close_refusal),
                ("reopen", operations.reopen_refusal),
            )
            if refusal(action) is None
        }
    return {"done"} if operations.done_refusal(action) is None else set()


# the steps of an inspection's actions, on this blueprint
from apregister.inspections import action_views  # noqa: E402, F401
