"""The self-assessments list, and a provider starting this year's."""

from __future__ import annotations

from datetime import date

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import Select, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import contains_eager

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
from apregister.self_assessments.views import READERS, bp
from apregister.self_assessments.views.common import _back_to
from apregister.settings import current_settings


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
