"""What each user sees first (DESIGN.md): the facts behind each role's home page."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import func, select

from apregister.access import visible
from apregister.extensions import db
from apregister.models import (
    ActionStatus,
    ComplianceDocument,
    DocumentKind,
    FrameworkStatus,
    InspectionAction,
    Placement,
    Provider,
    SelfAssessment,
    SelfAssessmentStatus,
    User,
)
from apregister.pages import queue
from apregister.placements import monitor, queries
from apregister.placements.summaries import rows_for
from apregister.providers.rules import REQUIRED_DOCUMENTS
from apregister.qa.status import qa_statuses
from apregister.settings import current_settings


def expiring_documents(provider_scope, warn_days: int, today: date) -> list[tuple]:
    """(provider, document kind, latest expiry) where even the newest document of that kind
    expires within `warn_days` or has expired; for approved and suspended providers."""
    latest = func.max(ComplianceDocument.expires_on)
    providers = provider_scope.where(
        Provider.framework_status.in_([FrameworkStatus.APPROVED, FrameworkStatus.SUSPENDED])
    ).with_only_columns(Provider.id)
    stmt = (
        select(ComplianceDocument.provider_id, ComplianceDocument.kind, latest)
        .where(
            ComplianceDocument.expires_on.is_not(None),
            ComplianceDocument.provider_id.in_(providers),
        )
        .group_by(ComplianceDocument.provider_id, ComplianceDocument.kind)
        .having(latest <= today + timedelta(days=warn_days))
        .order_by(latest)
    )
    rows = db.session.execute(stmt).all()
    names = {
        provider.id: provider
        for provider in db.session.scalars(
            select(Provider).where(Provider.id.in_({row[0] for row in rows}))
        )
    }
    return [(names[provider_id], kind, expires) for provider_id, kind, expires in rows]


def la_work_queue(user: User, today: date, warn_days: int) -> dict:
    settings = current_settings()
    return {
        "settings": settings,
        "alerts": monitor.registration_alerts(visible(Placement, user), settings, today),
        "placement_items": queue.absence_items(user, today)
        + queue.placement_items(user, settings, today),
        "provider_items": queue.provider_items(user, settings, today),
    }


def school_home(user: User, today: date) -> dict:
    from apregister.attendance.queries import attendance_rates, school_attention_today

    settings = current_settings()
    rows = rows_for(
        visible(Placement, user)
        .where(queries.current_clause(today))
        .order_by(Placement.planned_end, Placement.id),
        today,
        settings,
    )
    rates = attendance_rates([row["placement"].id for row in rows])
    return {
        "rows": rows,
        "rates": rates,
        "attention": school_attention_today(user.organisation_id, today),
        "settings": settings,
        "items": queue.absence_items(user, today, school=True)
        + queue.placement_items(user, settings, today, school=True),
    }


def missing_documents(provider_id: int) -> list[DocumentKind]:
    """The required kinds of document a provider has none of (one query)."""
    held = set(
        db.session.scalars(
            select(ComplianceDocument.kind)
            .where(ComplianceDocument.provider_id == provider_id)
            .distinct()
        )
    )
    return [kind for kind in REQUIRED_DOCUMENTS if kind not in held]


def provider_home(user: User, provider: Provider, today: date, warn_days: int) -> dict:
    from apregister.attendance.queries import provider_sessions_to_record_today
    from apregister.attendance.unrecorded import count_unrecorded

    settings = current_settings()
    counts = db.session.execute(
        select(
            visible(Placement, user)
            .with_only_columns(func.count())
            .where(queries.current_clause(today))
            .scalar_subquery(),
            visible(SelfAssessment, user)
            .with_only_columns(func.count())
            .where(SelfAssessment.status == SelfAssessmentStatus.RETURNED)
            .scalar_subquery(),
            visible(InspectionAction, user)
            .with_only_columns(func.count())
            .where(InspectionAction.status == ActionStatus.OPEN)
            .scalar_subquery(),
        )
    ).one()
    active, returned, open_actions = counts
    on_framework = provider.framework_status in (
        FrameworkStatus.APPROVED,
        FrameworkStatus.SUSPENDED,
    )
    return {
        "provider": provider,
        "to_record": provider_sessions_to_record_today(provider.id, today),
        "unrecorded": count_unrecorded(user, today),
        "active": active,
        "returned": returned,
        "open_actions": open_actions,
        "qa": qa_statuses([provider], settings, today)[provider.id],
        "documents": expiring_documents(
            visible(Provider, user).where(Provider.id == provider.id), warn_days, today
        ),
        "missing": missing_documents(provider.id) if on_framework else [],
    }


def board_home(user: User, today: date) -> dict:
    """The board's first page: the headline measures and what needs its attention, read
    from the dashboard's own figures with its default filters (the same figures, hidden the
    same way), linking to the rest."""
    from apregister.dashboard.presenter import page

    return page(user, today)
