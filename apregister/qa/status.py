"""Each provider's QA position: next inspection and self-assessment due, planned visits and
open actions. A fixed number of queries for any number of providers."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import ColumnElement, Select, and_, exists, func, or_, select

from apregister.extensions import db
from apregister.models import (
    ActionStatus,
    ComplianceDocument,
    FrameworkStatus,
    Inspection,
    InspectionAction,
    InspectionStatus,
    LaSettings,
    Provider,
    QaArea,
    SelfAssessment,
    SelfAssessmentStatus,
)
from apregister.providers.rules import REQUIRED_DOCUMENTS
from apregister.qa import rules


@dataclass(frozen=True)
class Area:
    key: str
    name: str


def current_areas() -> list[Area]:
    """The LA's active QA areas in order; the defaults until the la_lead changes them."""
    saved = db.session.scalars(
        select(QaArea).where(QaArea.active.is_(True)).order_by(QaArea.position, QaArea.id)
    ).all()
    if saved:
        return [Area(area.key, area.name) for area in saved]
    if db.session.scalar(select(QaArea.id).limit(1)) is not None:
        return []  # the LA switched every area off
    return [Area(key, name) for key, name in rules.DEFAULT_AREAS]


@dataclass(frozen=True)
class QaStatus:
    provider: Provider
    last_visit: date | None
    inspection: rules.DueState
    planned: date | None
    last_accepted: date | None
    self_assessment: rules.DueState
    open_actions: int

    @property
    def up_to_date(self) -> bool:
        return not self.inspection.overdue and not self.self_assessment.overdue


def _last_visits(ids) -> Select:
    return (
        select(Inspection.provider_id, func.max(Inspection.visit_date))
        .where(Inspection.provider_id.in_(ids), Inspection.status == InspectionStatus.PUBLISHED)
        .group_by(Inspection.provider_id)
    )


def qa_statuses(
    providers: list[Provider], settings: LaSettings, today: date
) -> dict[int, QaStatus]:
    """QA status for each provider (keyed by id), in four queries whatever the count."""
    ids = [provider.id for provider in providers]
    if not ids:
        return {}
    visits = dict(db.session.execute(_last_visits(ids)).all())
    planned = dict(
        db.session.execute(
            select(Inspection.provider_id, func.min(Inspection.planned_date))
            .where(
                Inspection.provider_id.in_(ids),
                Inspection.status == InspectionStatus.PLANNED,
            )
            .group_by(Inspection.provider_id)
        ).all()
    )
    accepted = dict(
        db.session.execute(
            select(SelfAssessment.provider_id, func.max(SelfAssessment.accepted_on))
            .where(
                SelfAssessment.provider_id.in_(ids),
                SelfAssessment.status == SelfAssessmentStatus.ACCEPTED,
            )
            .group_by(SelfAssessment.provider_id)
        ).all()
    )
    actions = dict(
        db.session.execute(
            select(InspectionAction.provider_id, func.count())
            .where(
                InspectionAction.provider_id.in_(ids),
                InspectionAction.status != ActionStatus.CLOSED,
            )
            .group_by(InspectionAction.provider_id)
        ).all()
    )
    result = {}
    for provider in providers:
        on_framework = provider.framework_status in (
            FrameworkStatus.APPROVED,
            FrameworkStatus.SUSPENDED,
        )
        approved_on = provider.approved_on if on_framework else None
        inspection_due = rules.next_inspection_due(
            visits.get(provider.id), approved_on, settings.first_inspection_months
        )
        assessment_due = rules.next_self_assessment_due(
            accepted.get(provider.id), approved_on, settings.first_self_assessment_months
        )
        result[provider.id] = QaStatus(
            provider=provider,
            last_visit=visits.get(provider.id),
            inspection=rules.due_state(
                inspection_due if on_framework else None, today, settings.reminder_days
            ),
            planned=planned.get(provider.id),
            last_accepted=accepted.get(provider.id),
            self_assessment=rules.due_state(
                assessment_due if on_framework else None, today, settings.reminder_days
            ),
            open_actions=actions.get(provider.id, 0),
        )
    return result


def _last_visit():
    return (
        select(func.max(Inspection.visit_date))
        .where(
            Inspection.provider_id == Provider.id,
            Inspection.status == InspectionStatus.PUBLISHED,
        )
        .correlate(Provider)
        .scalar_subquery()
    )


def _last_accepted():
    return (
        select(func.max(SelfAssessment.accepted_on))
        .where(
            SelfAssessment.provider_id == Provider.id,
            SelfAssessment.status == SelfAssessmentStatus.ACCEPTED,
        )
        .correlate(Provider)
        .scalar_subquery()
    )


ON_FRAMEWORK = (FrameworkStatus.APPROVED, FrameworkStatus.SUSPENDED)


def _due_by(last, first_months: int, day: date) -> ColumnElement[bool]:
    """The next one (12 months after `last`, or `first_months` after approval when there is
    none: rules.next_*_due) falls on or before `day`."""
    return or_(
        last <= rules.latest_due_by(day, 12),
        and_(last.is_(None), Provider.approved_on <= rules.latest_due_by(day, first_months)),
    )


def inspection_due_clause(settings: LaSettings, day: date) -> ColumnElement[bool]:
    """Providers on the framework whose next inspection is due on or before `day`."""
    return and_(
        Provider.framework_status.in_(ON_FRAMEWORK),
        _due_by(_last_visit(), settings.first_inspection_months, day),
    )


def self_assessment_due_clause(settings: LaSettings, day: date) -> ColumnElement[bool]:
    """Providers on the framework whose next self-assessment is due on or before `day`."""
    return and_(
        Provider.framework_status.in_(ON_FRAMEWORK),
        _due_by(_last_accepted(), settings.first_self_assessment_months, day),
    )


def qa_overdue_clause(settings: LaSettings, today: date) -> ColumnElement[bool]:
    """Providers on the framework whose inspection or self-assessment is overdue (due before
    today: rules.due_state), as SQL."""
    yesterday = today - timedelta(days=1)
    return or_(
        inspection_due_clause(settings, yesterday),
        self_assessment_due_clause(settings, yesterday),
    )


def documents_attention_clause(today: date, warn_days: int) -> ColumnElement[bool]:
    """Providers on the framework missing a required document, or whose newest document of
    a kind (with an expiry date) expires within `warn_days` or has expired."""
    expiring = Provider.id.in_(
        select(ComplianceDocument.provider_id)
        .where(ComplianceDocument.expires_on.is_not(None))
        .group_by(ComplianceDocument.provider_id, ComplianceDocument.kind)
        .having(func.max(ComplianceDocument.expires_on) <= today + timedelta(days=warn_days))
    )
    missing = [
        ~exists().where(
            ComplianceDocument.provider_id == Provider.id, ComplianceDocument.kind == kind
        )
        for kind in REQUIRED_DOCUMENTS
    ]
    return and_(Provider.framework_status.in_(ON_FRAMEWORK), or_(expiring, *missing))
