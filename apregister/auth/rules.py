"""Pure rules for passwords, lockout, session lifetime, second-factor codes and where to go after
signing in. `now` is always passed in."""

from __future__ import annotations

import hmac
import re
import unicodedata
from collections.abc import Iterable
from datetime import datetime, timedelta
from functools import cache
from urllib.parse import unquote, urlsplit

import pyotp
from zxcvbn import zxcvbn
from zxcvbn.frequency_lists import FREQUENCY_LISTS

from apregister.models.enums import LA_ROLES, Role

# zxcvbn scores 0-4; below 3 a password falls to an online or slow offline guessing attack.
MIN_GUESSABILITY_SCORE = 3


@cache
def _common_passwords() -> frozenset[str]:
    return frozenset(FREQUENCY_LISTS["passwords"])


def _words(value: str) -> list[str]:
    """'alex.morgan@example.test' -> the whole and each word, so each counts as guessable."""
    lowered = value.strip().lower()
    return [lowered, *(word for word in re.split(r"[^a-z0-9]+", lowered) if len(word) > 2)]


def password_problem(
    password: str, *, min_length: int, user_inputs: Iterable[str] = ()
) -> str | None:
    """Why a new password is refused, in plain words, or None if it is acceptable.

    Length and guessability only: no composition rules (NCSC and NIST advice).
    """
    if len(password) < min_length:
        return f"Your password must be at least {min_length} characters long"
    if password.lower() in _common_passwords():
        return "This is a commonly used password. Choose a different one"
    inputs = [part for value in user_inputs for part in _words(value)]
    # zxcvbn refuses to look past 72 characters; a passphrase that long is judged on its start
    if zxcvbn(password[:72], user_inputs=inputs)["score"] < MIN_GUESSABILITY_SCORE:
        return (
            "This password is too easy to guess. Try three or more random words, "
            "and avoid your name, your email address, repeated characters and sequences"
        )
    return None


def is_locked(locked_until: datetime | None, now: datetime) -> bool:
    return locked_until is not None and locked_until > now


def after_failed_attempt(
    failed_attempts: int, now: datetime, *, limit: int, period: timedelta
) -> tuple[int, datetime | None]:
    """The new (failed_attempts, locked_until) after one more wrong password."""
    attempts = failed_attempts + 1
    if attempts >= limit:
        return 0, now + period
    return attempts, None


def session_expired(
    created_at: datetime,
    last_seen_at: datetime,
    now: datetime,
    *,
    idle: timedelta,
    absolute: timedelta,
) -> bool:
    """A session ends after `idle` without a request, or `absolute` after sign-in."""
    return now - last_seen_at >= idle or now - created_at >= absolute


# Our own addresses are short; a longer `next` is not one we made.
MAX_NEXT_LENGTH = 2000


def _unsafe_character(character: str) -> bool:
    # Controls (tab, CR, LF, NUL, DEL, C1), format characters (zero-width, bidi overrides) and
    # every kind of space: browsers drop or rewrite some of these, which is how `/\t/x` becomes
    # `//x`, and CR or LF would split the Location header.
    return unicodedata.category(character)[0] in {"C", "Z"}


def _doubtful_path(path: str) -> bool:
    return (
        not path.startswith("/")
        or "//" in path
        or "\\" in path
        or any(_unsafe_character(c) for c in path)
        or any(segment in {".", ".."} for segment in path.split("/"))
    )


def safe_next_path(target: str | None) -> str | None:
    """`target` if it is plainly a path on this site, else None: never another host.

    Anything doubtful is refused rather than repaired, since a repair would have to guess what
    each browser makes of it; the caller then goes to the home page.
    """
    if not target or len(target) > MAX_NEXT_LENGTH or not target.startswith("/"):
        return None
    if "\\" in target or any(_unsafe_character(c) for c in target):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or parts.fragment:
        return None
    # urlsplit drops an empty authority (`///x` has the path `/x`), so test the path as written,
    # and then as the router (or a browser) decodes it: `/%2F/x` is `//x` to the router. Decode
    # until nothing changes, in case it was encoded more than once.
    path = target.partition("?")[0]
    for _ in range(3):
        if _doubtful_path(path):
            return None
        decoded = unquote(path)
        if decoded == path:
            return target
        path = decoded
    return None


# ---- two-factor sign-in ----------------------------------------------------------------------

# RFC 6238 defaults, which every authenticator app uses: 6 digits, a new code every 30 seconds.
TOTP_INTERVAL = 30
# A code from the step before or after this one is accepted, for a phone's clock a little out.
TOTP_DRIFT_STEPS = 1
RECOVERY_CODE_COUNT = 10
# Lower-case letters and digits that cannot be mistaken for one another (no 0/o, 1/l/i).
RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
RECOVERY_CODE_LENGTH = 10  # about 50 bits each
# How long a checked password waits for its code (or for the set-up to be finished).
PENDING_LIFETIME = timedelta(minutes=10)


def two_factor_required(role: Role, *, enforced: bool, for_all: bool) -> bool:
    """Whether a user of `role` must sign in with a second factor: LA staff always, others only
    when the LA asks it of everyone."""
    return enforced and (role in LA_ROLES or for_all)


def time_step(now: datetime) -> int:
    return int(now.timestamp()) // TOTP_INTERVAL


def code_step(secret: str, code: str, now: datetime) -> int | None:
    """The time step whose code `code` is (this one or one either side), or None if none."""
    totp = pyotp.TOTP(secret, interval=TOTP_INTERVAL)
    current = time_step(now)
    for step in sorted(
        range(current - TOTP_DRIFT_STEPS, current + TOTP_DRIFT_STEPS + 1),
        key=lambda s: abs(s - current),
    ):
        if hmac.compare_digest(totp.generate_otp(step), code):
            return step
    return None


def code_already_used(step: int, last_step: int | None) -> bool:
    """A code works once: refused if its time step is not after the last one accepted."""
    return last_step is not None and step <= last_step


def tidy_code(value: str) -> str:
    """What the person typed, without the spaces and hyphens people add to read codes out."""
    return re.sub(r"[\s-]+", "", value).lower()


def is_code(value: str) -> bool:
    return len(value) == 6 and value.isascii() and value.isdigit()


def is_recovery_code(value: str) -> bool:
    return len(value) == RECOVERY_CODE_LENGTH and all(c in RECOVERY_ALPHABET for c in value)


def show_recovery_code(code: str) -> str:
    """'abcdefghjk' -> 'abcde-fghjk', easier to copy out by hand."""
    half = len(code) // 2
    return f"{code[:half]}-{code[half:]}"


def show_secret(secret: str) -> str:
    """The set-up key in groups of four, as authenticator apps show it."""
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def pending_expired(started: datetime, now: datetime) -> bool:
    return now - started >= PENDING_LIFETIME
