"""Email: queued in the outbox table, in the caller's transaction; sent by `flask worker`.

How the worker sends is chosen by MAIL_BACKEND: SMTP, GOV.UK Notify, or "outbox" (development
and tests), where messages simply stay for the la_lead to read. Emails never carry a pupil's
name, UPN or date of birth: they refer to placements by number and link to the service, where
access control decides what the reader may see.
"""

from __future__ import annotations

import smtplib  # noqa: F401  (older tests replace mail.smtplib.SMTP; the worker sends)
from datetime import datetime

from flask import current_app
from sqlalchemy import select

from apregister.extensions import db
from apregister.models import OutboxMessage

BACKENDS = ("smtp", "notify", "outbox")


def service_link(path: str) -> str:
    """An absolute link into the service for an email, from a path like '/placements/12'."""
    return f"{current_app.config['SERVICE_URL']}{path}"


def queue_message(
    dedupe_key: str,
    to: str,
    subject: str,
    body: str,
    *,
    kind: str | None = None,
    personalisation: dict[str, str] | None = None,
) -> bool:
    """Add a message to the outbox unless one with `dedupe_key` was queued before; flush, never
    commit. Returns whether it was added.

    `kind` picks the GOV.UK Notify template (NOTIFY_TEMPLATE_<KIND>); `personalisation` holds
    the fields that template fills in, besides the subject and body every template gets."""
    from apregister.messages.kinds import KINDS, check_fields

    if kind in KINDS:
        check_fields(kind, personalisation or {})
    exists = db.session.scalar(
        select(OutboxMessage.id).where(OutboxMessage.dedupe_key == dedupe_key).limit(1)
    )
    if exists is not None:
        return False
    db.session.add(
        OutboxMessage(
            dedupe_key=dedupe_key,
            to_email=to,
            subject=subject[:200],
            body=body,
            kind=kind,
            personalisation=personalisation,
        )
    )
    db.session.flush()
    return True


def mail_backend() -> str:
    """How the worker sends: MAIL_BACKEND, else smtp when SMTP_HOST is set, else outbox."""
    config = current_app.config
    backend = config.get("MAIL_BACKEND") or ("smtp" if config.get("SMTP_HOST") else "outbox")
    if backend not in BACKENDS:
        raise ValueError(f"MAIL_BACKEND must be one of {', '.join(BACKENDS)}, not {backend!r}")
    return backend


def delivery_configured() -> bool:
    """Whether messages leave the outbox (by SMTP or Notify) rather than wait there."""
    return mail_backend() != "outbox"


# The name older callers use; true for Notify as well as SMTP.
smtp_configured = delivery_configured


def deliver_pending(now: datetime) -> int:
    """Send every message that is due, the way `flask worker` does; returns how many went.

    Without a sending backend it does nothing: the messages stay in the outbox."""
    from apregister.worker.delivery import deliver_due

    return deliver_due(now).sent
