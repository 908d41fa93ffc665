"""Email: queued in the outbox table, sent by SMTP when it is configured.

Without SMTP_HOST (development and tests) messages simply stay in the outbox, where the la_lead
can read them. Emails never carry a pupil's name, UPN or date of birth: they refer to placements
by number and link to the service, where access control decides what the reader may see.
"""

from __future__ import annotations

import contextlib
import smtplib
from datetime import datetime
from email.message import EmailMessage

from flask import current_app
from sqlalchemy import select

from apregister.extensions import db
from apregister.models import OutboxMessage

SMTP_TIMEOUT_SECONDS = 30


def service_link(path: str) -> str:
    """An absolute link into the service for an email, from a path like '/placements/12'."""
    return f"{current_app.config['SERVICE_URL']}{path}"


def queue_message(dedupe_key: str, to: str, subject: str, body: str) -> bool:
    """Add a message to the outbox unless one with `dedupe_key` was queued before; flush, never
    commit. Returns whether it was added."""
    exists = db.session.scalar(
        select(OutboxMessage.id).where(OutboxMessage.dedupe_key == dedupe_key).limit(1)
    )
    if exists is not None:
        return False
    db.session.add(
        OutboxMessage(dedupe_key=dedupe_key, to_email=to, subject=subject[:200], body=body)
    )
    db.session.flush()
    return True


def smtp_configured() -> bool:
    return bool(current_app.config.get("SMTP_HOST"))


def _email(message: OutboxMessage) -> EmailMessage:
    email = EmailMessage()
    email["From"] = current_app.config["SMTP_FROM"]
    email["To"] = message.to_email
    email["Subject"] = message.subject
    email.set_content(message.body)
    return email


def _connect() -> smtplib.SMTP:
    config = current_app.config
    smtp = smtplib.SMTP(config["SMTP_HOST"], config["SMTP_PORT"], timeout=SMTP_TIMEOUT_SECONDS)
    if config["SMTP_STARTTLS"]:
        smtp.starttls()
    if config.get("SMTP_USERNAME"):
        smtp.login(config["SMTP_USERNAME"], config.get("SMTP_PASSWORD") or "")
    return smtp


def _next_unsent(after_id: int) -> OutboxMessage | None:
    # SKIP LOCKED (PostgreSQL) lets two runs share the queue without sending a message twice;
    # SQLite ignores it and serialises writers anyway.
    return db.session.scalars(
        select(OutboxMessage)
        .where(OutboxMessage.sent_at.is_(None), OutboxMessage.id > after_id)
        .order_by(OutboxMessage.id)
        .limit(1)
        .with_for_update(skip_locked=True)
    ).first()


def deliver_pending(now: datetime) -> int:
    """Send every unsent message by SMTP and mark it sent; returns how many were sent.

    Commits after each message, so a message that went out is never sent again if a later one
    fails. Without SMTP settings it does nothing: the messages stay in the outbox."""
    if not smtp_configured():
        return 0
    logger = current_app.logger
    sent = 0
    last_id = 0
    try:
        smtp = _connect()
    except (OSError, smtplib.SMTPException) as error:
        logger.error("Could not connect to the SMTP server: %s", error)
        return 0
    try:
        while (message := _next_unsent(last_id)) is not None:
            last_id = message.id
            try:
                smtp.send_message(_email(message))
            except (smtplib.SMTPRecipientsRefused, smtplib.SMTPDataError) as error:
                # This message cannot go; leave it unsent and carry on with the others.
                db.session.rollback()
                logger.warning("Outbox message %s was refused: %s", last_id, error)
                continue
            except (OSError, smtplib.SMTPException) as error:
                db.session.rollback()
                logger.error("Sending stopped at outbox message %s: %s", last_id, error)
                break
            message.sent_at = now
            db.session.commit()
            sent += 1
    finally:
        with contextlib.suppress(OSError, smtplib.SMTPException):
            smtp.quit()
    return sent
