"""How a placement goes on: its reviews and requests to extend it."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import Date, ForeignKey, Index, Numeric, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from apregister.extensions import db
from apregister.models.audit import JSONType
from apregister.models.base import StrEnumType, TimestampMixin
from apregister.models.enums import ExtensionStatus, ReviewDecision
from apregister.models.placement.placement import Placement


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
