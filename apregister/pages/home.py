"""What each user sees first (DESIGN.md): the facts behind each role's home page."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

from flask import get_template_attribute, url_for
from sqlalchemy import Select, func, literal, select

from apregister.access import visible
from apregister.extensions import db
from apregister.models import (
    ActionStatus,
    ComplianceDocument,
    DocumentKind,
    InspectionAction,
    Placement,
    PlacementStatus,
    Provider,
    SelfAssessment,
    SelfAssessmentStatus,
    User,
)
from apregister.pages import queue
from apregister.placements import monitor, queries
from apregister.placements.summaries import Keep, current_rows
from apregister.providers.rules import REQUIRED_DOCUMENTS
from apregister.qa.status import ON_FRAMEWORK, qa_facts, qa_status
from apregister.settings import current_settings


def keeper(user: User, today: date, *values) -> Keep:
    """Keeps the statements a home page builds for `user` on `today` (and any other `values`
    they are built from) for the next request (queue.kept_statement). What `access` shows a
    user turns on their role and organisation alone."""

    def keep(name: str, build: Callable[[], Select]) -> Select:
        key = (name, user.role, user.organisation_id, today, *values)
        return queue.kept_statement(key, build)

    return keep


def la_work_queue(user: User, today: date, warn_days: int) -> dict:
    settings = current_settings()
    absences, placements, providers = queue.work_queues(user, settings, today)
    keep = keeper(user, today, queue.settings_key(settings))
    return {
        "settings": settings,
        "alerts": monitor.registration_alerts(visible(Placement, user), settings, today, keep=keep),
        "placement_items": absences + placements,
        "provider_items": providers,
    }


def address_of(endpoint: str, key: str) -> Callable[[int], str]:
    """`url_for(endpoint, **{key: id})` for the many ids of a long table, worked out once: the
    address is built for a marker id and split around it. (url_for, called for each row, took
    longer than the rest of the row.)"""
    marker = "7654321987"
    before, after = url_for(endpoint, **{key: int(marker)}).split(marker)
    return lambda value: f"{before}{value}{after}"


def school_home(user: User, today: date) -> dict:
    from apregister.attendance.queries import school_attention_today

    settings = current_settings()
    # each status's tag rendered once, not once a row (the macro took a third of the table)
    placement_tag = get_template_attribute("components/status_tag.html", "placement_tag")
    absences, placements, _ = queue.work_queues(user, settings, today, school=True)
    keep = keeper(user, today)
    return {
        "rows": current_rows(visible(Placement, user), today, settings, keep=keep),
        "status_tags": {status: placement_tag(status) for status in PlacementStatus},
        "placement_url": address_of("placements.show_placement", "placement_id"),
        "attention": school_attention_today(user.organisation_id, today, keep=keep),
        "settings": settings,
        "items": absences + placements,
    }


def documents_to_renew(
    user: User, provider: Provider, warn_days: int, today: date
) -> tuple[list[tuple], list[DocumentKind]]:
    """For a provider on the framework (approved or suspended): (provider, document kind,
    latest expiry) where even the newest document of that kind expires within `warn_days` or
    has expired, soonest first; and the required kinds it has no document of. One query, of
    the latest expiry of each kind it holds; none for a provider off the framework."""
    if provider.framework_status not in ON_FRAMEWORK:
        return [], []
    latest = func.max(ComplianceDocument.expires_on)
    held = dict(
        db.session.execute(
            visible(ComplianceDocument, user)
            .with_only_columns(ComplianceDocument.kind, latest)
            .where(ComplianceDocument.provider_id == provider.id)
            .group_by(ComplianceDocument.kind)
        ).all()
    )
    warn_by = today + timedelta(days=warn_days)
    expiring = sorted(
        (expires, kind) for kind, expires in held.items() if expires and expires <= warn_by
    )
    missing = [kind for kind in REQUIRED_DOCUMENTS if kind not in held]
    return [(provider, kind, expires) for expires, kind in expiring], missing


def provider_home(user: User, provider: Provider, today: date, warn_days: int) -> dict:
    """The provider's first page: its figures and QA status in one statement, then what is
    left unrecorded (two queries) and its documents (one)."""
    from apregister.attendance.queries import sessions_to_record_today
    from apregister.attendance.unrecorded import count_unrecorded

    settings = current_settings()

    def build() -> Select:
        current = queries.running_union(
            queries.tested_in_index(visible(Placement, user)).with_only_columns(Placement.id),
            started_by=None,
            ended_after=today,
        ).subquery()
        sessions = sessions_to_record_today(provider.id, today)
        return select(
            select(func.count()).select_from(current).scalar_subquery(),
            visible(SelfAssessment, user)
            .with_only_columns(func.count())
            .where(SelfAssessment.status == SelfAssessmentStatus.RETURNED)
            .scalar_subquery(),
            visible(InspectionAction, user)
            .with_only_columns(func.count())
            .where(InspectionAction.status == ActionStatus.OPEN)
            .scalar_subquery(),
            literal(0) if sessions is None else sessions.scalar_subquery(),
            *qa_facts(),
        ).where(Provider.id == provider.id)

    keep = keeper(user, today, provider.id)
    active, returned, open_actions, to_record, *qa = db.session.execute(
        keep("provider home", build)
    ).one()
    documents, missing = documents_to_renew(user, provider, warn_days, today)
    return {
        "provider": provider,
        "to_record": int(to_record or 0),
        "unrecorded": count_unrecorded(user, today, keep=keep),
        "active": active,
        "returned": returned,
        "open_actions": open_actions,
        "qa": qa_status(provider, tuple(qa), settings, today),
        "documents": documents,
        "missing": missing,
    }


def board_home(user: User, today: date) -> dict:
    """The board's first page: the headline measures and what needs its attention, read
    from the dashboard's own figures with its default filters (the same figures, hidden the
    same way), linking to the rest."""
    from apregister.dashboard.presenter import page

    return page(user, today)
