"""Quality assurance: annual inspections with actions, annual self-assessments, reminders."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from apregister.extensions import db
from apregister.models.audit import JSONType
from apregister.models.base import StrEnumType, TimestampMixin, UTCDateTime, utcnow
from apregister.models.enums import (
    ActionOwner,
    ActionStatus,
    InspectionOutcome,
    InspectionStatus,
    Judgement,
    SelfAssessmentStatus,
)
from apregister.models.provider import Provider


class QaArea(TimestampMixin, db.Model):
    """An area inspections and self-assessments judge. Past records keep the name they used."""

    __tablename__ = "qa_areas"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    position: Mapped[int] = mapped_column(Integer, default=0)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class Inspection(TimestampMixin, db.Model):
    __tablename__ = "inspections"

    id: Mapped[int] = mapped_column(primary_key=True)
    provider_id: Mapped[int] = mapped_column(ForeignKey("providers.id"), index=True)
    status: Mapped[InspectionStatus] = mapped_column(
        StrEnumType(InspectionStatus, 20), default=InspectionStatus.PLANNED, index=True
    )
    planned_date: Mapped[date | None] = mapped_column(Date)
    visit_date: Mapped[date | None] = mapped_column(Date, index=True)
    inspector_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    overall_outcome: Mapped[InspectionOutcome | None] = mapped_column(
        StrEnumType(InspectionOutcome, 30)
    )
    summary: Mapped[str | None] = mapped_column(Text)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    provider: Mapped[Provider] = relationship(lazy="joined", innerjoin=True)
    inspector = relationship("User", lazy="joined")
    judgements: Mapped[list[InspectionJudgement]] = relationship(
        back_populates="inspection",
        cascade="all, delete-orphan",
        order_by="InspectionJudgement.position",
    )
    actions: Mapped[list[InspectionAction]] = relationship(
        back_populates="inspection", cascade="all, delete-orphan", order_by="InspectionAction.id"
    )


class InspectionJudgement(db.Model):
    __tablename__ = "inspection_judgements"

    id: Mapped[int] = mapped_column(primary_key=True)
    inspection_id: Mapped[int] = mapped_column(ForeignKey("inspections.id"), index=True)
    area_key: Mapped[str] = mapped_column(String(40))
    area_name: Mapped[str] = mapped_column(String(200))  # as it was called at the time
    position: Mapped[int] = mapped_column(Integer, default=0)
    judgement: Mapped[Judgement] = mapped_column(StrEnumType(Judgement, 20))
    findings: Mapped[str | None] = mapped_column(Text)

    inspection: Mapped[Inspection] = relationship(back_populates="judgements")

    __table_args__ = (UniqueConstraint("inspection_id", "area_key"),)


class InspectionAction(TimestampMixin, db.Model):
    __tablename__ = "inspection_actions"

    id: Mapped[int] = mapped_column(primary_key=True)
    inspection_id: Mapped[int] = mapped_column(ForeignKey("inspections.id"), index=True)
    provider_id: Mapped[int] = mapped_column(ForeignKey("providers.id"), index=True)
    description: Mapped[str] = mapped_column(Text)
    owner: Mapped[ActionOwner] = mapped_column(StrEnumType(ActionOwner, 20))
    due_date: Mapped[date] = mapped_column(Date)
    status: Mapped[ActionStatus] = mapped_column(
        StrEnumType(ActionStatus, 20), default=ActionStatus.OPEN, index=True
    )
    provider_note: Mapped[str | None] = mapped_column(Text)
    done_on: Mapped[date | None] = mapped_column(Date)
    closed_on: Mapped[date | None] = mapped_column(Date)
    la_note: Mapped[str | None] = mapped_column(Text)

    inspection: Mapped[Inspection] = relationship(back_populates="actions")


class SelfAssessment(TimestampMixin, db.Model):
    """A provider's self-assessment for one academic year; each submission is a version."""

    __tablename__ = "self_assessments"

    id: Mapped[int] = mapped_column(primary_key=True)
    provider_id: Mapped[int] = mapped_column(ForeignKey("providers.id"), index=True)
    academic_year: Mapped[str] = mapped_column(String(9))  # "2026/27"
    status: Mapped[SelfAssessmentStatus] = mapped_column(
        StrEnumType(SelfAssessmentStatus, 20), default=SelfAssessmentStatus.DRAFT, index=True
    )
    accepted_on: Mapped[date | None] = mapped_column(Date)

    provider: Mapped[Provider] = relationship(lazy="joined", innerjoin=True)
    versions: Mapped[list[SelfAssessmentVersion]] = relationship(
        back_populates="self_assessment",
        cascade="all, delete-orphan",
        order_by="SelfAssessmentVersion.number",
    )

    __table_args__ = (UniqueConstraint("provider_id", "academic_year"),)


class SelfAssessmentVersion(TimestampMixin, db.Model):
    """One round: the provider's draft, then what it submitted and what the LA said back."""

    __tablename__ = "self_assessment_versions"

    id: Mapped[int] = mapped_column(primary_key=True)
    self_assessment_id: Mapped[int] = mapped_column(ForeignKey("self_assessments.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    submitted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    reviewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    reviewed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    review_outcome: Mapped[SelfAssessmentStatus | None] = mapped_column(
        StrEnumType(SelfAssessmentStatus, 20)
    )
    review_comment: Mapped[str | None] = mapped_column(Text)

    self_assessment: Mapped[SelfAssessment] = relationship(back_populates="versions")
    entries: Mapped[list[SelfAssessmentEntry]] = relationship(
        back_populates="version",
        cascade="all, delete-orphan",
        order_by="SelfAssessmentEntry.position",
    )

    __table_args__ = (UniqueConstraint("self_assessment_id", "number"),)


class SelfAssessmentEntry(db.Model):
    __tablename__ = "self_assessment_entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("self_assessment_versions.id"), index=True)
    area_key: Mapped[str] = mapped_column(String(40))
    area_name: Mapped[str] = mapped_column(String(200))
    position: Mapped[int] = mapped_column(Integer, default=0)
    rating: Mapped[Judgement | None] = mapped_column(StrEnumType(Judgement, 20))
    evidence: Mapped[str | None] = mapped_column(Text)
    la_comment: Mapped[str | None] = mapped_column(Text)

    version: Mapped[SelfAssessmentVersion] = relationship(back_populates="entries")

    __table_args__ = (UniqueConstraint("version_id", "area_key"),)


class OutboxMessage(db.Model):
    """An email: sent by SMTP in production, kept here in development and tests.

    `dedupe_key` makes a reminder run idempotent: the same reminder is never queued twice."""

    __tablename__ = "outbox_messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    dedupe_key: Mapped[str] = mapped_column(String(200), unique=True)
    to_email: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # What kind of message (messages/kinds.py): its GOV.UK Notify template, and whether the
    # recipient may switch it off. Old rows have none.
    kind: Mapped[str | None] = mapped_column(String(40))
    # The fields a Notify template fills in; the body above is the same message as plain text.
    personalisation: Mapped[dict | None] = mapped_column(JSONType)
    # Delivery by the worker: tries so far, when to try next, and why the last try failed.
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    last_error: Mapped[str | None] = mapped_column(Text)
    failed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())  # gave up

    # the worker's queue: unsent messages, in order (a partial index on PostgreSQL and SQLite)
    __table_args__ = (
        Index(
            "ix_outbox_messages_unsent",
            "next_attempt_at",
            "id",
            sqlite_where=text("sent_at IS NULL AND failed_at IS NULL"),
            postgresql_where=text("sent_at IS NULL AND failed_at IS NULL"),
        ),
    )


class ScheduledJob(db.Model):
    """A job the worker runs on a timetable (reminders, absence cut-offs). A worker claims a
    due row with FOR UPDATE SKIP LOCKED, runs it and moves `next_run_at` on, so several
    workers sharing one database never run the same job twice."""

    __tablename__ = "scheduled_jobs"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    next_run_at: Mapped[datetime] = mapped_column(UTCDateTime())
    last_run_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    last_error: Mapped[str | None] = mapped_column(Text)


class MessagePreference(db.Model):
    """A kind of message a user has switched off (safeguarding kinds cannot be)."""

    __tablename__ = "message_preferences"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    kind: Mapped[str] = mapped_column(String(40))

    __table_args__ = (UniqueConstraint("user_id", "kind"),)
