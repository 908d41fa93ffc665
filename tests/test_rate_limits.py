"""Abuse limits on the public forms (issue 12): sign-in and /apply are throttled by client
address, in a store every app server shares (the database; Redis when configured), with a
GOV.UK-style page and a 429. The suite's own app runs with the limits off; these tests build
apps with them on, against the same database."""

from __future__ import annotations

import socket
import time

import pytest
from flask import Flask
from sqlalchemy import func, select

from apregister import create_app
from apregister.config import TestConfig
from apregister.limits import DatabaseStorage, prune_expired
from apregister.models import Provider, RateLimitCounter, Role
from tests.conftest import IsolatedClient, csrf_token, make_user

TOO_MANY = "Sorry, there have been too many attempts"


def _limited_app(database_url: str, **settings) -> Flask:
    application = create_app(
        TestConfig,
        SQLALCHEMY_DATABASE_URI=database_url,
        RATELIMIT_ENABLED=True,
        RATELIMIT_SIGN_IN="3 per minute",
        RATELIMIT_APPLY="2 per hour",
        **settings,
    )
    application.test_client_class = IsolatedClient
    return application


def _client(application: Flask, address: str):
    client = application.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return client


def _sign_in(client, email: str, password: str = "wrong password, certainly"):
    token = csrf_token(client, "/sign-in")
    return client.post("/sign-in", data={"csrf_token": token, "email": email, "password": password})


@pytest.fixture
def limited(database_url):
    return _limited_app(database_url)


def test_the_fourth_sign_in_a_minute_from_one_address_gets_the_too_many_page(db, limited):
    user = make_user(Role.SCHOOL)
    client = _client(limited, "203.0.113.7")
    for _ in range(3):
        assert _sign_in(client, user.email).status_code == 200  # wrong password: the form again
    refused = _sign_in(client, user.email)
    assert refused.status_code == 429
    page = refused.get_data(as_text=True)
    assert TOO_MANY in page and "<title>" in page
    assert int(refused.headers["Retry-After"]) > 0
    # reading the form is not counted, and another address is not held back
    assert client.get("/sign-in").status_code == 200
    other = _client(limited, "198.51.100.9")
    assert _sign_in(other, user.email).status_code == 200


def test_the_suites_own_app_has_no_limits(app, client, db):
    user = make_user(Role.SCHOOL)
    for _ in range(6):
        assert _sign_in(client, user.email).status_code == 200
    assert db.session.scalar(select(func.count()).select_from(RateLimitCounter)) == 0


def test_applying_is_limited_and_a_refused_application_writes_nothing(db, limited):
    client = _client(limited, "203.0.113.8")
    for n in range(3):
        token = csrf_token(client, "/apply")
        response = client.post(
            "/apply",
            data={
                "csrf_token": token,
                "name": f"Flood Tutors {n}",
                "registration_type": "tuition",
                "town": "Demoton",
                "contact_name": "A Person",
                "contact_email": f"person{n}@flood.example",
            },
        )
    assert response.status_code == 429
    assert TOO_MANY in response.get_data(as_text=True)
    names = set(db.session.scalars(select(Provider.name)))
    assert "Flood Tutors 2" not in names


def test_two_app_servers_share_one_count(db, database_url, limited):
    """Each app has its own process state; the count lives in the database they share."""
    second = _limited_app(database_url)
    user = make_user(Role.SCHOOL)
    first_client, second_client = _client(limited, "203.0.113.9"), _client(second, "203.0.113.9")
    assert _sign_in(first_client, user.email).status_code == 200
    assert _sign_in(second_client, user.email).status_code == 200
    assert _sign_in(first_client, user.email).status_code == 200
    assert _sign_in(second_client, user.email).status_code == 429


def test_a_window_starts_again_once_it_has_ended_and_the_worker_prunes_it(db, limited):
    storage = DatabaseStorage()
    with limited.app_context():
        assert storage.incr("k", expiry=60) == 1
        assert storage.incr("k", expiry=60, amount=2) == 3
        assert storage.get("k") == 3 and storage.get_expiry("k") > time.time()
        assert storage.incr("short", expiry=0) == 1  # ends at once
        assert storage.incr("short", expiry=60) == 1  # a new window, not 2
        assert storage.check()
        assert prune_expired(time.time() + 120) == 2
        from apregister.extensions import db as _db

        _db.session.commit()
        assert storage.get("k") == 0


def _redis_reachable() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=0.5):
            return True
    except OSError:
        return False


@pytest.mark.skipif(not _redis_reachable(), reason="no Redis on 127.0.0.1:6379")
def test_redis_can_hold_the_counts_instead(db, database_url):
    # `make test` runs the SQLite and PostgreSQL suites at once: one Redis database each
    number = 14 if database_url.startswith("postgresql") else 15
    application = _limited_app(
        database_url, RATELIMIT_STORAGE_URI=f"redis://127.0.0.1:6379/{number}"
    )
    limiter = application.extensions["apregister.limiter"]
    limiter.reset()
    user = make_user(Role.SCHOOL)
    client = _client(application, "203.0.113.10")
    try:
        statuses = [_sign_in(client, user.email).status_code for _ in range(4)]
        assert statuses == [200, 200, 200, 429]
        assert db.session.scalar(select(func.count()).select_from(RateLimitCounter)) == 0
    finally:
        limiter.reset()
