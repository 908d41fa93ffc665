"""Two workers draining one outbox at once on PostgreSQL: each message goes exactly once."""

from __future__ import annotations

import threading
from collections import Counter
from datetime import UTC, datetime

import pytest
from sqlalchemy import insert

from apregister.extensions import db as _db
from apregister.models import OutboxMessage
from apregister.worker.delivery import deliver_due

NOW = datetime(2026, 3, 10, 7, tzinfo=UTC)
MESSAGES = 1000


def test_two_workers_send_every_message_exactly_once(app, db, smtp_server):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("several workers need PostgreSQL (SQLite runs one)")
    db.session.execute(
        insert(OutboxMessage),
        [
            {
                "dedupe_key": f"race:{n}",
                "to_email": f"person{n % 50}@example.test",
                "subject": f"Message race:{n}",
                "body": "Body",
                "created_at": NOW,
                "attempts": 0,
            }
            for n in range(MESSAGES)
        ],
    )
    db.session.commit()
    start = threading.Barrier(2)
    sent, errors = [], []

    def worker():
        try:
            with app.app_context():
                start.wait(5)
                sent.append(deliver_due(NOW).sent)
                _db.session.remove()
        except Exception as error:
            errors.append(error)

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert errors == []
    received = Counter(smtp_server.subjects())
    assert len(received) == MESSAGES
    assert set(received.values()) == {1}
    assert sum(sent) == MESSAGES
    assert all(count > 0 for count in sent), sent  # both really worked the queue
