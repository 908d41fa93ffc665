"""Commissioning: adding a placement (at any provider on the register, with the check page's
questions and warnings), adding a setting that is not on the register, and the LA's review of
a placement made off the framework."""

from __future__ import annotations

import uuid
from datetime import date

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy.exc import IntegrityError
from werkzeug.wrappers import Response

from apregister.access import (
    get_visible_or_404,
    managed_pupils,
    placeable_providers,
    role_required,
    visible,
    visible_status_changes,
)
from apregister.extensions import db
from apregister.forms import int_or_zero
from apregister.models import (
    LA_ROLES,
    FrameworkStatusChange,
    LaSettings,
    Placement,
    PlacementReason,
    Provider,
    Pupil,
    Role,
)
from apregister.placements import operations, rules, warnings
from apregister.placements.forms import OffFrameworkReviewForm, PlacementForm
from apregister.placements.views import bp
from apregister.settings import current_settings

COMMISSIONERS = (Role.LA_LEAD, Role.LA_OFFICER, Role.SCHOOL)


def status_reason(provider: Provider) -> FrameworkStatusChange | None:
    """The change that put a provider in its present status, if this user may read it."""
    return db.session.scalars(
        visible_status_changes(current_user)
        .where(
            FrameworkStatusChange.provider_id == provider.id,
            FrameworkStatusChange.to_status == provider.framework_status,
        )
        .order_by(FrameworkStatusChange.id.desc())
        .limit(1)
    ).first()


# More pupils than this and the form lists none: the user finds the pupil first (a search on
# /pupils) and starts from their page. An LA manages every pupil: 166,000 in a large one.
PUPILS_LISTED = 100


def _choices(chosen_pupil: int) -> tuple[list[Pupil], list[Provider], LaSettings, bool]:
    """The form's pupils, providers and settings, and whether there were too many pupils to
    list (then only the pupil chosen on their page is offered)."""
    in_order = managed_pupils(current_user).order_by(Pupil.last_name, Pupil.first_name, Pupil.id)
    pupils = list(db.session.scalars(in_order.limit(PUPILS_LISTED + 1)))
    too_many = len(pupils) > PUPILS_LISTED
    if too_many:
        pupils = list(db.session.scalars(in_order.where(Pupil.id == chosen_pupil)))
    providers = db.session.scalars(placeable_providers(current_user).order_by(Provider.name_key))
    return pupils, list(providers), current_settings(), too_many


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
        off_framework_reason=form.off_framework_reason.data,
        confirmed_status=bool(form.confirmed_status.data),
        warnings_reason=form.warnings_reason.data,
    )


def _check_page(form: PlacementForm, pupil: Pupil, provider: Provider, settings, found):
    end = form.planned_end.data or rules.default_planned_end(
        form.start_date.data, settings.placement_weeks
    )
    return render_template(
        "placements/check_placement.html",
        form=form,
        pupil=pupil,
        provider=provider,
        kind=provider.framework_status.off_framework_kind,
        status_change=status_reason(provider),
        warnings=found,
        end=end,
        longer=rules.planned_beyond(form.start_date.data, end, settings.placement_weeks),
        standard_end=rules.default_planned_end(form.start_date.data, settings.placement_weeks),
        is_la=current_user.role in LA_ROLES,
        sessions=rules.slot_labels(rules.mask_from(form.sessions.data)),
    )


@bp.route("/new", methods=["GET", "POST"])
@role_required(*COMMISSIONERS)
def add_placement():
    values = request.args if request.method == "GET" else request.form
    chosen = int_or_zero(values.get("pupil_id", 0))
    pupils, providers, settings, too_many = _choices(chosen)
    if too_many and not pupils and request.method == "GET":
        flash("Find the pupil first, then choose ‘Add a placement’ on their page")
        return redirect(url_for("pupils.list_pupils"))
    form = PlacementForm(pupils=pupils, providers=providers)
    if request.method == "GET":
        form.submission_key.data = str(uuid.uuid4())
        form.pupil_id.data = request.args.get("pupil_id", 0, type=int_or_zero)
        form.provider_id.data = request.args.get("provider_id", 0, type=int_or_zero)
        return render_template("placements/add_placement.html", form=form)
    if not form.validate_on_submit() or form.confirmed.data == "edit":
        return render_template("placements/add_placement.html", form=form)
    pupil = get_visible_or_404(Pupil, form.pupil_id.data, scope=managed_pupils)
    provider = get_visible_or_404(Provider, form.provider_id.data, scope=placeable_providers)
    refusal = operations.policy_refusal(provider, settings)
    if refusal:
        form.provider_id.errors.append(refusal)
        return render_template("placements/add_placement.html", form=form)
    today = date.today()
    found = warnings.for_new_placement(
        pupil,
        provider,
        start=form.start_date.data,
        end=form.planned_end.data
        or rules.default_planned_end(form.start_date.data, settings.placement_weeks),
        session_mask=rules.mask_from(form.sessions.data),
        hours_per_week=form.hours_per_week.data,
        full_time=form.full_time.data == "full",
        settings=settings,
        today=today,
        user=current_user,
    )
    if form.confirmed.data != "yes":
        return _check_page(form, pupil, provider, settings, found)
    try:
        placement = operations.add_placement(
            pupil,
            _details(form),
            commissioner_id=current_user.organisation_id,
            submission_key=form.submission_key.data or None,
            settings=settings,
            today=today,
            by=current_user,
            warnings=found,
        )
        db.session.commit()
    except operations.PlacementRefused as refused:
        db.session.rollback()
        field = form._fields.get(refused.field or "", form.provider_id)
        field.errors = [*field.errors, str(refused)]
        if field.name in PlacementForm.CHECK_FIELDS:
            return _check_page(form, pupil, provider, settings, found)
        return render_template("placements/add_placement.html", form=form)
    except IntegrityError:
        # The same form sent twice at the same moment: the first one won.
        db.session.rollback()
        placement = db.session.scalars(
            visible(Placement).where(Placement.submission_key == form.submission_key.data)
        ).first()
        if placement is None:
            raise
        return _show(placement)
    flash(_added_message(placement))
    return _show(placement)


def _added_message(placement: Placement) -> str:
    message = "Placement added"
    if placement.off_framework:
        message += ". It is off the framework, so the LA will review it"
    pending = [r for r in placement.extension_requests if r.decided_on is None]
    if pending:
        message += ". The weeks past the standard length wait for the LA's agreement"
    return message


def _show(placement: Placement) -> Response:
    return redirect(url_for(".show_placement", placement_id=placement.id))


@bp.route("/<int:placement_id>/off-framework-review", methods=["GET", "POST"])
@role_required(Role.LA_LEAD, Role.LA_OFFICER)
def review_off_framework(placement_id: int):
    placement = get_visible_or_404(Placement, placement_id)
    form = OffFrameworkReviewForm()
    if not placement.off_framework or placement.off_framework_reviewed_on is not None:
        flash(
            "This placement has already been reviewed"
            if placement.off_framework
            else "This placement is on the framework: there is nothing to review"
        )
        return _show(placement)
    if form.validate_on_submit():
        try:
            operations.review_off_framework(
                placement, note=form.note.data, today=date.today(), by=current_user
            )
        except operations.PlacementRefused as refused:
            db.session.rollback()
            flash(str(refused))
        else:
            db.session.commit()
            flash("Review recorded. The placement has left the work queue")
        return _show(placement)
    return render_template(
        "placements/review_off_framework.html",
        form=form,
        placement=placement,
        status_change=status_reason(placement.provider),
    )
