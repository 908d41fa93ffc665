"""A pupil's placement with a provider."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    Text,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from apregister.extensions import db
from apregister.models.base import StrEnumType, TimestampMixin
from apregister.models.enums import (
    FrameworkStatus,
    PlacementOutcome,
    PlacementReason,
    PlacementStatus,
)
from apregister.models.organisation import Organisation
from apregister.models.placement.pupil import Pupil
from apregister.models.provider import Provider

if TYPE_CHECKING:  # they import Placement
    from apregister.models.placement.progress import ExtensionRequest, Review


class Placement(TimestampMixin, db.Model):
    __tablename__ = "placements"

    id: Mapped[int] = mapped_column(primary_key=True)
    # One per "Add a placement" form, so a double submission creates one placement.
    submission_key: Mapped[str | None] = mapped_column(String(36), unique=True)
    pupil_id: Mapped[int] = mapped_column(ForeignKey("pupils.id"))  # ix_placements_pupil_start
    school_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"), index=True)
    commissioner_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"))
    provider_id: Mapped[int] = mapped_column(ForeignKey("providers.id"), index=True)
    reason: Mapped[PlacementReason] = mapped_column(StrEnumType(PlacementReason, 30))
    start_date: Mapped[date] = mapped_column(Date)
    planned_end: Mapped[date] = mapped_column(Date)
    session_mask: Mapped[int] = mapped_column(Integer)
    hours_per_week: Mapped[Decimal] = mapped_column(Numeric(4, 1))
    full_time: Mapped[bool] = mapped_column(Boolean)
    cost_per_week: Mapped[Decimal | None] = mapped_column(Numeric(9, 2))
    objectives: Mapped[str] = mapped_column(Text)
    reintegration_plan: Mapped[str] = mapped_column(Text)
    actual_end: Mapped[date | None] = mapped_column(Date)
    outcome: Mapped[PlacementOutcome | None] = mapped_column(StrEnumType(PlacementOutcome, 30))
    outcome_notes: Mapped[str | None] = mapped_column(Text)
    cancelled_on: Mapped[date | None] = mapped_column(Date)
    cancel_reason: Mapped[str | None] = mapped_column(Text)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # At a provider that was not approved on the day it was recorded: the LA reviews each one.
    off_framework: Mapped[bool] = mapped_column(Boolean, default=False)
    # the provider's framework status then (not on the framework, suspended, removed ...)
    off_framework_status: Mapped[FrameworkStatus | None] = mapped_column(
        StrEnumType(FrameworkStatus, 20)
    )
    off_framework_reason: Mapped[str | None] = mapped_column(Text)  # the commissioner's
    off_framework_reviewed_on: Mapped[date | None] = mapped_column(Date)
    off_framework_reviewed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    off_framework_review_note: Mapped[str | None] = mapped_column(Text)
    # What the check page warned of (one line each) and why the commissioner went on.
    warnings: Mapped[str | None] = mapped_column(Text)
    warnings_reason: Mapped[str | None] = mapped_column(Text)
    # Named contacts for the agreement (DfE "Arranging alternative provision", Feb 2025): the
    # home school's designated safeguarding lead and placement lead, and the provider's contact.
    dsl_name: Mapped[str | None] = mapped_column(String(200))
    dsl_phone: Mapped[str | None] = mapped_column(String(20))
    dsl_email: Mapped[str | None] = mapped_column(String(254))
    lead_name: Mapped[str | None] = mapped_column(String(200))
    lead_phone: Mapped[str | None] = mapped_column(String(20))
    lead_email: Mapped[str | None] = mapped_column(String(254))
    provider_contact_name: Mapped[str | None] = mapped_column(String(200))
    provider_contact_phone: Mapped[str | None] = mapped_column(String(20))
    provider_contact_email: Mapped[str | None] = mapped_column(String(254))

    pupil: Mapped[Pupil] = relationship(lazy="joined", innerjoin=True)
    provider: Mapped[Provider] = relationship(
        foreign_keys=[provider_id], lazy="joined", innerjoin=True
    )
    school: Mapped[Organisation | None] = relationship(foreign_keys=[school_id], lazy="joined")
    commissioner: Mapped[Organisation] = relationship(foreign_keys=[commissioner_id])
    off_framework_reviewed_by = relationship("User", foreign_keys=[off_framework_reviewed_by_id])
    reviews: Mapped[list[Review]] = relationship(
        back_populates="placement", order_by="Review.review_date", cascade="all, delete-orphan"
    )
    extension_requests: Mapped[list[ExtensionRequest]] = relationship(
        back_populates="placement",
        order_by="ExtensionRequest.id",
        cascade="all, delete-orphan",
    )

    __table_args__ = (
        CheckConstraint("planned_end > start_date", name="planned_end_after_start"),
        CheckConstraint(
            "actual_end IS NULL OR actual_end >= start_date", name="actual_end_not_before_start"
        ),
        CheckConstraint("session_mask > 0 AND session_mask < 1024", name="sessions_in_week"),
        CheckConstraint("hours_per_week > 0 AND hours_per_week <= 50", name="hours_in_week"),
        # the placement list's order, newest first: its pages are read from the index, and
        # a status's (every ended placement) tested inside it
        Index("ix_placements_start", "start_date", "id", "actual_end", "cancelled_on"),
        # a school's and a provider's lists in that order; the school's holds the providers
        # its pupils are placed with too, which a school may see in the provider directory
        Index(
            "ix_placements_school_list", "school_id", "start_date", "id", "provider_id", "pupil_id"
        ),
        Index("ix_placements_provider_list", "provider_id", "start_date", "id", "pupil_id"),
        # a pupil's placements in the list's order: the placements of the pupils a name search
        # finds are put in order from the index alone, not each read for its start date
        Index("ix_placements_pupil_start", "pupil_id", "start_date", "id"),
        # "Running on a day" is read from this index (placements/queries.py: running_on);
        # after the range it holds what the dashboard reads of each running placement, so
        # both databases answer those queries from the index alone.
        Index(
            "ix_placements_running",
            "actual_end",
            "start_date",
            "cancelled_on",
            "id",
            "pupil_id",
            "provider_id",
            "school_id",
            "hours_per_week",
            # and what the list's overrunning and unregistered-limits filters test
            "planned_end",
            "session_mask",
            "full_time",
        ),
        # the list filtered by reason: its order within a reason, and what the status tests
        Index("ix_placements_reason", "reason", "start_date", "id", "actual_end", "cancelled_on"),
        # what the data-quality report looks for: ended without an outcome, no objectives
        Index("ix_placements_outcome", "outcome", "actual_end"),
        # off-framework placements the LA has still to review, a few hundred among 200,000,
        # counted for the LA or one school from the index alone
        Index(
            "ix_placements_off_framework",
            "off_framework",
            "off_framework_reviewed_on",
            "cancelled_on",
            "school_id",
        ),
        Index(
            "ix_placements_no_objectives",
            "id",
            sqlite_where=text("objectives = ''"),
            postgresql_where=text("objectives = ''"),
        ),
    )

    def status_on(self, today: date) -> PlacementStatus:
        from apregister.placements.rules import status_of

        return status_of(
            start=self.start_date,
            actual_end=self.actual_end,
            cancelled_on=self.cancelled_on,
            today=today,
        )

    @property
    def warning_list(self) -> list[str]:
        return [line for line in (self.warnings or "").splitlines() if line.strip()]

    @property
    def objective_list(self) -> list[str]:
        return [line.strip() for line in self.objectives.splitlines() if line.strip()]
