"""Wrong passwords sent in parallel must still lock the account (issue 12, defect 2).

The app is served on a real port from a background thread, and many clients post the real
sign-in form at the same moment, so the requests race in the database as they would in
production. The data builders commit, so the served app sees the account.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests
from flask import Flask
from sqlalchemy import func, select

from apregister.auth.rules import is_locked
from apregister.auth.views import BAD_SIGN_IN
from apregister.models import AuditAction, AuditEvent, Role, User, UserSession
from apregister.models.base import utcnow
from tests.conftest import PASSWORD, make_user
from tests.serving import CSRF_INPUT, serve

GUESSERS = 40
_CSRF = CSRF_INPUT


@pytest.fixture
def served(app: Flask) -> Iterator[str]:
    """The app on a free port of 127.0.0.1, one thread per request; yields its URL."""
    with serve(app, "lockout-server") as url:
        yield url


class Browser:
    """One visitor: its own cookie jar and the CSRF token of the sign-in page it was shown."""

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url
        self.http = requests.Session()
        self.http.trust_env = False  # straight to 127.0.0.1, whatever proxy is configured
        page = self.http.get(f"{base_url}/sign-in", timeout=30)
        match = _CSRF.search(page.text)
        assert match, f"no CSRF token on the sign-in page ({page.status_code})"
        self.token = match.group(1)

    def sign_in(self, email: str, password: str) -> requests.Response:
        return self.http.post(
            f"{self.base_url}/sign-in",
            data={"csrf_token": self.token, "email": email, "password": password},
            allow_redirects=False,
            timeout=60,
        )


def _failures(db, user: User) -> Counter:
    events = db.session.scalars(
        select(AuditEvent).where(
            AuditEvent.action == AuditAction.SIGN_IN_FAILED, AuditEvent.user_id == user.id
        )
    )
    return Counter(event.detail for event in events)


def test_forty_parallel_wrong_passwords_lock_the_account_and_each_is_counted(app, db, served):
    limit = app.config["LOCKOUT_ATTEMPTS"]
    assert limit < GUESSERS
    user = make_user(Role.PROVIDER)
    email = user.email  # read here: the guessing threads have no app context
    start = threading.Barrier(GUESSERS)

    with ThreadPoolExecutor(max_workers=GUESSERS) as pool:
        browsers = list(pool.map(lambda _: Browser(served), range(GUESSERS)))

        def guess(n: int) -> requests.Response:
            start.wait(timeout=30)
            return browsers[n].sign_in(email, f"wrong guess number {n}")

        responses = list(pool.map(guess, range(GUESSERS)))
    for browser in browsers:
        browser.http.close()

    assert Counter(response.status_code for response in responses) == {200: GUESSERS}
    assert all(BAD_SIGN_IN in response.text for response in responses)

    db.session.expire_all()
    stored = db.session.get(User, user.id)
    assert is_locked(stored.locked_until, utcnow())
    # Every guess is logged; only `limit` of them got as far as the password check.
    assert _failures(db, user) == {"wrong password": limit, "account locked": GUESSERS - limit}
    locks = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == AuditAction.ACCOUNT_LOCKED)
    ).all()
    assert [event.user_id for event in locks] == [user.id]

    # While locked, even the right password is refused, with the same message.
    browser = Browser(served)
    try:
        response = browser.sign_in(email, PASSWORD)
    finally:
        browser.http.close()
    assert response.status_code == 200
    assert BAD_SIGN_IN in response.text
    assert db.session.scalar(select(func.count()).select_from(UserSession)) == 0
    db.session.expire_all()
    assert _failures(db, user)["account locked"] == GUESSERS - limit + 1
