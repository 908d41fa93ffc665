"""The provider filling one in: its answers, then a check before it is submitted."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response

from apregister.access import get_visible_or_404, role_required
from apregister.extensions import db
from apregister.models import Role, SelfAssessment, SelfAssessmentStatus
from apregister.self_assessments import operations
from apregister.self_assessments.forms import answers_form
from apregister.self_assessments.views import bp
from apregister.self_assessments.views.common import _areas, _back_to

CONTINUE = "continue"

NOT_EDITABLE = {
    SelfAssessmentStatus.SUBMITTED: "This self-assessment is waiting for the LA's review, "
    "so it cannot be changed now",
    SelfAssessmentStatus.ACCEPTED: "This self-assessment has been accepted, so it cannot be "
    "changed",
}


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
