"""Pure rules for passwords, lockout and session lifetime. `now` is always passed in."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import datetime, timedelta
from functools import cache

from zxcvbn import zxcvbn
from zxcvbn.frequency_lists import FREQUENCY_LISTS

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
    if zxcvbn(password, user_inputs=inputs)["score"] < MIN_GUESSABILITY_SCORE:
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
