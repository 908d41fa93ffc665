"""What must be in place before a placement starts."""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from sqlalchemy import Boolean, Date, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from apregister.extensions import db
from apregister.models.base import StrEnumType, TimestampMixin
from apregister.models.placement.placement import Placement


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
