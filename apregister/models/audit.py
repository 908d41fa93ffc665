"""The audit log: append-only rows written by apregister.audit."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column, relationship

from apregister.extensions import db
from apregister.models.base import StrEnumType, UTCDateTime, utcnow
from apregister.models.enums import AuditAction
from apregister.models.organisation import Organisation
from apregister.models.user import User

JSONType = JSON().with_variant(JSONB(), "postgresql")


class AuditEvent(db.Model):
    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"))
    action: Mapped[AuditAction] = mapped_column(StrEnumType(AuditAction, 20))
    table_name: Mapped[str | None] = mapped_column(String(60))
    record_id: Mapped[str | None] = mapped_column(String(40))
    changes: Mapped[dict[str, Any] | None] = mapped_column(JSONType)
    detail: Mapped[str | None] = mapped_column(String(300))

    user: Mapped[User | None] = relationship()
    organisation: Mapped[Organisation | None] = relationship()

    __table_args__ = (Index("ix_audit_events_record", "table_name", "record_id"),)
