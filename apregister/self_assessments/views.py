"""Annual self-assessments: the provider fills one in and submits it, the LA accepts it or returns
it with comments, and every version is kept."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import Select, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import contains_eager
from werkzeug.wrappers import Response

from apregister.access import get_visible_or_404, managed_providers, role_required, visible
from apregister.extensions import db
from apregister.models import (
    Provider,
    Role,
    SelfAssessment,
    SelfAssessmentStatus,
    SelfAssessmentVersion,
)
from apregister.pagination import paginate
from apregister.qa import rules
from apregister.qa.status import qa_statuses
from apregister.self_assessments import operations
from apregister.self_assessments.forms import AreaRef, answers_form, review_form
from apregister.settings import current_settings
from apregister.templating import govuk_date

bp = Blueprint("self_assessments", __name__, url_prefix="/self-assessments")

LA = (Role.LA_LEAD, Role.LA_OFFICER)
READERS = (*LA, Role.PROVIDER)
CONTINUE = "continue"

NOT_EDITABLE = {
    SelfAssessmentStatus.SUBMITTED: "This self-assessment is waiting for the LA's review, "
    "so it cannot be changed now",
    SelfAssessmentStatus.ACCEPTED: "This self-assessment has been accepted, so it cannot be "
    "changed",
}


def _back_to(assessment: SelfAssessment) -> Response:
    return redirect(url_for(".show_self_assessment", self_assessment_id=assessment.id))


def _areas(version: SelfAssessmentVersion) -> list[AreaRef]:
    return [AreaRef(entry.area_key, entry.area_name) for entry in version.entries]


def _latest(column):
    """The latest value of a version's `column` for each self-assessment listed, worked out
    for the rows shown only (a grouped read of every version, joined, was read for the count
    and the keys too)."""
    return (
        select(func.max(column))
        .where(SelfAssessmentVersion.self_assessment_id == SelfAssessment.id)
        .correlate(SelfAssessment)
        .scalar_subquery()
    )


LAST_SUBMITTED = _latest(SelfAssessmentVersion.submitted_at)


def _with_dates(stmt: Select) -> Select:
    """Each row is (self-assessment, last submitted, last reviewed): one query for the list."""
    return stmt.add_columns(LAST_SUBMITTED, _latest(SelfAssessmentVersion.reviewed_at))


def _with_provider(stmt: Select) -> Select:
    """Join the provider once, to sort by its name and load it in the same query."""
    return stmt.join(SelfAssessment.provider).options(contains_eager(SelfAssessment.provider))


# ---- the list ----------------------------------------------------------------------------------


@bp.route("")
@role_required(*READERS)
def list_self_assessments():
    today = date.today()
    if current_user.role is Role.PROVIDER:
        return _provider_list(today)
    waiting = db.session.execute(
        _with_dates(_with_provider(visible(SelfAssessment)))
        .where(SelfAssessment.status == SelfAssessmentStatus.SUBMITTED)
        .order_by(LAST_SUBMITTED, SelfAssessment.id)
    ).all()
    others = paginate(
        _with_dates(_with_provider(visible(SelfAssessment)))
        .where(SelfAssessment.status != SelfAssessmentStatus.SUBMITTED)
        .order_by(SelfAssessment.academic_year.desc(), Provider.name_key, SelfAssessment.id),
        per_page=current_app.config["REGISTER_PAGE_SIZE"],
        rows=True,
    )
    return render_template(
        "self_assessments/list_self_assessments.html",
        is_provider=False,
        waiting=waiting,
        others=others,
    )


def _provider_list(today: date):
    provider = get_visible_or_404(Provider, current_user.organisation_id, scope=managed_providers)
    stmt = _with_dates(visible(SelfAssessment))
    wanted = request.args.get("status")
    chosen = SelfAssessmentStatus(wanted) if wanted in set(SelfAssessmentStatus) else None
    if chosen is not None:
        stmt = stmt.where(SelfAssessment.status == chosen)
    rows = db.session.execute(stmt.order_by(SelfAssessment.academic_year.desc())).all()
    year = rules.academic_year(today)
    status = qa_statuses([provider], current_settings(), today)[provider.id]
    return render_template(
        "self_assessments/list_self_assessments.html",
        is_provider=True,
        rows=rows,
        year=year,
        can_start=chosen is None and all(row[0].academic_year != year for row in rows),
        status_filter=chosen,
        due=status.self_assessment,
    )


@bp.route("/new", methods=["POST"])
@role_required(Role.PROVIDER)
def start_self_assessment():
    provider = get_visible_or_404(Provider, current_user.organisation_id, scope=managed_providers)
    today = date.today()
    try:
        assessment, started = operations.start_self_assessment(
            provider, today=today, by=current_user
        )
        db.session.commit()
    except operations.SelfAssessmentRefused as refused:
        db.session.rollback()
        flash(str(refused))
        return redirect(url_for(".list_self_assessments"))
    except IntegrityError:
        # Started twice at the same moment: the first one won; carry on with it.
        db.session.rollback()
        assessment = db.session.scalars(
            visible(SelfAssessment).where(
                SelfAssessment.academic_year == rules.academic_year(today)
            )
        ).first()
        if assessment is None:
            raise
        started = False
    if started:
        flash(f"Self-assessment for {assessment.academic_year} started")
    if assessment.status in operations.EDITABLE:
        return redirect(url_for(".edit_self_assessment", self_assessment_id=assessment.id))
    return _back_to(assessment)


# ---- one self-assessment -------------------------------------------------------------------------


@bp.route("/<int:self_assessment_id>")
@role_required(*READERS)
def show_self_assessment(self_assessment_id: int):
    assessment = get_visible_or_404(SelfAssessment, self_assessment_id)
    is_provider = current_user.role is Role.PROVIDER
    # The LA sees what was submitted, not a revision the provider has not sent yet.
    versions = [v for v in assessment.versions if is_provider or v.submitted_at is not None]
    number = request.args.get("version", type=int)
    if number is None:
        shown = versions[-1] if versions else None
    else:
        shown = next((v for v in versions if v.number == number), None)
        if shown is None:
            abort(404)
    reviewed = shown if shown is not None and shown.reviewed_at is not None else None
    if reviewed is None and shown is not None and shown is operations.working_version(assessment):
        reviewed = operations.last_reviewed(assessment)  # what the provider is answering
    next_due = (
        rules.next_self_assessment_due(assessment.accepted_on, None, 0)
        if assessment.accepted_on
        else None
    )
    return render_template(
        "self_assessments/show_self_assessment.html",
        assessment=assessment,
        versions=versions,
        shown=shown,
        latest=versions[-1] if versions else None,
        reviewed=reviewed,
        comments={e.area_key: e.la_comment for e in reviewed.entries} if reviewed else {},
        next_due=next_due,
        is_provider=is_provider,
        can_edit=is_provider and assessment.status in operations.EDITABLE,
        can_review=not is_provider and assessment.status is SelfAssessmentStatus.SUBMITTED,
    )


def _editable(self_assessment_id: int) -> tuple[SelfAssessment, Response | None]:
    """The provider's own self-assessment, and where to go instead if it cannot be changed."""
    assessment = get_visible_or_404(SelfAssessment, self_assessment_id)
    if assessment.status not in operations.EDITABLE:
        flash(NOT_EDITABLE[assessment.status])
        return assessment, _back_to(assessment)
    return assessment, None


@bp.route("/<int:self_assessment_id>/edit", methods=["GET", "POST"])
@role_required(Role.PROVIDER)
def edit_self_assessment(self_assessment_id: int):
    assessment, elsewhere = _editable(self_assessment_id)
    if elsewhere:
        return elsewhere
    source = operations.working_version(assessment) or assessment.versions[-1]
    reviewed = (
        operations.last_reviewed(assessment)
        if assessment.status is SelfAssessmentStatus.RETURNED
        else None
    )
    going_on = request.form.get("action") == CONTINUE
    form = answers_form(
        _areas(source),
        entries=source.entries if request.method == "GET" else None,
        complete=going_on,
    )
    if form.validate_on_submit():
        try:
            operations.save_answers(assessment, form.answers(), by=current_user)
        except operations.SelfAssessmentRefused as refused:
            db.session.rollback()
            flash(str(refused))
            return _back_to(assessment)
        db.session.commit()
        if going_on:
            return redirect(url_for(".check_self_assessment", self_assessment_id=assessment.id))
        flash("Your self-assessment has been saved as a draft. It has not been sent to the LA")
        return _back_to(assessment)
    return render_template(
        "self_assessments/edit_self_assessment.html",
        form=form,
        assessment=assessment,
        reviewed=reviewed,
        comments={e.area_key: e.la_comment for e in reviewed.entries} if reviewed else {},
    )


@bp.route("/<int:self_assessment_id>/check", methods=["GET", "POST"])
@role_required(Role.PROVIDER)
def check_self_assessment(self_assessment_id: int):
    assessment, elsewhere = _editable(self_assessment_id)
    if elsewhere:
        return elsewhere
    version = operations.working_version(assessment)
    to_edit = redirect(url_for(".edit_self_assessment", self_assessment_id=assessment.id))
    if version is None or not operations.is_complete(version.entries):
        flash(operations.INCOMPLETE)
        return to_edit
    form = FlaskForm()
    if form.validate_on_submit():
        try:
            operations.submit_self_assessment(assessment, by=current_user)
        except operations.SelfAssessmentRefused as refused:
            db.session.rollback()
            flash(str(refused))
            return to_edit if refused.field == operations.ANSWERS else _back_to(assessment)
        db.session.commit()
        flash("Self-assessment submitted. The LA will review it and tell you the outcome")
        return _back_to(assessment)
    return render_template(
        "self_assessments/check_self_assessment.html",
        form=form,
        assessment=assessment,
        version=version,
    )


@bp.route("/<int:self_assessment_id>/review", methods=["GET", "POST"])
@role_required(*LA)
def review_self_assessment(self_assessment_id: int):
    assessment = get_visible_or_404(SelfAssessment, self_assessment_id)
    if assessment.status is not SelfAssessmentStatus.SUBMITTED:
        flash("This self-assessment is not waiting for review")
        return _back_to(assessment)
    version = assessment.versions[-1]
    form = review_form(_areas(version))
    if form.validate_on_submit():
        today = date.today()
        try:
            operations.review_self_assessment(
                assessment,
                accept=form.accept,
                comments=form.comments(),
                overall=form.review_comment.data,
                today=today,
                by=current_user,
            )
        except operations.SelfAssessmentRefused as refused:
            db.session.rollback()
            if refused.field is None:
                flash(str(refused))
                return _back_to(assessment)
            field = form[refused.field]
            field.errors = [*field.errors, str(refused)]
        else:
            db.session.commit()
            if form.accept:
                due = rules.next_self_assessment_due(today, None, 0)
                flash(f"Self-assessment accepted. The next one is due by {govuk_date(due)}")
            else:
                flash("Self-assessment returned to the provider with your comments")
            return _back_to(assessment)
    return render_template(
        "self_assessments/review_self_assessment.html",
        form=form,
        assessment=assessment,
        version=version,
        previous=operations.last_reviewed(assessment),
    )
