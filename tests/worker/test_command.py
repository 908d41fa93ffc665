"""`flask worker` as a council runs it: a process that polls until it is told to stop."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from sqlalchemy import func, select

from apregister import mail
from apregister.models import OutboxMessage

ROOT = Path(__file__).resolve().parents[2]


def test_the_worker_polls_sends_new_messages_and_stops_on_sigterm(
    app, db, smtp_server, database_url, tmp_path
):
    config = app.config
    env = os.environ | {
        "DATABASE_URL": database_url,
        "INSTANCE_PATH": str(tmp_path),
        "SECRET_KEY": "worker-test",
        "MAIL_BACKEND": "smtp",
        "SMTP_HOST": "127.0.0.1",
        "SMTP_PORT": str(config["SMTP_PORT"]),
        "SMTP_STARTTLS": "false",
        "SMTP_FROM": "ap-register@council.test",
    }
    worker = subprocess.Popen(
        [sys.executable, "-m", "flask", "--app", "wsgi", "worker", "--interval", "0.2"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        mail.queue_message("k:1", "a@example.test", "Queued while it runs", "Body")
        db.session.commit()
        deadline = time.monotonic() + 20
        while not smtp_server.received and time.monotonic() < deadline:
            time.sleep(0.1)
        assert smtp_server.subjects() == ["Queued while it runs"]
        worker.send_signal(signal.SIGTERM)
        output, _ = worker.communicate(timeout=20)
    finally:
        if worker.poll() is None:
            worker.kill()
            worker.wait()
    assert worker.returncode == 0, output.decode()
    db.session.expire_all()
    unsent = select(func.count()).where(OutboxMessage.sent_at.is_(None))
    assert db.session.scalar(unsent) == 0
