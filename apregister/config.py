"""Configuration, read from the environment."""

from __future__ import annotations

import os
import secrets
from datetime import timedelta
from pathlib import Path


def _flag(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _prefixed(prefix: str, *, leave_out: tuple[str, ...] = ()) -> dict[str, str]:
    """Environment variables named PREFIX<NAME>, as {NAME: value}, without empty ones."""
    return {
        name[len(prefix) :]: value
        for name, value in os.environ.items()
        if name.startswith(prefix) and value and name[len(prefix) :] not in leave_out
    }


def normalise_database_url(url: str) -> str:
    """Use the psycopg 3 driver for any PostgreSQL URL."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def secret_key(instance_path: str) -> str:
    """SECRET_KEY from the environment, else one generated once into the instance folder."""
    if key := os.environ.get("SECRET_KEY"):
        return key
    path = Path(instance_path) / "secret_key"
    if path.exists():
        return path.read_text().strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(key)
    return key


class Config:
    """Production defaults; development and tests relax only what they must."""

    ENV_NAME = "production"
    LA_NAME = os.environ.get("LA_NAME", "Demo Borough Council")
    SERVICE_NAME = os.environ.get("SERVICE_NAME", "Alternative provision register")
    SQLALCHEMY_DATABASE_URI: str | None = None  # filled in by create_app
    # hide_parameters: a failed statement's error (and so the log) leaves out the values bound
    # to it, which are pupils' names, UPNs and dates of birth.
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True, "hide_parameters": True}

    SESSION_COOKIE_NAME = "apregister_session"
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = _flag("SESSION_COOKIE_SECURE", True)
    REMEMBER_COOKIE_HTTPONLY = True
    SESSION_IDLE_TIMEOUT = timedelta(minutes=30)
    SESSION_ABSOLUTE_LIFETIME = timedelta(hours=12)
    PERMANENT_SESSION_LIFETIME = SESSION_ABSOLUTE_LIFETIME

    LOCKOUT_ATTEMPTS = 10
    LOCKOUT_PERIOD = timedelta(minutes=15)
    PASSWORD_MIN_LENGTH = 12
    # werkzeug hash method; tests use a cheaper one to keep the suite fast
    PASSWORD_HASH_METHOD = "scrypt"
    # Two-factor sign-in (LA staff always; everyone when the LA's setting says so). Only the
    # tests, and a developer who asks for it, turn it off.
    TWO_FACTOR_REQUIRED = True

    WTF_CSRF_TIME_LIMIT = None  # the token lives as long as the session
    AUDIT_PAGE_SIZE = 50
    REGISTER_PAGE_SIZE = 25
    DOCUMENT_EXPIRY_WARNING_DAYS = 30
    MAX_CONTENT_LENGTH = 11 * 1024 * 1024  # a 10 MB upload and the rest of its form

    # Email. Without SMTP_HOST messages stay in the outbox table (development and tests).
    SMTP_HOST = os.environ.get("SMTP_HOST") or None
    SMTP_PORT = int(os.environ.get("SMTP_PORT") or 587)
    SMTP_USERNAME = os.environ.get("SMTP_USERNAME") or None
    SMTP_PASSWORD = os.environ.get("SMTP_PASSWORD") or None
    SMTP_FROM = os.environ.get("SMTP_FROM", "no-reply@example.invalid")
    SMTP_STARTTLS = _flag("SMTP_STARTTLS", True)
    # How the worker (`flask worker`) sends: "smtp", "notify" (GOV.UK Notify) or "outbox" (keep
    # them in the outbox for the la_lead to read). Left unset: smtp when SMTP_HOST is set, else
    # outbox.
    MAIL_BACKEND = (os.environ.get("MAIL_BACKEND") or "").strip().lower() or None
    # GOV.UK Notify: the API key, the API's address (changed only for tests), and a template per
    # kind of message from NOTIFY_TEMPLATE_<KIND> (kind upper-cased, "-" as "_"), else
    # NOTIFY_TEMPLATE_DEFAULT, a template with ((subject)) and ((body)) fields.
    NOTIFY_API_KEY = os.environ.get("NOTIFY_API_KEY") or None
    NOTIFY_BASE_URL = (
        os.environ.get("NOTIFY_BASE_URL") or "https://api.notifications.service.gov.uk"
    )
    NOTIFY_TEMPLATE_DEFAULT = os.environ.get("NOTIFY_TEMPLATE_DEFAULT") or None
    NOTIFY_TEMPLATES = _prefixed("NOTIFY_TEMPLATE_", leave_out=("DEFAULT",))
    # Seconds `flask worker` waits between looking for due messages and jobs.
    WORKER_INTERVAL_SECONDS = float(os.environ.get("WORKER_INTERVAL_SECONDS") or 5)
    # How old the dashboard's kept figures may be when shown (the worker measures them again
    # every two minutes); 0 measures them on every request (dashboard/kept.py).
    KEPT_FIGURES_MAX_AGE = timedelta(
        seconds=int(os.environ.get("KEPT_FIGURES_MAX_AGE_SECONDS") or 300)
    )
    # The address emails link to (no trailing slash), like https://ap-register.example.gov.uk
    SERVICE_URL = os.environ.get("SERVICE_URL", "http://localhost:5000").rstrip("/")


class DevelopmentConfig(Config):
    ENV_NAME = "development"
    SESSION_COOKIE_SECURE = _flag("SESSION_COOKIE_SECURE", False)
    TWO_FACTOR_REQUIRED = _flag("TWO_FACTOR_REQUIRED", True)


class TestConfig(Config):
    ENV_NAME = "test"
    TESTING = True
    SESSION_COOKIE_SECURE = False
    PASSWORD_HASH_METHOD = "pbkdf2:sha256:1000"
    SECRET_KEY = "test-secret-key-not-for-production"
    LA_NAME = "Test Borough Council"
    TWO_FACTOR_REQUIRED = False  # tests/auth/test_two_factor.py turns it on
    # Tests change records and look at the dashboard at once; tests/dashboard/test_kept.py
    # keeps figures.
    KEPT_FIGURES_MAX_AGE = timedelta(0)


def config_from_environment() -> type[Config]:
    env = os.environ.get("APREGISTER_ENV", "production").lower()
    return DevelopmentConfig if env == "development" else Config
