"""The outbox pages show the worker's tries, errors and failed messages."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from apregister.models import OutboxMessage, Role


def _message(db, n, **overrides) -> OutboxMessage:
    values = {
        "dedupe_key": f"test:{n}",
        "to_email": f"person{n}@example.test",
        "subject": f"Reminder number {n}",
        "body": f"Body {n}",
        "created_at": datetime(2026, 3, 1, 9, tzinfo=UTC) + timedelta(hours=n),
    }
    message = OutboxMessage(**(values | overrides))
    db.session.add(message)
    db.session.commit()
    return message


def test_the_outbox_shows_tries_errors_and_failed_messages(client, db, login_as):
    _message(db, 1, sent_at=datetime(2026, 3, 2, 8, tzinfo=UTC))
    _message(
        db,
        2,
        attempts=2,
        last_error="Recipient refused: 550 5.1.1 No such user here",
        next_attempt_at=datetime(2026, 3, 2, 9, tzinfo=UTC),
    )
    failed = _message(
        db,
        3,
        attempts=6,
        last_error="Notify answered 400: email_address Not a valid email",
        failed_at=datetime(2026, 3, 3, 9, tzinfo=UTC),
    )
    login_as(Role.LA_LEAD)

    page = client.get("/outbox").get_data(as_text=True)
    assert "Retrying" in page and "550 5.1.1 No such user here" in page
    assert "Failed" in page and "email_address Not a valid email" in page
    assert "1 message could not be sent after every try" in page

    only_failed = client.get("/outbox?show=failed").get_data(as_text=True)
    assert "Reminder number 3" in only_failed
    assert "Reminder number 2" not in only_failed and "Reminder number 1" not in only_failed
    waiting = client.get("/outbox?show=waiting").get_data(as_text=True)
    assert "Reminder number 2" in waiting and "Reminder number 3" not in waiting

    shown = client.get(f"/outbox/{failed.id}").get_data(as_text=True)
    assert "Failed" in shown and "3 March 2026" in shown
    assert "email_address Not a valid email" in shown and ">6<" in shown.replace("\n", "")


def test_an_unknown_filter_shows_everything(client, db, login_as):
    _message(db, 1)
    login_as(Role.LA_LEAD)
    page = client.get("/outbox?show=nonsense").get_data(as_text=True)
    assert "Reminder number 1" in page
