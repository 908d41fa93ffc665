"""Two-factor sign-in: the "password checked, code pending" marker, set-up, checking codes and
recovery codes, and the la_lead's reset. Flush, never commit.

Between the right password and the right code the browser holds only a marker in its (signed)
session cookie, good for a few minutes: never a server-side session, so no page but the code
and set-up pages will answer it.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum

import pyotp
import segno
from flask import current_app, session
from werkzeug.security import check_password_hash, generate_password_hash

from apregister.audit import record_event
from apregister.auth import rules
from apregister.auth.operations import (
    SecondFactor,
    _count_attempt,
    complete_sign_in,
    record_failed_attempt,
    revoke_all_sessions,
)
from apregister.extensions import db
from apregister.models import AuditAction, User

PENDING_KEY = "two_factor_pending"
# The secret being set up, until a code from it is confirmed (only then is it saved).
SET_UP_SECRET_KEY = "two_factor_set_up_secret"


# ---- the pending marker ----------------------------------------------------------------------


@dataclass(frozen=True)
class Pending:
    user: User
    stage: SecondFactor
    next_path: str | None


def begin_pending(user: User, stage: SecondFactor, *, next_path: str | None, now: datetime) -> None:
    """The password was right: remember that, and what is still to do, for a few minutes."""
    session.pop(SET_UP_SECRET_KEY, None)
    session[PENDING_KEY] = {
        "user_id": user.id,
        "stage": stage.value,
        "since": now.timestamp(),
        "next": next_path,
    }


def clear_pending() -> None:
    session.pop(PENDING_KEY, None)
    session.pop(SET_UP_SECRET_KEY, None)


def current_pending(now: datetime) -> Pending | None:
    """The marker, if it is still fresh and its account can still sign in; else cleared, None."""
    marker = session.get(PENDING_KEY)
    if not isinstance(marker, dict):
        return None
    try:
        started = datetime.fromtimestamp(float(marker["since"]), UTC)
        stage = SecondFactor(marker["stage"])
        user_id = int(marker["user_id"])
    except (KeyError, TypeError, ValueError):
        clear_pending()
        return None
    user = db.session.get(User, user_id)
    if rules.pending_expired(started, now) or user is None or not user.active:
        clear_pending()
        return None
    next_path = marker.get("next")
    return Pending(user, stage, next_path if isinstance(next_path, str) else None)


# ---- set-up ----------------------------------------------------------------------------------


def secret_being_set_up() -> str:
    """This browser's new secret: made once per set-up, kept in the session until confirmed."""
    secret = session.get(SET_UP_SECRET_KEY)
    if not isinstance(secret, str) or len(secret) != 32:
        secret = pyotp.random_base32()  # 160 bits, as RFC 4226 recommends
        session[SET_UP_SECRET_KEY] = secret
    return secret


def provisioning_uri(secret: str, user: User) -> str:
    issuer = current_app.config["SERVICE_NAME"]
    return pyotp.TOTP(secret, interval=rules.TOTP_INTERVAL).provisioning_uri(
        name=user.email, issuer_name=issuer
    )


def qr_code_data_uri(uri: str) -> str:
    """The QR code as an SVG data: URI (the CSP allows data: images; no script is needed)."""
    return segno.make(uri, error="m").svg_data_uri(scale=4, border=4, dark="#0b0c0c")


def _new_recovery_codes() -> tuple[list[str], list[str]]:
    codes = [
        "".join(secrets.choice(rules.RECOVERY_ALPHABET) for _ in range(rules.RECOVERY_CODE_LENGTH))
        for _ in range(rules.RECOVERY_CODE_COUNT)
    ]
    method = current_app.config["PASSWORD_HASH_METHOD"]
    return codes, [generate_password_hash(code, method=method) for code in codes]


def confirm_set_up(user: User, secret: str, code: str, *, now: datetime) -> list[str] | None:
    """Save the second factor if `code` is from `secret`; the new recovery codes, or None.

    A wrong code here is logged but not counted towards the lockout: the person has just been
    shown the secret, so it guards nothing.
    """
    step = rules.code_step(secret, code, now)
    if step is None:
        record_event(
            db.session, AuditAction.TWO_FACTOR_FAILED, user=user, detail="wrong code at set-up"
        )
        return None
    codes, hashes = _new_recovery_codes()
    user.totp_secret = secret
    user.two_factor_enabled_at = now
    user.totp_last_step = step
    user.recovery_code_hashes = hashes
    record_event(db.session, AuditAction.TWO_FACTOR_SET_UP, user=user)
    db.session.flush()
    session.pop(SET_UP_SECRET_KEY, None)
    return codes


# ---- checking a code -------------------------------------------------------------------------


class Outcome(StrEnum):
    ACCEPTED = "accepted"
    WRONG = "wrong"
    REUSED = "reused"
    LOCKED = "locked"


def _refuse(user: User, attempts: int, detail: str, *, now: datetime) -> None:
    if record_failed_attempt(user, attempts, AuditAction.TWO_FACTOR_FAILED, detail, now=now):
        clear_pending()


def _counted(user: User, now: datetime) -> int | None:
    """Count the attempt (the same count and lock as passwords), then read the user afresh.

    The count's UPDATE holds the user's row until commit, so a code or recovery code checked
    in parallel waits here and then sees this one's step or spent code.
    """
    attempts = _count_attempt(user, now)
    if attempts is None:
        record_event(db.session, AuditAction.TWO_FACTOR_FAILED, user=user, detail="account locked")
        clear_pending()
        return None
    db.session.refresh(user, ["totp_secret", "totp_last_step", "recovery_code_hashes"])
    return attempts


def check_code(user: User, code: str, *, now: datetime) -> Outcome:
    """Sign in with a code from the app: each code works once, wrong ones count to the lock."""
    attempts = _counted(user, now)
    if attempts is None:
        return Outcome.LOCKED
    # (reset by the la_lead since the password was checked: no secret, so no code is right)
    step = rules.code_step(user.totp_secret, code, now) if user.totp_secret else None
    if step is None:
        _refuse(user, attempts, "wrong code", now=now)
        return Outcome.LOCKED if rules.is_locked(user.locked_until, now) else Outcome.WRONG
    if rules.code_already_used(step, user.totp_last_step):
        _refuse(user, attempts, "code already used", now=now)
        return Outcome.LOCKED if rules.is_locked(user.locked_until, now) else Outcome.REUSED
    user.totp_last_step = step
    record_event(db.session, AuditAction.TWO_FACTOR_PASSED, user=user, detail="code")
    complete_sign_in(user, now=now)
    return Outcome.ACCEPTED


def check_recovery_code(user: User, code: str, *, now: datetime) -> Outcome:
    """Sign in with a recovery code instead: it is spent; wrong ones count to the lock."""
    attempts = _counted(user, now)
    if attempts is None:
        return Outcome.LOCKED
    hashes = list(user.recovery_code_hashes or [])
    match = next((h for h in hashes if check_password_hash(h, code)), None)
    if match is None:
        _refuse(user, attempts, "wrong recovery code", now=now)
        return Outcome.LOCKED if rules.is_locked(user.locked_until, now) else Outcome.WRONG
    hashes.remove(match)
    user.recovery_code_hashes = hashes
    record_event(
        db.session,
        AuditAction.RECOVERY_CODE_USED,
        user=user,
        detail=f"{len(hashes)} recovery codes left",
    )
    record_event(db.session, AuditAction.TWO_FACTOR_PASSED, user=user, detail="recovery code")
    complete_sign_in(user, now=now)
    return Outcome.ACCEPTED


# ---- reset -----------------------------------------------------------------------------------


def reset_two_factor(user: User, *, by: User, now: datetime) -> None:
    """Forget `user`'s second factor and sign them out everywhere; they set it up again at
    their next sign-in."""
    user.totp_secret = None
    user.two_factor_enabled_at = None
    user.totp_last_step = None
    user.recovery_code_hashes = None
    revoke_all_sessions(user, now=now)
    record_event(
        db.session,
        AuditAction.TWO_FACTOR_RESET,
        user=by,
        detail=f"second factor reset for user {user.id}",
        table_name="users",
        record_id=user.id,
    )
    db.session.flush()
