"""Adding and changing accounts. Flush, never commit."""

from __future__ import annotations

from datetime import datetime

from apregister.auth.operations import hash_password, revoke_all_sessions
from apregister.extensions import db
from apregister.models import Role, User


def add_user(*, email: str, name: str, role: Role, organisation_id: int, password: str) -> User:
    user = User(
        email=email,
        name=name.strip(),
        role=role,
        organisation_id=organisation_id,
        password_hash=hash_password(password),
        active=True,
    )
    db.session.add(user)
    db.session.flush()
    return user


def change_user(
    user: User,
    *,
    email: str,
    name: str,
    role: Role,
    organisation_id: int,
    active: bool,
    password: str | None,
    now: datetime,
) -> User:
    """Change an account; deactivating it or setting a new password ends its sessions."""
    user.email = email
    user.name = name.strip()
    user.role = role
    user.organisation_id = organisation_id
    was_active = user.active
    user.active = active
    if password:
        user.password_hash = hash_password(password)
        user.failed_attempts = 0
        user.locked_until = None
    if (was_active and not active) or password:
        revoke_all_sessions(user, now=now)
    db.session.flush()
    return user
