"""Abuse limits on the public forms: sign-in and applying to the framework are throttled by
client address (Flask-Limiter, fixed windows), with a GOV.UK-style page and a 429.

The counters must be shared by every app server, so they live in the database
(`rate_limit_counters`, through the `apregister-db://` storage below) unless
RATELIMIT_STORAGE_URI names a shared store such as Redis (`redis://host:6379/0`). Only POSTs
count: reading the forms is free. Account lockout (auth) still guards each account; these limits
stop one address trying many accounts, or flooding the application form.

Settings: RATELIMIT_ENABLED (on, except under tests), RATELIMIT_SIGN_IN, RATELIMIT_APPLY
(Flask-Limiter's notation, e.g. "30 per minute; 300 per hour"), RATELIMIT_STORAGE_URI, and
PROXY_COUNT: how many reverse proxies in front of the app set X-Forwarded-For, so the client's
own address is used (0, the default, trusts none).
"""

from __future__ import annotations

import os
import time

from flask import Flask, current_app
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from limits.storage import Storage
from sqlalchemy import delete, text
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.middleware.proxy_fix import ProxyFix

from apregister.extensions import db
from apregister.models import RateLimitCounter

DEFAULT_LIMITS = {
    # a council office may sign in from one address: generous per address; each account has
    # its own lockout after a few wrong passwords
    "auth.sign_in": ("RATELIMIT_SIGN_IN", "30 per minute; 300 per hour"),
    "applications.apply_to_join": ("RATELIMIT_APPLY", "10 per hour; 30 per day"),
    # the second step of sign-in: each account locks after a few wrong codes too
    "auth.enter_code": ("RATELIMIT_SIGN_IN", "30 per minute; 300 per hour"),
    "auth.enter_recovery_code": ("RATELIMIT_SIGN_IN", "30 per minute; 300 per hour"),
}

# one statement adds to the window's count, or starts a new window once the old one has ended
# (the same SQL on SQLite 3.35+ and PostgreSQL)
_INCREMENT = text(
    """
    INSERT INTO rate_limit_counters (key, count, expires_at) VALUES (:key, :amount, :expires)
    ON CONFLICT (key) DO UPDATE SET
      count = CASE WHEN rate_limit_counters.expires_at <= :now THEN :amount
                   ELSE rate_limit_counters.count + :amount END,
      expires_at = CASE WHEN rate_limit_counters.expires_at <= :now THEN :expires
                        ELSE rate_limit_counters.expires_at END
    RETURNING count
    """
)


class DatabaseStorage(Storage):
    """Fixed-window counters in the app's own database, on a connection of their own, so a
    count is committed at once whatever becomes of the request."""

    STORAGE_SCHEME = ["apregister-db"]

    @property
    def base_exceptions(self):
        return SQLAlchemyError

    def incr(self, key: str, expiry: int, amount: int = 1) -> int:
        now = time.time()
        with db.engine.begin() as connection:
            return connection.execute(
                _INCREMENT,
                {"key": key[:255], "amount": amount, "expires": now + expiry, "now": now},
            ).scalar_one()

    def _row(self, key: str) -> RateLimitCounter | None:
        with db.engine.connect() as connection:
            row = connection.execute(
                text("SELECT count, expires_at FROM rate_limit_counters WHERE key = :key"),
                {"key": key[:255]},
            ).first()
        if row is None or row.expires_at <= time.time():
            return None
        return RateLimitCounter(key=key, count=row.count, expires_at=row.expires_at)

    def get(self, key: str) -> int:
        row = self._row(key)
        return row.count if row else 0

    def get_expiry(self, key: str) -> float:
        row = self._row(key)
        return row.expires_at if row else time.time()

    def check(self) -> bool:
        try:
            with db.engine.connect() as connection:
                connection.execute(text("SELECT 1"))
        except SQLAlchemyError:
            return False
        return True

    def reset(self) -> int | None:
        with db.engine.begin() as connection:
            return connection.execute(delete(RateLimitCounter)).rowcount

    def clear(self, key: str) -> None:
        with db.engine.begin() as connection:
            connection.execute(delete(RateLimitCounter).where(RateLimitCounter.key == key[:255]))


def prune_expired(now: float | None = None) -> int:
    """Remove the windows that have ended (the worker does this every hour)."""
    result = db.session.execute(
        delete(RateLimitCounter).where(RateLimitCounter.expires_at <= (now or time.time()))
    )
    return result.rowcount or 0


def init_app(app: Flask) -> Limiter:
    """A limiter of this app's own (its settings are the app's, even with several apps in one
    process, as in the tests)."""
    config = app.config
    config.setdefault("RATELIMIT_ENABLED", not app.testing)
    config.setdefault(
        "RATELIMIT_STORAGE_URI", os.environ.get("RATELIMIT_STORAGE_URI") or "apregister-db://"
    )
    config.setdefault("RATELIMIT_HEADERS_ENABLED", True)
    # a store that is down must not stop anyone signing in
    config.setdefault("RATELIMIT_SWALLOW_ERRORS", True)
    for setting, default in DEFAULT_LIMITS.values():
        config.setdefault(setting, os.environ.get(setting) or default)
    proxies = int(config.get("PROXY_COUNT") or os.environ.get("PROXY_COUNT") or 0)
    if proxies:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies)  # type: ignore[method-assign]
    limiter = Limiter(key_func=get_remote_address, strategy="fixed-window")
    limiter.init_app(app)
    app.extensions["apregister.limiter"] = limiter
    for endpoint, (setting, _default) in DEFAULT_LIMITS.items():
        view = app.view_functions[endpoint]
        app.view_functions[endpoint] = limiter.limit(
            lambda setting=setting: current_app.config[setting], methods=["POST"]
        )(view)
    return limiter
