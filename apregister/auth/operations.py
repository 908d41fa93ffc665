"""Signing in and out, and server-side sessions. Flush, never commit."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta
from enum import StrEnum

from flask import current_app, session
from sqlalchemy import or_, select, update
from sqlalchemy.orm.attributes import set_committed_value
from werkzeug.security import check_password_hash, generate_password_hash

from apregister.audit import record_event
from apregister.auth import rules
from apregister.extensions import db
from apregister.models import AuditAction, User, UserSession
from apregister.models.user import normalise_email
from apregister.settings import current_settings

SESSION_KEY = "sid"
# Checked against when the email is unknown, so both paths cost the same time.
_DUMMY_HASH: dict[str, str] = {}

# last_seen_at is written at most this often, to spare the database a write per request.
LAST_SEEN_RESOLUTION = timedelta(seconds=60)


def hash_password(password: str) -> str:
    return generate_password_hash(password, method=current_app.config["PASSWORD_HASH_METHOD"])


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _spend_time_like_a_check(password: str) -> None:
    method = current_app.config["PASSWORD_HASH_METHOD"]
    if method not in _DUMMY_HASH:
        _DUMMY_HASH[method] = generate_password_hash(secrets.token_hex(16), method=method)
    check_password_hash(_DUMMY_HASH[method], password)


def _count_attempt(user: User, now: datetime) -> int | None:
    """Count one more attempt at `user`'s password, atomically; None if the account is locked.

    The one UPDATE both tests the lock and adds to the count, so parallel guesses can neither
    lose a count nor slip past a lock that another has just set. It also holds the row's write
    lock (PostgreSQL) or the database's (SQLite) until the caller commits, so attempts at one
    account are decided one after another.
    """
    attempts = db.session.execute(
        update(User)
        .where(
            User.id == user.id,
            or_(User.locked_until.is_(None), User.locked_until <= now),
        )
        .values(failed_attempts=User.failed_attempts + 1, locked_until=None)
        .returning(User.failed_attempts)
        .execution_options(synchronize_session=False)
    ).scalar_one_or_none()
    if attempts is not None:
        set_committed_value(user, "failed_attempts", attempts)
        set_committed_value(user, "locked_until", None)
    return attempts


def _set_lockout(user: User, failed_attempts: int, locked_until: datetime | None) -> None:
    # A plain UPDATE, under the lock _count_attempt took; these columns are sign-in
    # bookkeeping that the audit hook ignores (User.__audit_ignore__), so nothing is lost.
    db.session.execute(
        update(User)
        .where(User.id == user.id)
        .values(failed_attempts=failed_attempts, locked_until=locked_until)
        .execution_options(synchronize_session=False)
    )
    set_committed_value(user, "failed_attempts", failed_attempts)
    set_committed_value(user, "locked_until", locked_until)


def record_failed_attempt(
    user: User, attempts: int, action: AuditAction, detail: str, *, now: datetime
) -> bool:
    """After a wrong password or code (the `attempts`-th, counted by _count_attempt): log it,
    and lock the account when that makes too many in a row. Returns whether it locked."""
    config = current_app.config
    failed_attempts, locked_until = rules.after_failed_attempt(
        attempts - 1, now, limit=config["LOCKOUT_ATTEMPTS"], period=config["LOCKOUT_PERIOD"]
    )
    if locked_until is not None:
        _set_lockout(user, failed_attempts, locked_until)
    record_event(db.session, action, user=user, detail=detail)
    if locked_until is not None:
        record_event(
            db.session,
            AuditAction.ACCOUNT_LOCKED,
            user=user,
            detail=f"{config['LOCKOUT_ATTEMPTS']} failed attempts in a row",
        )
    return locked_until is not None


def authenticate(email: str, password: str, *, now: datetime) -> User | None:
    """The user if the email and password match an active, unlocked account; every try is logged.

    A locked account is refused before its password hash is looked at.
    """
    user = db.session.scalars(select(User).where(User.email == normalise_email(email))).first()
    if user is None:
        _spend_time_like_a_check(password)
        record_event(db.session, AuditAction.SIGN_IN_FAILED, detail="unknown email")
        return None
    attempts = _count_attempt(user, now)
    if attempts is None:
        _spend_time_like_a_check(password)
        record_event(db.session, AuditAction.SIGN_IN_FAILED, user=user, detail="account locked")
        return None
    if not check_password_hash(user.password_hash, password):
        record_failed_attempt(user, attempts, AuditAction.SIGN_IN_FAILED, "wrong password", now=now)
        return None
    stage = second_factor_stage(user)
    # The right password ends the run of failures, whether or not the account may sign in;
    # with a second factor set up, only the right code does (this attempt is not counted).
    _set_lockout(user, attempts - 1 if stage is SecondFactor.CODE else 0, None)
    if not user.active:
        record_event(db.session, AuditAction.SIGN_IN_FAILED, user=user, detail="account inactive")
        return None
    if stage is None:
        complete_sign_in(user, now=now)
    return user


class SecondFactor(StrEnum):
    """What a user must do after the right password, before they are signed in."""

    CODE = "code"  # enter a code from their app, or a recovery code
    SET_UP = "set_up"  # set the second factor up first


def two_factor_required(user: User) -> bool:
    for_all = False if user.is_la else current_settings().require_two_factor_for_all
    return rules.two_factor_required(
        user.role, enforced=current_app.config["TWO_FACTOR_REQUIRED"], for_all=for_all
    )


def second_factor_stage(user: User) -> SecondFactor | None:
    """None when the password is enough. Anyone who has set up a second factor is asked for it."""
    if user.has_two_factor:
        return SecondFactor.CODE
    if two_factor_required(user):
        return SecondFactor.SET_UP
    return None


def complete_sign_in(user: User, *, now: datetime) -> None:
    """Every factor checked: the run of failures ends and the sign-in is logged."""
    _set_lockout(user, 0, None)
    user.last_sign_in_at = now
    record_event(db.session, AuditAction.SIGN_IN, user=user)


def start_session(user: User, *, now: datetime) -> None:
    """A fresh session at sign-in: the old cookie's contents are dropped, a new token is issued."""
    session.clear()
    token = secrets.token_urlsafe(32)
    db.session.add(
        UserSession(token_hash=_token_hash(token), user=user, created_at=now, last_seen_at=now)
    )
    session[SESSION_KEY] = token
    session.permanent = True


def current_session_row(now: datetime) -> UserSession | None:
    """The live server-side session behind this request's cookie, touched; None if it has ended."""
    token = session.get(SESSION_KEY)
    if not token:
        return None
    row = db.session.scalars(
        select(UserSession).where(UserSession.token_hash == _token_hash(token))
    ).first()
    if row is None or row.revoked_at is not None or not row.user.active:
        return None
    config = current_app.config
    if rules.session_expired(
        row.created_at,
        row.last_seen_at,
        now,
        idle=config["SESSION_IDLE_TIMEOUT"],
        absolute=config["SESSION_ABSOLUTE_LIFETIME"],
    ):
        row.revoked_at = now
        return None
    if now - row.last_seen_at >= LAST_SEEN_RESOLUTION:
        row.last_seen_at = now
    return row


def end_session(user: User, *, now: datetime) -> None:
    """Sign out: revoke this browser's server-side session and log it."""
    token = session.get(SESSION_KEY)
    if token:
        db.session.execute(
            update(UserSession)
            .where(UserSession.token_hash == _token_hash(token), UserSession.revoked_at.is_(None))
            .values(revoked_at=now)
        )
    record_event(db.session, AuditAction.SIGN_OUT, user=user)
    session.clear()


def revoke_all_sessions(user: User, *, now: datetime) -> None:
    """End every session a user has (on deactivation or a password change)."""
    db.session.execute(
        update(UserSession)
        .where(UserSession.user_id == user.id, UserSession.revoked_at.is_(None))
        .values(revoked_at=now)
    )
