"""The provider register: profile, framework status history, tags and compliance documents."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    Date,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, deferred, mapped_column, relationship, validates

from apregister.extensions import db
from apregister.models.base import StrEnumType, TimestampMixin, UTCDateTime, utcnow
from apregister.models.enums import (
    DocumentKind,
    FrameworkStatus,
    KeyStage,
    OfstedJudgement,
    OrganisationKind,
    ProvisionType,
    RegistrationType,
    Specialism,
)
from apregister.models.organisation import Organisation


def name_key(name: str) -> str:
    """The form of a name that must be unique: case and spacing do not make a new provider."""
    return " ".join(name.lower().split())


class Provider(Organisation):
    """A register entry: who the provider is and whether the LA may commission from it today."""

    __tablename__ = "providers"

    id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), primary_key=True)
    name_key: Mapped[str] = mapped_column(String(200), unique=True)
    registration_type: Mapped[RegistrationType] = mapped_column(StrEnumType(RegistrationType))
    framework_status: Mapped[FrameworkStatus] = mapped_column(
        StrEnumType(FrameworkStatus, 20), default=FrameworkStatus.APPLIED, index=True
    )
    legal_name: Mapped[str | None] = mapped_column(String(200))
    company_number: Mapped[str | None] = mapped_column(String(8))
    charity_number: Mapped[str | None] = mapped_column(String(8))
    urn: Mapped[str | None] = mapped_column(String(6), unique=True)
    ukprn: Mapped[str | None] = mapped_column(String(8), unique=True)
    ofsted_judgement: Mapped[OfstedJudgement | None] = mapped_column(
        StrEnumType(OfstedJudgement, 30)
    )
    ofsted_date: Mapped[date | None] = mapped_column(Date)

    description: Mapped[str | None] = mapped_column(Text)
    address_line_1: Mapped[str | None] = mapped_column(String(200))
    address_line_2: Mapped[str | None] = mapped_column(String(200))
    town: Mapped[str | None] = mapped_column(String(100))
    postcode: Mapped[str | None] = mapped_column(String(8))
    area: Mapped[str | None] = mapped_column(String(100), index=True)
    capacity: Mapped[int | None] = mapped_column(Integer)
    daily_rate: Mapped[Decimal | None] = mapped_column(Numeric(8, 2))
    website: Mapped[str | None] = mapped_column(String(300))

    contact_name: Mapped[str | None] = mapped_column(String(200))
    contact_email: Mapped[str | None] = mapped_column(String(254))
    contact_phone: Mapped[str | None] = mapped_column(String(20))
    safeguarding_lead_name: Mapped[str | None] = mapped_column(String(200))
    safeguarding_lead_email: Mapped[str | None] = mapped_column(String(254))
    safeguarding_lead_phone: Mapped[str | None] = mapped_column(String(20))

    internal_notes: Mapped[str | None] = mapped_column(Text)  # LA eyes only
    approved_on: Mapped[date | None] = mapped_column(Date)
    # given to a public application (providers.references): the applicant quotes it
    application_reference: Mapped[str | None] = mapped_column(String(11), unique=True)

    tags: Mapped[list[ProviderTag]] = relationship(
        back_populates="provider", cascade="all, delete-orphan"
    )
    status_changes: Mapped[list[FrameworkStatusChange]] = relationship(
        back_populates="provider",
        cascade="all, delete-orphan",
        order_by="FrameworkStatusChange.id",
    )
    documents: Mapped[list[ComplianceDocument]] = relationship(
        back_populates="provider",
        cascade="all, delete-orphan",
        order_by="ComplianceDocument.id",
    )

    __mapper_args__ = {"polymorphic_identity": OrganisationKind.PROVIDER}

    def __init__(self, **kwargs):
        tags = {
            "provision_types": kwargs.pop("provision_types", None),
            "specialisms": kwargs.pop("specialisms", None),
            "key_stages": kwargs.pop("key_stages", None),
        }
        super().__init__(**kwargs)
        for field, values in tags.items():
            if values is not None:
                setattr(self, field, values)

    @validates("name")
    def _keep_name_key(self, key: str, value: str) -> str:
        self.name_key = name_key(value)
        return value.strip()

    @property
    def is_registered(self) -> bool:
        return self.registration_type.is_registered

    def _tagged(self, kind: str, enum):
        return sorted(
            (enum(tag.value) for tag in self.tags if tag.kind == kind),
            key=list(enum).index,
        )

    def _set_tags(self, kind: str, values) -> None:
        wanted = {str(value) for value in values}
        self.tags = [tag for tag in self.tags if tag.kind != kind or tag.value in wanted] + [
            ProviderTag(kind=kind, value=value)
            for value in sorted(wanted)
            if not any(tag.kind == kind and tag.value == value for tag in self.tags)
        ]

    @property
    def provision_types(self) -> list[ProvisionType]:
        return self._tagged("provision_type", ProvisionType)

    @provision_types.setter
    def provision_types(self, values) -> None:
        self._set_tags("provision_type", values)

    @property
    def specialisms(self) -> list[Specialism]:
        return self._tagged("specialism", Specialism)

    @specialisms.setter
    def specialisms(self, values) -> None:
        self._set_tags("specialism", values)

    @property
    def key_stages(self) -> list[KeyStage]:
        return self._tagged("key_stage", KeyStage)

    @key_stages.setter
    def key_stages(self, values) -> None:
        self._set_tags("key_stage", values)


class ProviderTag(db.Model):
    """One value of a provider's many-valued fields (provision type, specialism, key stage)."""

    __tablename__ = "provider_tags"

    id: Mapped[int] = mapped_column(primary_key=True)
    provider_id: Mapped[int] = mapped_column(ForeignKey("providers.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(20))
    value: Mapped[str] = mapped_column(String(40))

    provider: Mapped[Provider] = relationship(back_populates="tags")

    __table_args__ = (
        UniqueConstraint("provider_id", "kind", "value"),
        Index("ix_provider_tags_kind_value", "kind", "value"),
    )


class FrameworkStatusChange(db.Model):
    """History of a provider's framework status: every change has a date, reason and author."""

    __tablename__ = "framework_status_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    provider_id: Mapped[int] = mapped_column(ForeignKey("providers.id"), index=True)
    from_status: Mapped[FrameworkStatus | None] = mapped_column(StrEnumType(FrameworkStatus, 20))
    to_status: Mapped[FrameworkStatus] = mapped_column(StrEnumType(FrameworkStatus, 20))
    reason: Mapped[str] = mapped_column(Text)
    checklist_override: Mapped[str | None] = mapped_column(Text)
    changed_on: Mapped[date] = mapped_column(Date)
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    changed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    provider: Mapped[Provider] = relationship(back_populates="status_changes")
    changed_by = relationship("User", lazy="joined")


class ComplianceDocument(TimestampMixin, db.Model):
    """A compliance document, kept in the database so every app server can serve it."""

    __tablename__ = "compliance_documents"

    id: Mapped[int] = mapped_column(primary_key=True)
    provider_id: Mapped[int] = mapped_column(ForeignKey("providers.id"), index=True)
    kind: Mapped[DocumentKind] = mapped_column(StrEnumType(DocumentKind, 30))
    title: Mapped[str] = mapped_column(String(200))
    issued_on: Mapped[date | None] = mapped_column(Date)
    expires_on: Mapped[date | None] = mapped_column(Date, index=True)
    file_name: Mapped[str] = mapped_column(String(100))
    content_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    content: Mapped[bytes] = deferred(mapped_column(LargeBinary))
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    provider: Mapped[Provider] = relationship(back_populates="documents")
    uploaded_by = relationship("User", lazy="joined")
