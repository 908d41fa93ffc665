"""A placement's attendance, and the absences put to the home school to follow up."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from apregister.extensions import db
from apregister.models.base import StrEnumType, TimestampMixin, UTCDateTime, utcnow
from apregister.models.enums import AbsenceTrigger, AttendanceCode, Escalation, Session
from apregister.models.placement.placement import Placement


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
