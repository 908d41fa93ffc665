"""What each user sees first (DESIGN.md): the facts behind each role's home page."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import func, select

from apregister.access import visible
from apregister.extensions import db
from apregister.models import (
    ComplianceDocument,
    FrameworkStatus,
    Placement,
    Provider,
    User,
)
from apregister.placements import monitor, queries
from apregister.placements.summaries import rows_for
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
    scope = visible(Placement, user)
    applications = db.session.scalar(
        visible(Provider, user)
        .with_only_columns(func.count())
        .where(Provider.framework_status == FrameworkStatus.APPLIED)
    )
    return {
        "settings": settings,
        "alerts": monitor.registration_alerts(scope, settings, today),
        "overruns": monitor.unregistered_overruns(scope, settings, today),
        "counts": monitor.counts(scope, settings, today),
        "applications": applications,
        "documents": expiring_documents(visible(Provider, user), warn_days, today),
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
        "overruns": monitor.unregistered_overruns(visible(Placement, user), settings, today),
    }


def provider_home(user: User, provider: Provider, today: date, warn_days: int) -> dict:
    from apregister.attendance.queries import provider_sessions_to_record_today

    active = db.session.scalar(
        visible(Placement, user)
        .with_only_columns(func.count())
        .where(queries.current_clause(today))
    )
    return {
        "provider": provider,
        "to_record": provider_sessions_to_record_today(provider.id, today),
        "active": active,
        "documents": expiring_documents(
            visible(Provider, user).where(Provider.id == provider.id), warn_days, today
        ),
    }


def board_home(user: User, today: date) -> dict:
    """The board's first page is the KPI dashboard, with its default filters."""
    from apregister.dashboard.presenter import page

    return page(user, today)
