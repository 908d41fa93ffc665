"""Inviting a provider's users: a one-time link, sent by message to the person (DESIGN.md,
"Messages"), that lets them choose a password. Flush, never commit."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from sqlalchemy import func, select

from apregister.auth.operations import hash_password
from apregister.extensions import db
from apregister.messages.accounts import invitation as invitation_message
from apregister.models import Invitation, Provider, Role, User
from apregister.users.operations import add_user

INVITATION_LIFETIME = timedelta(days=7)


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def invite_user(
    provider: Provider, *, name: str, email: str, by: User, now: datetime
) -> tuple[User, str]:
    """A provider user who chooses their own password through a one-time link, sent to them by
    message (never shown on screen); returns the user and the token."""
    user = add_user(
        email=email,
        name=name,
        role=Role.PROVIDER,
        organisation_id=provider.id,
        password=secrets.token_urlsafe(32),  # nobody knows it; the invitation sets a real one
    )
    return user, _new_invitation(user, provider, by=by, now=now)


def _new_invitation(user: User, provider: Provider, *, by: User, now: datetime) -> str:
    token = secrets.token_urlsafe(32)
    expires = now + INVITATION_LIFETIME
    db.session.add(
        Invitation(
            token_hash=_token_hash(token),
            user_id=user.id,
            created_by_id=by.id,
            created_at=now,
            expires_at=expires,
        )
    )
    db.session.flush()
    invitation_message(user, provider, token, expires)
    return token


def pending_invitee(provider: Provider, email: str) -> User | None:
    """A user of `provider` with this email who was invited but has never set a password."""
    return db.session.scalars(
        select(User).where(
            func.lower(User.email) == email.strip().lower(),
            User.organisation_id == provider.id,
            User.role == Role.PROVIDER,
            User.id.in_(select(Invitation.user_id)),
            ~User.id.in_(select(Invitation.user_id).where(Invitation.used_at.is_not(None))),
        )
    ).first()


def invite_again(user: User, provider: Provider, *, by: User, now: datetime) -> str:
    """A new link for someone whose invitation was never used; older links stop working."""
    for old in db.session.scalars(
        select(Invitation).where(Invitation.user_id == user.id, Invitation.used_at.is_(None))
    ):
        old.expires_at = min(old.expires_at, now)
    return _new_invitation(user, provider, by=by, now=now)


def find_invitation(token: str, now: datetime) -> Invitation | None:
    """The invitation behind a link, if it is unused and in date."""
    invitation = db.session.scalars(
        select(Invitation).where(Invitation.token_hash == _token_hash(token))
    ).first()
    if invitation is None or invitation.used_at is not None or invitation.expires_at <= now:
        return None
    return invitation


def accept_invitation(invitation: Invitation, *, password: str, now: datetime) -> User:
    invitation.used_at = now
    invitation.user.password_hash = hash_password(password)
    invitation.user.active = True
    db.session.flush()
    return invitation.user
