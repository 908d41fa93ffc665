from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from apregister.auth.rules import (
    after_failed_attempt,
    is_locked,
    password_problem,
    session_expired,
)

NOW = datetime(2026, 11, 22, 9, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    "password",
    ["short", "elevenchars"],
)
def test_password_shorter_than_12_characters_is_refused(password):
    assert "at least 12 characters" in password_problem(password, min_length=12)


@pytest.mark.parametrize("password", ["qwerty123456", "123qweasdzxc", "Leavemealone"])
def test_common_password_is_refused(password):
    assert "commonly used" in password_problem(password, min_length=12)


@pytest.mark.parametrize("password", ["aaaaaaaaaaaaaaaa", "password1234", "abcdefghijklmnop"])
def test_guessable_password_is_refused(password):
    assert password_problem(password, min_length=12) is not None


def test_password_that_is_the_users_own_email_address_is_refused():
    email = "alex.morgan@example.test"
    assert password_problem(email, min_length=12) is None
    assert password_problem(email, min_length=12, user_inputs=[email, "Alex Morgan"]) is not None


@pytest.mark.parametrize(
    "password",
    ["correct horse battery staple", "lantern-orbit-pebble", "all lower case words here"],
)
def test_long_passphrase_needs_no_symbols_digits_or_capitals(password):
    assert password_problem(password, min_length=12) is None


def test_lock_comes_on_the_tenth_failure_in_a_row():
    attempts, locked_until = 0, None
    for _ in range(9):
        attempts, locked_until = after_failed_attempt(
            attempts, NOW, limit=10, period=timedelta(minutes=15)
        )
        assert locked_until is None
    attempts, locked_until = after_failed_attempt(
        attempts, NOW, limit=10, period=timedelta(minutes=15)
    )
    assert locked_until == NOW + timedelta(minutes=15)
    assert attempts == 0


def test_lock_lasts_15_minutes():
    until = NOW + timedelta(minutes=15)
    assert is_locked(until, NOW + timedelta(minutes=14, seconds=59))
    assert not is_locked(until, until)
    assert not is_locked(None, NOW)


@given(idle_minutes=st.integers(min_value=0, max_value=29), age_hours=st.integers(0, 11))
def test_session_used_recently_within_12_hours_is_live(idle_minutes, age_hours):
    created = NOW - timedelta(hours=age_hours, minutes=idle_minutes)
    last_seen = NOW - timedelta(minutes=idle_minutes)
    assert not session_expired(
        created, last_seen, NOW, idle=timedelta(minutes=30), absolute=timedelta(hours=12)
    )


def test_session_ends_after_30_idle_minutes():
    assert session_expired(
        NOW - timedelta(hours=1),
        NOW - timedelta(minutes=30),
        NOW,
        idle=timedelta(minutes=30),
        absolute=timedelta(hours=12),
    )


def test_session_ends_12_hours_after_sign_in_however_busy():
    assert session_expired(
        NOW - timedelta(hours=12),
        NOW - timedelta(seconds=5),
        NOW,
        idle=timedelta(minutes=30),
        absolute=timedelta(hours=12),
    )
