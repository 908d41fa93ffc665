"""Each provider's QA position: next inspection and self-assessment due, planned visits and
open actions. A fixed number of queries for any number of providers."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import ColumnElement, and_, exists, func, or_, select

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


FACT_LABELS = ("qa_last_visit", "qa_planned", "qa_last_accepted", "qa_open_actions")


def _fact_selects(provider_id) -> tuple:
    """What a provider's QA status is worked out from: its last published visit, its first
    planned one, its last accepted self-assessment and its actions not yet closed, for
    `provider_id` (Provider.id, correlated with a list's providers, or one provider's id)."""
    return (
        select(func.max(Inspection.visit_date)).where(
            Inspection.provider_id == provider_id,
            Inspection.status == InspectionStatus.PUBLISHED,
        ),
        select(func.min(Inspection.planned_date)).where(
            Inspection.provider_id == provider_id,
            Inspection.status == InspectionStatus.PLANNED,
        ),
        select(func.max(SelfAssessment.accepted_on)).where(
            SelfAssessment.provider_id == provider_id,
            SelfAssessment.status == SelfAssessmentStatus.ACCEPTED,
        ),
        select(func.count(InspectionAction.id)).where(
            InspectionAction.provider_id == provider_id,
            InspectionAction.status != ActionStatus.CLOSED,
        ),
    )


def qa_facts() -> tuple:
    """The facts (FACT_LABELS) as columns correlated with Provider: a list of providers adds
    them to its own query and reads each row's status with qa_status_of."""
    return tuple(
        stmt.correlate(Provider).scalar_subquery().label(label)
        for stmt, label in zip(_fact_selects(Provider.id), FACT_LABELS, strict=True)
    )


def qa_status_columns(provider_id: int) -> tuple:
    """The facts (FACT_LABELS) of one provider, as columns for a statement of the page's own."""
    return tuple(
        stmt.scalar_subquery().label(label)
        for stmt, label in zip(_fact_selects(provider_id), FACT_LABELS, strict=True)
    )


def qa_status_of(provider: Provider, row, settings: LaSettings, today: date) -> QaStatus:
    """The status of `provider` from a row holding its facts under FACT_LABELS."""
    facts = tuple(getattr(row, label) for label in FACT_LABELS)
    return qa_status(provider, facts, settings, today)


def qa_status(
    provider: Provider,
    facts: tuple[date | None, date | None, date | None, int],
    settings: LaSettings,
    today: date,
) -> QaStatus:
    """One provider's QA status from its facts, in FACT_LABELS' order."""
    last_visit, planned, last_accepted, open_actions = facts
    on_framework = provider.framework_status in ON_FRAMEWORK
    approved_on = provider.approved_on if on_framework else None
    inspection_due = rules.next_inspection_due(
        last_visit, approved_on, settings.first_inspection_months
    )
    assessment_due = rules.next_self_assessment_due(
        last_accepted, approved_on, settings.first_self_assessment_months
    )
    return QaStatus(
        provider=provider,
        last_visit=last_visit,
        inspection=rules.due_state(
            inspection_due if on_framework else None, today, settings.reminder_days
        ),
        planned=planned,
        last_accepted=last_accepted,
        self_assessment=rules.due_state(
            assessment_due if on_framework else None, today, settings.reminder_days
        ),
        open_actions=open_actions or 0,
    )


NO_FACTS = (None, None, None, 0)


def qa_statuses(
    providers: list[Provider], settings: LaSettings, today: date
) -> dict[int, QaStatus]:
    """QA status for each provider (keyed by id), in one query whatever the count."""
    ids = [provider.id for provider in providers]
    if not ids:
        return {}
    facts = {
        row[0]: tuple(row[1:])
        for row in db.session.execute(select(Provider.id, *qa_facts()).where(Provider.id.in_(ids)))
    }
    return {
        provider.id: qa_status(provider, facts.get(provider.id, NO_FACTS), settings, today)
        for provider in providers
    }


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
    none: rules.next_*_due) falls on or before `day`, asking for `last` (a subquery) once:
    the approval decides only when there is none. Where `last <= ... OR (last IS NULL AND
    approved_on <= ...)` would be null it may be false, which a filter takes alike."""
    return func.coalesce(
        last <= rules.latest_due_by(day, 12),
        Provider.approved_on <= rules.latest_due_by(day, first_months),
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
