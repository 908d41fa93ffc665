"""Users and their server-side sessions."""

from __future__ import annotations

from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import JSON, Boolean, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from apregister.extensions import db
from apregister.models.base import StrEnumType, TimestampMixin, UTCDateTime, utcnow
from apregister.models.enums import LA_ROLES, Role
from apregister.models.organisation import Organisation


def normalise_email(email: str) -> str:
    return email.strip().lower()


class User(UserMixin, TimestampMixin, db.Model):
    __tablename__ = "users"
    # Sign-in bookkeeping is recorded as sign-in events, not as record changes.
    # The last code's time step is sign-in bookkeeping too; the second factor's secret and the
    # recovery codes' hashes never reach the log (set-up and reset are logged as events).
    __audit_ignore__ = frozenset(
        {"failed_attempts", "locked_until", "last_sign_in_at", "totp_last_step"}
    )
    __audit_redact__ = frozenset({"password_hash", "totp_secret", "recovery_code_hashes"})

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    role: Mapped[Role] = mapped_column(StrEnumType(Role, 20))
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    failed_attempts: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
    last_sign_in_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Two-factor sign-in: the base32 TOTP secret (stored unencrypted: protect the database and
    # its backups), when it was confirmed, the time step of the last code accepted (so a code
    # works once), and the unused recovery codes' hashes.
    totp_secret: Mapped[str | None] = mapped_column(String(64))
    two_factor_enabled_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    totp_last_step: Mapped[int | None] = mapped_column(Integer)
    recovery_code_hashes: Mapped[list[str] | None] = mapped_column(JSON)

    organisation: Mapped[Organisation] = relationship(lazy="joined", innerjoin=True)

    @validates("email")
    def _normalise_email(self, key: str, value: str) -> str:
        return normalise_email(value)

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive users
        return self.active

    @property
    def is_la(self) -> bool:
        return self.role in LA_ROLES

    @property
    def has_two_factor(self) -> bool:
        return self.two_factor_enabled_at is not None and self.totp_secret is not None

    def __repr__(self) -> str:
        return f"<User {self.id} {self.role}>"


class UserSession(db.Model):
    """One signed-in browser. Signing out or deactivating revokes it, so a copied cookie dies."""

    __tablename__ = "user_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    user: Mapped[User] = relationship(lazy="joined", innerjoin=True)


class Invitation(db.Model):
    """A one-time link for a new user to choose their password; only its hash is stored."""

    __tablename__ = "invitations"
    __audit_redact__ = frozenset({"token_hash"})

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    user: Mapped[User] = relationship(foreign_keys=[user_id], lazy="joined", innerjoin=True)
