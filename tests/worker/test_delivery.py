"""Sending the outbox by SMTP, against a real SMTP server on loopback."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from apregister import mail
from apregister.models import OutboxMessage
from apregister.worker.delivery import BACKOFF, MAX_ATTEMPTS, deliver_due
from tests.worker.conftest import free_port

NOW = datetime(2026, 3, 10, 7, tzinfo=UTC)


def _queue(db, n: int, to: str | None = None, **kwargs) -> None:
    mail.queue_message(
        f"test:{n}", to or f"person{n}@example.test", f"Subject {n}", f"Body {n}", **kwargs
    )
    db.session.commit()


def _messages(db) -> list[OutboxMessage]:
    db.session.expire_all()
    return list(db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))


def test_queue_message_keeps_kind_and_personalisation(db):
    assert mail.queue_message(
        "k:1", "a@example.test", "S", "B", kind="review-due", personalisation={"number": "12"}
    )
    db.session.commit()
    [message] = _messages(db)
    assert (message.kind, message.personalisation, message.attempts) == (
        "review-due",
        {"number": "12"},
        0,
    )


def test_without_a_mail_backend_messages_stay_in_the_outbox(app, db):
    _queue(db, 1)
    result = app.test_cli_runner().invoke(args=["worker", "--once"])
    assert result.exit_code == 0, result.output
    assert "Messages sent: 0" in result.output and "mail: outbox" in result.output
    [message] = _messages(db)
    assert message.sent_at is None and message.attempts == 0


def test_worker_sends_a_queued_message_once_with_its_subject_and_body(app, db, smtp_server):
    _queue(db, 1)
    runner = app.test_cli_runner()
    first = runner.invoke(args=["worker", "--once"])
    assert first.exit_code == 0, first.output
    assert "Messages sent: 1" in first.output
    again = runner.invoke(args=["worker", "--once"])
    assert "Messages sent: 0" in again.output

    [received] = smtp_server.received
    assert received["Subject"] == "Subject 1"
    assert received["To"] == "person1@example.test"
    assert received["From"] == "ap-register@council.test"
    assert received.get_content().strip() == "Body 1"
    [message] = _messages(db)
    assert message.sent_at is not None and message.attempts == 0 and message.last_error is None


def test_an_unknown_recipient_fails_at_once_without_echoing_the_address(db, smtp_server):
    _queue(db, 1, to="nobody@example.test")
    _queue(db, 2)
    smtp_server.refuse = {"nobody@example.test"}

    result = deliver_due(NOW)
    assert (result.sent, result.retrying, result.failed) == (1, 0, 1)  # the other still goes
    refused = _messages(db)[0]
    assert refused.failed_at == NOW and refused.attempts == 1 and refused.next_attempt_at is None
    assert "550" in refused.last_error and "No such user" in refused.last_error
    assert "nobody@" not in refused.last_error
    assert deliver_due(NOW + timedelta(days=1)).failed == 0  # never tried again
    assert smtp_server.subjects() == ["Subject 2"]


def test_a_busy_recipient_is_tried_again_with_backoff_then_marked_failed(db, smtp_server):
    _queue(db, 1, to="nobody@example.test")
    _queue(db, 2)
    smtp_server.busy = {"nobody@example.test"}

    result = deliver_due(NOW)
    assert (result.sent, result.retrying, result.failed) == (1, 1, 0)  # the other still goes
    assert smtp_server.subjects() == ["Subject 2"]
    refused = _messages(db)[0]
    assert refused.attempts == 1 and refused.sent_at is None and refused.failed_at is None
    assert refused.next_attempt_at == NOW + timedelta(minutes=1)
    assert "450" in refused.last_error and "Body" not in refused.last_error

    # not due again until the backoff has passed
    assert deliver_due(NOW + timedelta(seconds=59)).retrying == 0
    assert _messages(db)[0].attempts == 1

    at = NOW
    for attempt in range(2, MAX_ATTEMPTS + 1):
        assert _messages(db)[0].next_attempt_at == at + BACKOFF[attempt - 2]
        at += BACKOFF[attempt - 2]
        deliver_due(at)
        assert _messages(db)[0].attempts == attempt

    failed = _messages(db)[0]
    assert failed.failed_at == at and failed.next_attempt_at is None and failed.sent_at is None
    assert deliver_due(at + timedelta(days=30)).retrying == 0  # never tried again
    assert _messages(db)[0].attempts == MAX_ATTEMPTS
    assert smtp_server.subjects() == ["Subject 2"]


def test_an_unreachable_server_costs_one_try_and_stops_the_round(app, db, monkeypatch):
    port = free_port()
    monkeypatch.setitem(app.config, "MAIL_BACKEND", "smtp")
    monkeypatch.setitem(app.config, "SMTP_HOST", "127.0.0.1")
    monkeypatch.setitem(app.config, "SMTP_PORT", port)
    monkeypatch.setitem(app.config, "SMTP_STARTTLS", False)
    _queue(db, 1)
    _queue(db, 2)
    result = deliver_due(NOW)
    assert (result.sent, result.retrying) == (0, 1)
    first, second = _messages(db)
    assert first.attempts == 1 and "SMTP server" in first.last_error
    assert second.attempts == 0  # left for a later round


def test_deliver_pending_is_the_workers_delivery(db, smtp_server):
    _queue(db, 1)
    assert mail.deliver_pending(NOW) == 1
    assert mail.deliver_pending(NOW) == 0
    assert smtp_server.subjects() == ["Subject 1"]
