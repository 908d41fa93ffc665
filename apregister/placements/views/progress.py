"""Reviews, extension requests and decisions, ending and cancelling a placement."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response

from apregister.access import (
    get_visible_or_404,
    managed_placements,
    role_required,
    visible,
)
from apregister.extensions import db
from apregister.models import (
    Attendance,
    ExtensionRequest,
    ExtensionStatus,
    Placement,
    PlacementOutcome,
    ReviewDecision,
    Role,
)
from apregister.placements import operations, rules, warnings
from apregister.placements.progress_forms import (
    APPROVE,
    CancelPlacementForm,
    EndPlacementForm,
    ExtensionDecisionForm,
    ExtensionRequestForm,
    review_form,
)
from apregister.placements.views import bp
from apregister.settings import current_settings
from apregister.templating import govuk_date

LA = (Role.LA_LEAD, Role.LA_OFFICER)
COMMISSIONERS = (*LA, Role.SCHOOL)


def _managed(placement_id: int) -> Placement:
    return get_visible_or_404(Placement, placement_id, scope=managed_placements)


def _back_to(placement: Placement) -> Response:
    return redirect(url_for(".show_placement", placement_id=placement.id))


def closed_notice(placement: Placement, *, for_review: bool = False) -> str | None:
    """Why nothing more can happen to this placement, or None. A placement that has ended
    may still have a review recorded (dated on or before its end)."""
    if placement.cancelled_on is not None:
        return f"This placement was cancelled on {govuk_date(placement.cancelled_on)}"
    if placement.actual_end is not None and not for_review:
        return f"This placement ended on {govuk_date(placement.actual_end)}"
    return None


def refusal_notice(form: FlaskForm, refused: operations.PlacementRefused, first: str) -> None:
    """Put the operation's message on its field (or on the form's first field); undo anything
    it may have started, so nothing is written."""
    db.session.rollback()
    field = form._fields.get(refused.field or "", form[first])
    field.errors = [*field.errors, str(refused)]


def _attendance_rate(placement: Placement, until: date) -> tuple[Decimal | None, int]:
    """Present sessions as a share of expected ones, up to `until`; and how many were recorded."""
    codes = db.session.scalars(
        visible(Attendance)
        .with_only_columns(Attendance.code)
        .where(Attendance.placement_id == placement.id, Attendance.date <= until)
    ).all()
    return rules.attendance_rate(codes), len(codes)


# ---- reviews -----------------------------------------------------------------------------------


@bp.route("/<int:placement_id>/reviews/new", methods=["GET", "POST"])
@role_required(*COMMISSIONERS)
def add_review(placement_id: int):
    placement = _managed(placement_id)
    closed = closed_notice(placement, for_review=True)
    if closed:
        flash(f"{closed}, so it cannot be reviewed")
        return _back_to(placement)
    today = date.today()
    form = review_form(
        placement.objective_list,
        start=placement.start_date,
        today=today,
        ended=placement.actual_end,
    )
    if form.validate_on_submit():
        decision = ReviewDecision(form.decision.data)
        rate, _ = _attendance_rate(placement, form.review_date.data)
        try:
            operations.record_review(
                placement,
                review_date=form.review_date.data,
                progress=form.progress(),
                notes=form.notes.data,
                decision=decision,
                attendance_rate=rate,
                by=current_user,
            )
        except operations.PlacementRefused as refused:
            refusal_notice(form, refused, "review_date")
        else:
            db.session.commit()
            flash("Review saved")
            if decision is ReviewDecision.EXTEND:
                return redirect(url_for(".request_extension", placement_id=placement.id))
            if decision is ReviewDecision.END:
                return redirect(url_for(".end_placement", placement_id=placement.id))
            return _back_to(placement)
    rate, recorded = _attendance_rate(placement, today)
    return render_template(
        "placements/add_review.html",
        form=form,
        placement=placement,
        attendance_rate=rate,
        sessions_recorded=recorded,
        today=today,
    )


# ---- extensions --------------------------------------------------------------------------------


def _pending(placement: Placement) -> ExtensionRequest | None:
    return db.session.scalars(
        visible(ExtensionRequest).where(
            ExtensionRequest.placement_id == placement.id,
            ExtensionRequest.status == ExtensionStatus.PENDING,
        )
    ).first()


@bp.route("/<int:placement_id>/extension", methods=["GET", "POST"])
@role_required(*COMMISSIONERS)
def request_extension(placement_id: int):
    placement = _managed(placement_id)
    closed = closed_notice(placement)
    if closed:
        flash(f"{closed}, so it cannot be extended")
        return _back_to(placement)
    today = date.today()
    form = ExtensionRequestForm(planned_end=placement.planned_end)
    if form.validate_on_submit():
        try:
            operations.request_extension(
                placement,
                new_end=form.new_end.data,
                reason=form.reason.data,
                today=today,
                by=current_user,
            )
        except operations.PlacementRefused as refused:
            refusal_notice(form, refused, "new_end")
        else:
            db.session.commit()
            flash(
                "Extension requested. The planned end date stays "
                f"{govuk_date(placement.planned_end)} until the LA approves it"
            )
            return _back_to(placement)
    return render_template(
        "placements/request_extension.html",
        form=form,
        placement=placement,
        pending=_pending(placement),
        weeks_planned=rules.weeks_between(placement.start_date, placement.planned_end),
        is_la=current_user.role in LA,
    )


@bp.route("/<int:placement_id>/extensions/<int:request_id>/decision", methods=["GET", "POST"])
@role_required(*LA)
def decide_extension(placement_id: int, request_id: int):
    placement = _managed(placement_id)
    extension = get_visible_or_404(ExtensionRequest, request_id)
    if extension.placement_id != placement.id:
        abort(404)
    form = ExtensionDecisionForm()
    today = date.today()
    found = (
        warnings.for_extension(
            placement, extension.new_end, current_settings(), today, user=current_user
        )
        if extension.status is ExtensionStatus.PENDING
        else []
    )
    if form.validate_on_submit():
        approve = form.decision.data == APPROVE
        try:
            operations.decide_extension(
                extension,
                approve=approve,
                reason=form.reason.data,
                today=today,
                by=current_user,
                warnings=found if approve else [],
            )
        except operations.PlacementRefused as refused:
            refusal_notice(form, refused, "decision")
        else:
            db.session.commit()
            if approve:
                flash(
                    "Extension approved. The planned end date is now "
                    f"{govuk_date(extension.new_end)}"
                )
            else:
                flash(
                    "Extension declined. The planned end date stays "
                    f"{govuk_date(placement.planned_end)}"
                )
            return _back_to(placement)
    return render_template(
        "placements/decide_extension.html",
        form=form,
        placement=placement,
        extension=extension,
        pending=extension.status is ExtensionStatus.PENDING,
        warnings=found,
        weeks_now=rules.weeks_between(placement.start_date, placement.planned_end),
        weeks_requested=rules.weeks_between(placement.start_date, extension.new_end),
    )


# ---- ending and cancelling ----------------------------------------------------------------------


@bp.route("/<int:placement_id>/end", methods=["GET", "POST"])
@role_required(*COMMISSIONERS)
def end_placement(placement_id: int):
    placement = _managed(placement_id)
    closed = closed_notice(placement)
    if closed:
        flash(f"{closed}, so it cannot be ended again")
        return _back_to(placement)
    today = date.today()
    form = EndPlacementForm(start=placement.start_date, today=today)
    checking = False
    if form.validate_on_submit() and form.confirmed.data != "edit":
        if form.confirmed.data != "yes":
            checking = True
        else:
            try:
                operations.end_placement(
                    placement,
                    actual_end=form.actual_end.data,
                    outcome=PlacementOutcome(form.outcome.data),
                    notes=form.outcome_notes.data,
                )
            except operations.PlacementRefused as refused:
                refusal_notice(form, refused, "actual_end")
            else:
                db.session.commit()
                flash("Placement ended")
                return _back_to(placement)
    return render_template(
        "placements/end_placement.html",
        form=form,
        placement=placement,
        checking=checking,
        started=placement.start_date <= today,
    )


@bp.route("/<int:placement_id>/cancel", methods=["GET", "POST"])
@role_required(*COMMISSIONERS)
def cancel_placement(placement_id: int):
    placement = _managed(placement_id)
    closed = closed_notice(placement)
    if closed:
        flash(f"{closed}, so it cannot be cancelled")
        return _back_to(placement)
    today = date.today()
    form = CancelPlacementForm()
    if form.validate_on_submit():
        try:
            operations.cancel_placement(placement, reason=form.reason.data, today=today)
        except operations.PlacementRefused as refused:
            refusal_notice(form, refused, "reason")
        else:
            db.session.commit()
            flash("Placement cancelled")
            return _back_to(placement)
    return render_template(
        "placements/cancel_placement.html",
        form=form,
        placement=placement,
        started=placement.start_date <= today,
    )
