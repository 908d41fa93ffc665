"""Sending the outbox: claim one due message, send it, mark it sent, commit; again until none
is due. A message that fails is tried again later (BACKOFF), and marked failed after
MAX_ATTEMPTS tries, or at once when trying again cannot help (a permanent MessageError); the
la_lead sees both on the outbox pages."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import or_, select

from apregister.extensions import db
from apregister.models import OutboxMessage
from apregister.worker.senders import MessageError, Sender, SendError, configured_sender

# Wait after the 1st, 2nd, ... failed try; the try after the last of these is the last one.
BACKOFF = (
    timedelta(minutes=1),
    timedelta(minutes=5),
    timedelta(minutes=30),
    timedelta(hours=2),
    timedelta(hours=12),
)
MAX_ATTEMPTS = len(BACKOFF) + 1
LAST_ERROR_LENGTH = 1000


@dataclass
class Delivered:
    sent: int = 0
    retrying: int = 0
    failed: int = 0


def due(now: datetime):
    """Messages to send now, oldest first (the partial index ix_outbox_messages_unsent)."""
    return (
        select(OutboxMessage)
        .where(
            OutboxMessage.sent_at.is_(None),
            OutboxMessage.failed_at.is_(None),
            or_(OutboxMessage.next_attempt_at.is_(None), OutboxMessage.next_attempt_at <= now),
        )
        .order_by(OutboxMessage.id)
    )


def claim_next(now: datetime) -> OutboxMessage | None:
    """Lock one due message that no other worker holds (SKIP LOCKED on PostgreSQL; SQLite
    ignores it and runs one writer at a time)."""
    return db.session.scalars(due(now).limit(1).with_for_update(skip_locked=True)).first()


def record_failure(message: OutboxMessage, error: SendError, now: datetime) -> bool:
    """Count a failed try; returns whether the message has now failed for good."""
    message.attempts = (message.attempts or 0) + 1
    message.last_error = str(error)[:LAST_ERROR_LENGTH]
    if message.attempts >= MAX_ATTEMPTS or getattr(error, "permanent", False):
        message.failed_at = now
        message.next_attempt_at = None
        return True
    message.next_attempt_at = now + BACKOFF[message.attempts - 1]
    return False


def deliver_due(now: datetime, sender: Sender | None = None) -> Delivered:
    """Send every message due at `now`, committing after each one, so a message that went out
    is never sent again. Stops early when the mail service cannot be reached."""
    sender = sender or configured_sender()
    result = Delivered()
    if not sender.sends:
        return result
    logger = current_app.logger
    try:
        while (message := claim_next(now)) is not None:
            message_id = message.id
            try:
                sender.send(message)
            except SendError as error:
                if record_failure(message, error, now):
                    result.failed += 1
                    logger.error("Outbox message %s failed for good: %s", message_id, error)
                else:
                    result.retrying += 1
                    logger.warning("Outbox message %s will be tried again: %s", message_id, error)
                db.session.commit()
                if not isinstance(error, MessageError):
                    break  # the service is down: leave the rest for a later round
                continue
            except BaseException:
                db.session.rollback()
                raise
            message.sent_at = now
            message.next_attempt_at = None
            db.session.commit()
            result.sent += 1
    finally:
        sender.close()
    return result
