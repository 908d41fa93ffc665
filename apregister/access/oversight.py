"""What each user may see of inspections, self-assessments, the outbox, imports and the audit
log."""

from __future__ import annotations

from sqlalchemy import Select, false, select

from apregister.models import (
    LA_ROLES,
    AuditEvent,
    ImportJob,
    Inspection,
    InspectionAction,
    InspectionStatus,
    OutboxMessage,
    Role,
    SelfAssessment,
    SelfAssessmentStatus,
    User,
)


def visible_inspections(user: User) -> Select[tuple[Inspection]]:
    """LA roles: every inspection. A provider: published reports about itself only."""
    stmt = select(Inspection)
    if user.role in LA_ROLES:
        return stmt
    if user.role is Role.PROVIDER:
        return stmt.where(
            Inspection.provider_id == user.organisation_id,
            Inspection.status == InspectionStatus.PUBLISHED,
        )
    return stmt.where(false())


def visible_actions(user: User) -> Select[tuple[InspectionAction]]:
    stmt = select(InspectionAction)
    if user.role in LA_ROLES:
        return stmt
    if user.role is Role.PROVIDER:
        published = select(Inspection.id).where(
            Inspection.provider_id == user.organisation_id,
            Inspection.status == InspectionStatus.PUBLISHED,
        )
        return stmt.where(InspectionAction.inspection_id.in_(published))
    return stmt.where(false())


def visible_self_assessments(user: User) -> Select[tuple[SelfAssessment]]:
    """LA roles: every self-assessment that has been submitted at least once. A provider: its
    own, drafts included."""
    stmt = select(SelfAssessment)
    if user.role in LA_ROLES:
        return stmt.where(SelfAssessment.status != SelfAssessmentStatus.DRAFT)
    if user.role is Role.PROVIDER:
        return stmt.where(SelfAssessment.provider_id == user.organisation_id)
    return stmt.where(false())


def visible_outbox(user: User) -> Select[tuple[OutboxMessage]]:
    stmt = select(OutboxMessage)
    if user.role is Role.LA_LEAD:
        return stmt
    return stmt.where(false())


def visible_import_jobs(user: User) -> Select[tuple[ImportJob]]:
    """Imports are the LA lead's: the files hold the whole register's children."""
    stmt = select(ImportJob)
    if user.role is Role.LA_LEAD:
        return stmt
    return stmt.where(false())


def visible_audit_events(user: User) -> Select[tuple[AuditEvent]]:
    stmt = select(AuditEvent)
    if user.role is Role.LA_LEAD:
        return stmt
    return stmt.where(false())
