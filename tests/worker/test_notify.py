"""Sending by GOV.UK Notify, against a small HTTP server standing in for the service."""

from __future__ import annotations

from datetime import UTC, datetime

import jwt
import pytest
from sqlalchemy import select

from apregister import mail
from apregister.models import OutboxMessage
from apregister.worker.delivery import deliver_due

NOW = datetime(2026, 3, 10, 7, tzinfo=UTC)
SERVICE_ID = "26785a09-ab16-4eb0-8407-a37497a57506"
SECRET = "3d844edf-8d35-48ac-975b-e847b4f122b0"
API_KEY = f"apregister_test-{SERVICE_ID}-{SECRET}"
REVIEW_TEMPLATE = "f33517ff-2a88-4f6e-b855-c550268ce08a"
DEFAULT_TEMPLATE = "2e0a5d0c-6a2f-4f47-9a6d-0d5d1d1a7c11"


@pytest.fixture
def notify(app, monkeypatch, notify_server):
    monkeypatch.setitem(app.config, "MAIL_BACKEND", "notify")
    monkeypatch.setitem(app.config, "NOTIFY_API_KEY", API_KEY)
    monkeypatch.setitem(app.config, "NOTIFY_BASE_URL", notify_server.base_url)
    monkeypatch.setitem(app.config, "NOTIFY_TEMPLATES", {"REVIEW_DUE": REVIEW_TEMPLATE})
    monkeypatch.setitem(app.config, "NOTIFY_TEMPLATE_DEFAULT", DEFAULT_TEMPLATE)
    notify_server.answer = {"id": "740e5834-3a29-46b4-9a6f-16142fde533a", "content": {}}
    return notify_server


def _message(db) -> OutboxMessage:
    db.session.expire_all()
    return db.session.scalars(select(OutboxMessage)).one()


def test_a_message_goes_to_notify_with_its_kinds_template_and_fields(app, db, notify):
    mail.queue_message(
        "k:1",
        "lead@council.test",
        "Review due for placement 12",
        "Placement 12 needs its review.",
        kind="review-due",
        personalisation={"placement_number": "12"},
    )
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["worker", "--once"])
    assert result.exit_code == 0, result.output
    assert "Messages sent: 1" in result.output

    [(path, headers, body)] = notify.requests
    assert path == "/v2/notifications/email"
    scheme, token = headers["Authorization"].split(" ", 1)
    assert scheme == "Bearer"
    claims = jwt.decode(token, SECRET, algorithms=["HS256"])  # signed with the key's secret
    assert claims["iss"] == SERVICE_ID
    assert body["email_address"] == "lead@council.test"
    assert body["template_id"] == REVIEW_TEMPLATE
    assert body["personalisation"] == {
        "placement_number": "12",
        "subject": "Review due for placement 12",
        "body": "Placement 12 needs its review.",
    }
    message = _message(db)
    assert body["reference"] == f"outbox-{message.id}"
    assert message.sent_at is not None and message.last_error is None


def test_a_kind_without_its_own_template_uses_the_default_one(db, notify):
    mail.queue_message("k:1", "lead@council.test", "Subject", "Body")
    db.session.commit()
    assert deliver_due(NOW).sent == 1
    [(_, _, body)] = notify.requests
    assert body["template_id"] == DEFAULT_TEMPLATE
    assert body["personalisation"] == {"subject": "Subject", "body": "Body"}


def test_a_message_notify_rejects_fails_at_once_and_the_next_is_still_tried(db, notify):
    notify.status = 400
    notify.answer = {
        "status_code": 400,
        "errors": [{"error": "ValidationError", "message": "email_address Not a valid email"}],
    }
    mail.queue_message("k:1", "not-an-address", "Subject", "Body")
    mail.queue_message("k:2", "lead@council.test", "Subject", "Body")
    db.session.commit()
    result = deliver_due(NOW)
    # a 400 is this message's, and sending it again cannot help: the next is still tried
    assert (result.failed, result.retrying) == (2, 0)
    first = db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).first()
    assert first.attempts == 1 and first.failed_at == NOW
    assert first.last_error == "Notify answered 400: email_address Not a valid email"


def test_when_notify_is_down_the_round_stops(db, notify):
    notify.status = 500
    notify.answer = {"status_code": 500, "errors": [{"error": "Exception", "message": "oops"}]}
    mail.queue_message("k:1", "a@council.test", "Subject", "Body")
    mail.queue_message("k:2", "b@council.test", "Subject", "Body")
    db.session.commit()
    assert deliver_due(NOW).retrying == 1
    assert len(notify.requests) == 1


def test_the_worker_will_not_start_without_a_notify_key(app, monkeypatch):
    monkeypatch.setitem(app.config, "MAIL_BACKEND", "notify")
    monkeypatch.setitem(app.config, "NOTIFY_API_KEY", None)
    result = app.test_cli_runner().invoke(args=["worker", "--once"])
    assert result.exit_code != 0
    assert "NOTIFY_API_KEY" in result.output
