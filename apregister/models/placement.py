"""Pupils, their placements in alternative provision, and what happens during them."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

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
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from apregister.extensions import db
from apregister.models.audit import JSONType
from apregister.models.base import StrEnumType, TimestampMixin, UTCDateTime, utcnow
from apregister.models.enums import (
    AbsenceTrigger,
    AttendanceCode,
    Escalation,
    ExtensionStatus,
    FrameworkStatus,
    PlacementOutcome,
    PlacementReason,
    PlacementStatus,
    ReviewDecision,
    SenStatus,
    Session,
    Sex,
)
from apregister.models.organisation import Organisation
from apregister.models.provider import Provider


def name_search_key(name: str) -> str:
    """A name (or a word searched for) as pupil search compares it: lower case, the
    typographic apostrophe plain, single spaces."""
    return " ".join(name.replace("’", "'").lower().split())


# Compared by code point on both databases ("C"), so that every name starting with a word is
# one range of the index: "ruby" <= key < "rubz". (In a language's collation punctuation and
# accents are weighed apart, and a prefix is not always one range.)
NAME_KEY = String(200).with_variant(String(200, collation="C"), "postgresql")


class Pupil(TimestampMixin, db.Model):
    """A child in AP: only the fields DESIGN.md lists. Owned by a school, or by the LA."""

    __tablename__ = "pupils"

    id: Mapped[int] = mapped_column(primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    upn: Mapped[str | None] = mapped_column(String(13), unique=True)
    first_name: Mapped[str] = mapped_column(String(100))
    last_name: Mapped[str] = mapped_column(String(100))
    # the names as search compares them (name_search_key), kept by _keep_name_keys: a search
    # for a name's start is then a range of an index, not a read of every pupil
    first_name_key: Mapped[str] = mapped_column(NAME_KEY, index=True)
    last_name_key: Mapped[str] = mapped_column(NAME_KEY, index=True)
    date_of_birth: Mapped[date] = mapped_column(Date)
    sex: Mapped[Sex] = mapped_column(StrEnumType(Sex, 1))
    sen_status: Mapped[SenStatus] = mapped_column(StrEnumType(SenStatus, 20))
    looked_after: Mapped[bool] = mapped_column(Boolean, default=False)
    disadvantaged: Mapped[bool] = mapped_column(Boolean, default=False)
    # set when the pupil's name, UPN and notes were removed after the retention period
    removed_on: Mapped[date | None] = mapped_column(Date)
    # Bumped inside a transaction that adds a placement, so two such transactions queue.
    placement_lock: Mapped[int] = mapped_column(Integer, default=0)

    owner: Mapped[Organisation] = relationship(lazy="joined", innerjoin=True)

    # The pupil list is read in name order, a page at a time.
    __table_args__ = (
        Index("ix_pupils_name", "last_name", "first_name", "id"),
        # the data-quality report's pupils without a UPN, in its order (a few hundred)
        Index(
            "ix_pupils_no_upn",
            "last_name",
            "id",
            sqlite_where=text("upn IS NULL"),
            postgresql_where=text("upn IS NULL"),
        ),
    )

    # the name keys follow the names, whose changes are logged (redacted)
    __audit_ignore__ = frozenset({"placement_lock", "first_name_key", "last_name_key"})
    # The audit log notes that these changed, never what they were: children's data.
    __audit_redact__ = frozenset({"upn", "first_name", "last_name", "date_of_birth"})

    @validates("first_name", "last_name")
    def _keep_name_keys(self, key: str, value: str) -> str:
        setattr(self, f"{key}_key", None if value is None else name_search_key(value))
        return value

    @property
    def name(self) -> str:
        return f"{self.first_name} {self.last_name}"


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


class Review(TimestampMixin, db.Model):
    """A placement review, at least every half term."""

    __tablename__ = "reviews"

    id: Mapped[int] = mapped_column(primary_key=True)
    placement_id: Mapped[int] = mapped_column(ForeignKey("placements.id"))
    review_date: Mapped[date] = mapped_column(Date)
    attendance_rate: Mapped[Decimal | None] = mapped_column(Numeric(5, 1))
    # [{"objective": "...", "progress": "..."}], in the order of the placement's objectives
    progress: Mapped[list[dict[str, Any]]] = mapped_column(JSONType)
    notes: Mapped[str | None] = mapped_column(Text)
    decision: Mapped[ReviewDecision] = mapped_column(StrEnumType(ReviewDecision, 20))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    placement: Mapped[Placement] = relationship(back_populates="reviews")

    # a placement's last review is read from the index alone, for each running placement
    __table_args__ = (Index("ix_reviews_placement_date", "placement_id", "review_date"),)


class ExtensionRequest(TimestampMixin, db.Model):
    """A request to run a placement beyond its planned end, decided by the LA."""

    __tablename__ = "extension_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    placement_id: Mapped[int] = mapped_column(ForeignKey("placements.id"), index=True)
    requested_on: Mapped[date] = mapped_column(Date)
    new_end: Mapped[date] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(Text)
    status: Mapped[ExtensionStatus] = mapped_column(
        StrEnumType(ExtensionStatus, 20), default=ExtensionStatus.PENDING, index=True
    )
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_on: Mapped[date | None] = mapped_column(Date, index=True)  # recent decisions
    decision_reason: Mapped[str | None] = mapped_column(Text)
    # What the decision page warned of (one line each), kept with the decision and its reason.
    decision_warnings: Mapped[str | None] = mapped_column(Text)

    placement: Mapped[Placement] = relationship(back_populates="extension_requests")


class Attendance(TimestampMixin, db.Model):
    """One session (AM or PM) of one placement, recorded by the provider."""

    __tablename__ = "attendance"

    id: Mapped[int] = mapped_column(primary_key=True)
    placement_id: Mapped[int] = mapped_column(ForeignKey("placements.id"))
    date: Mapped[date] = mapped_column(Date)
    session: Mapped[Session] = mapped_column(StrEnumType(Session, 2))
    code: Mapped[AttendanceCode] = mapped_column(StrEnumType(AttendanceCode, 20))
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    placement: Mapped[Placement] = relationship()

    __table_args__ = (
        UniqueConstraint("placement_id", "date", "session"),
        Index("ix_attendance_date", "date"),
    )


class AbsenceCase(TimestampMixin, db.Model):
    """A session put to the home school to follow up the same day (DESIGN.md, "Same-day
    absence follow-up"): an absence the provider could not explain, or a session not recorded
    by the LA's cut-off. The school records its contact, whether the pupil was seen safe and
    well, the reason and the code; or escalates, and the escalation stays open until closed."""

    __tablename__ = "absence_cases"

    id: Mapped[int] = mapped_column(primary_key=True)
    placement_id: Mapped[int] = mapped_column(ForeignKey("placements.id"))
    date: Mapped[date] = mapped_column(Date)
    session: Mapped[Session] = mapped_column(StrEnumType(Session, 2))
    trigger: Mapped[AbsenceTrigger] = mapped_column(StrEnumType(AbsenceTrigger, 20))
    raised_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # the school's follow-up
    contacted_whom: Mapped[str | None] = mapped_column(Text)
    contacted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    safe_and_well: Mapped[bool | None] = mapped_column(Boolean)
    reason: Mapped[str | None] = mapped_column(Text)
    dfe_code: Mapped[str | None] = mapped_column(String(2))
    followed_up_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    followed_up_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # settled without the school: the provider recorded the session after all
    settled_note: Mapped[str | None] = mapped_column(Text)
    escalation: Mapped[Escalation | None] = mapped_column(StrEnumType(Escalation, 30))
    escalation_note: Mapped[str | None] = mapped_column(Text)
    escalation_closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    escalation_closed_note: Mapped[str | None] = mapped_column(Text)

    placement: Mapped[Placement] = relationship()

    __table_args__ = (
        UniqueConstraint("placement_id", "date", "session"),
        # the open cases, however many closed ones there are
        Index("ix_absence_cases_open", "followed_up_at", "date"),
    )

    __audit_redact__ = frozenset({"reason", "contacted_whom", "escalation_note"})


class CheckItem(StrEnum):
    """What must be in place before a placement starts (DfE "Arranging alternative provision",
    Feb 2025; KCSIE). Which are required is an LA setting."""

    STAFF_CHECKS = "staff_checks"
    RISK_ASSESSMENT = "risk_assessment"
    AGREEMENT = "agreement"
    PARENT_AGREEMENT = "parent_agreement"
    PUPIL_VIEWS = "pupil_views"
    TRANSPORT_LUNCH = "transport_lunch"

    @property
    def label(self) -> str:
        return {
            "staff_checks": "Provider's confirmation of staff checks",
            "risk_assessment": "Risk assessment",
            "agreement": "Agreement between the commissioner and the provider",
            "parent_agreement": "Parent or carer's agreement",
            "pupil_views": "The pupil's views",
            "transport_lunch": "Transport and lunch",
        }[self.value]


class PlacementCheck(TimestampMixin, db.Model):
    """One pre-start item recorded for a placement. The agreement is complete only when both
    the commissioner and the provider have confirmed it; every other item when recorded."""

    __tablename__ = "placement_checks"

    id: Mapped[int] = mapped_column(primary_key=True)
    placement_id: Mapped[int] = mapped_column(ForeignKey("placements.id"))
    item: Mapped[CheckItem] = mapped_column(StrEnumType(CheckItem, 30))
    complete: Mapped[bool] = mapped_column(Boolean, default=False)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    recorded_on: Mapped[date] = mapped_column(Date)
    details: Mapped[str] = mapped_column(Text)
    # who gave it (the provider's signatory, the parent or carer), when and how
    given_by: Mapped[str | None] = mapped_column(String(200))
    given_on: Mapped[date | None] = mapped_column(Date)
    given_how: Mapped[str | None] = mapped_column(String(200))
    # the agreement: each side's confirmation
    commissioner_confirmed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    commissioner_confirmed_on: Mapped[date | None] = mapped_column(Date)
    provider_confirmed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    provider_confirmed_on: Mapped[date | None] = mapped_column(Date)

    placement: Mapped[Placement] = relationship()
    recorded_by = relationship("User", foreign_keys=[recorded_by_id])
    commissioner_confirmed_by = relationship("User", foreign_keys=[commissioner_confirmed_by_id])
    provider_confirmed_by = relationship("User", foreign_keys=[provider_confirmed_by_id])

    # one row per item; its index also serves the "started without its checks" count
    __table_args__ = (UniqueConstraint("placement_id", "item"),)

    __audit_redact__ = frozenset({"details", "given_by", "given_how"})
