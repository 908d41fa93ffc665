"""Questions about accounts that views and commands share."""

from __future__ import annotations

from sqlalchemy import select

from apregister.extensions import db
from apregister.models import User
from apregister.models.user import normalise_email

EMAIL_TAKEN = "An account with this email address already exists"


def email_taken(email: str, except_id: int | None = None) -> bool:
    """Emails are unique whatever their case, across every organisation."""
    stmt = select(User.id).where(User.email == normalise_email(email))
    if except_id is not None:
        stmt = stmt.where(User.id != except_id)
    return db.session.scalar(stmt.limit(1)) is not None
