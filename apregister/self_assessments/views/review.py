"""One self-assessment: its page, and the LA's review (accept it, or return it with comments)."""

from __future__ import annotations

from datetime import date

from flask import abort, flash, render_template, request
from flask_login import current_user

from apregister.access import get_visible_or_404, role_required
from apregister.extensions import db
from apregister.models import Role, SelfAssessment, SelfAssessmentStatus
from apregister.qa import rules
from apregister.self_assessments import operations
from apregister.self_assessments.forms import review_form
from apregister.self_assessments.views import LA, READERS, bp
from apregister.self_assessments.views.common import _areas, _back_to
from apregister.templating import govuk_date


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
