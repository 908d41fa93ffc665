"""The inspections list: the LA's work list of providers due a visit, and a provider's
published reports."""

from __future__ import annotations

from calendar import monthrange
from datetime import date

from flask import current_app, render_template
from flask_login import current_user
from sqlalchemy import Select, func

from apregister.access import get_visible_or_404, managed_providers, role_required, visible
from apregister.extensions import db
from apregister.inspections.views import LA, ON_FRAMEWORK, bp
from apregister.models import (
    ActionStatus,
    Inspection,
    InspectionAction,
    InspectionStatus,
    Provider,
    Role,
    User,
)
from apregister.pagination import paginate
from apregister.qa.status import inspection_due_clause, qa_facts, qa_status_of, qa_statuses
from apregister.settings import current_settings


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
