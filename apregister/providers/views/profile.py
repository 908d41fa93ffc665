"""The provider page."""

from __future__ import annotations

from datetime import date

from flask import render_template
from flask_login import current_user
from sqlalchemy import func, null, select

from apregister.access import get_visible_or_404, role_required, sees_whole_profile, visible
from apregister.extensions import db
from apregister.models import (
    LA_ROLES,
    ComplianceDocument,
    FrameworkStatusChange,
    Inspection,
    InspectionStatus,
    Placement,
    Provider,
    Role,
)
from apregister.placements.queries import current_clause
from apregister.providers import operations, rules
from apregister.providers.views import bp
from apregister.providers.views.common import warn_days
from apregister.providers.views.register import SIGNED_IN_STAFF
from apregister.providers.views.timeline import TimelineItem, _qa_timeline
from apregister.qa.status import qa_status_columns, qa_status_of
from apregister.settings import current_settings


@bp.route("/<int:provider_id>")
@role_required(*SIGNED_IN_STAFF)
def show_provider(provider_id: int):
    provider = get_visible_or_404(Provider, provider_id)
    today = date.today()
    whole = sees_whole_profile(current_user, provider)
    documents, history, checklist = [], [], None
    if whole:
        documents = db.session.scalars(
            visible(ComplianceDocument)
            .where(ComplianceDocument.provider_id == provider.id)
            .order_by(ComplianceDocument.kind, ComplianceDocument.expires_on.desc())
        ).all()
        history = db.session.scalars(
            visible(FrameworkStatusChange)
            .where(FrameworkStatusChange.provider_id == provider.id)
            .order_by(FrameworkStatusChange.id.desc())
        ).all()
    is_own = current_user.role is Role.PROVIDER and current_user.organisation_id == provider.id
    is_la = current_user.role in LA_ROLES
    if is_la:
        checklist = operations.checklist_for(provider, today, documents)
    # The provider's QA: all of it for LA roles and the provider itself, the published status
    # only for schools, nothing for other providers; read in one statement with the count of
    # its current placements (LA roles).
    facts = None
    if is_la or is_own or current_user.role is Role.SCHOOL:
        facts = db.session.execute(
            select(
                *qa_status_columns(provider.id),
                *_last_published_inspection(provider.id),
                (_current_placements(provider.id, today) if is_la else null()).label("current"),
            )
        ).one()
    qa_status = last_inspection = None
    if facts is not None:
        qa_status = qa_status_of(provider, facts, current_settings(), today)
        if facts.last_inspection_id is not None:
            last_inspection = facts
    timeline: list[TimelineItem] = []
    if is_la or is_own:
        timeline = _qa_timeline(provider, today)
    return render_template(
        "providers/show_provider.html",
        provider=provider,
        whole=whole,
        is_la=is_la,
        is_own=is_own,
        qa_status=qa_status,
        last_inspection=last_inspection,
        timeline=timeline,
        open_actions=sum(item.open for item in timeline),
        documents=[
            (doc, rules.document_state(doc.expires_on, today, warn_days())) for doc in documents
        ],
        history=history,
        checklist=checklist,
        # a provider's users decide only for their own provider (withdrawing it)
        decisions=rules.decisions_open_to(current_user.role, provider.framework_status)
        if is_la or is_own
        else [],
        current_placements=facts.current if facts is not None else None,
    )


def _last_published_inspection(provider_id: int) -> tuple:
    """The id, date and outcome of the last published visit, as columns: the status a school
    may know, so only these are read, never findings or actions."""
    latest = (
        select(Inspection.id)
        .where(
            Inspection.provider_id == provider_id,
            Inspection.status == InspectionStatus.PUBLISHED,
        )
        .order_by(Inspection.visit_date.desc().nulls_last(), Inspection.id.desc())
        .limit(1)
    )
    return (
        latest.scalar_subquery().label("last_inspection_id"),
        latest.with_only_columns(Inspection.visit_date).scalar_subquery().label("visit_date"),
        latest.with_only_columns(Inspection.overall_outcome)
        .scalar_subquery()
        .label("overall_outcome"),
    )


def _current_placements(provider_id: int, today: date):
    """How many placements at the provider are planned or running today."""
    return (
        visible(Placement)
        .with_only_columns(func.count())
        .where(Placement.provider_id == provider_id, current_clause(today))
        .scalar_subquery()
    )
