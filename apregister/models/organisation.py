"""Organisations: the LA (one per installation), schools and providers."""

from __future__ import annotations

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from apregister.extensions import db
from apregister.models.base import StrEnumType, TimestampMixin
from apregister.models.enums import OrganisationKind, SchoolPhase


class Organisation(TimestampMixin, db.Model):
    __tablename__ = "organisations"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[OrganisationKind] = mapped_column(StrEnumType(OrganisationKind, 20))
    name: Mapped[str] = mapped_column(String(200))

    __mapper_args__ = {"polymorphic_on": "kind"}

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.id} {self.name!r}>"


class LocalAuthority(Organisation):
    """The one LA that runs this installation; it has no columns of its own."""

    __mapper_args__ = {"polymorphic_identity": OrganisationKind.LA, "polymorphic_load": "inline"}


class School(Organisation):
    __tablename__ = "schools"

    id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), primary_key=True)
    urn: Mapped[str | None] = mapped_column(String(6), unique=True)
    phase: Mapped[SchoolPhase] = mapped_column(StrEnumType(SchoolPhase, 20))

    __mapper_args__ = {"polymorphic_identity": OrganisationKind.SCHOOL}
