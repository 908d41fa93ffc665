"""Several app servers and a worker share one PostgreSQL database and nothing else (issue 15).

The test starts, on loopback, two gunicorn servers with the repository's settings (each with
its own instance folder, so nothing on local disk is shared; the same SECRET_KEY) and one
`flask worker` sending by SMTP to a real SMTP server of its own, all on the suite's
PostgreSQL database. One browser then goes to either server, as behind a load balancer:

1. signed in on A, it is signed in on B; signed out on A, the session has ended on B too,
   even for a copy of the cookie from before;
2. a message queued through B is sent once by the worker, and still once rounds later;
3. a file uploaded through A downloads through B, byte for byte.

Every process is stopped by its own process group at the end, pass or fail.
"""

from __future__ import annotations

import hashlib
import http.client
import os
import re
import time
import uuid
from datetime import UTC, date, datetime, timedelta
from http.cookies import SimpleCookie
from urllib.parse import urlencode, urlsplit

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import delete, select

from apregister.checks import operations as checks
from apregister.config import normalise_database_url
from apregister.models import OutboxMessage, Role, ScheduledJob
from apregister.worker.jobs import JOBS
from tests import processes
from tests.conftest import (
    PASSWORD,
    make_placement,
    make_provider,
    make_pupil,
    make_school,
    make_user,
)
from tests.serving import CSRF_INPUT
from tests.worker.conftest import Mailbox

pytestmark = pytest.mark.skipif(
    not normalise_database_url(os.environ.get("TEST_DATABASE_URL", "")).startswith("postgresql"),
    reason="several app servers and a worker share PostgreSQL; on SQLite run one of each "
    "(set TEST_DATABASE_URL to a PostgreSQL database to run this)",
)

SERVICE_URL = "https://ap-register.example.test"
CONTACTS = {
    "dsl_name": "Dee Lead",
    "dsl_phone": "01632 960001",
    "lead_name": "Lee Placement",
    "lead_email": "lead@school.test",
    "provider_contact_name": "Pat Provider",
    "provider_contact_phone": "01632 960002",
}


class Reply:
    def __init__(self, status: int, headers: http.client.HTTPMessage, body: bytes):
        self.status, self.headers, self.body = status, headers, body

    @property
    def location(self) -> str:
        return urlsplit(self.headers.get("Location", "")).path

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")


class Browser:
    """One browser's cookies, sent to whichever server a request goes to, as a load balancer
    would. A real browser would hold the Secure session cookie only over HTTPS; here TLS is
    left out (it ends at the proxy in front of the app in production), so the cookie is sent
    over plain HTTP to loopback."""

    def __init__(self) -> None:
        self.cookies: dict[str, str] = {}

    def request(
        self, base_url: str, method: str, path: str, body: bytes | None = None, headers=None
    ) -> Reply:
        address = urlsplit(base_url)
        connection = http.client.HTTPConnection(address.hostname, address.port, timeout=15)
        sent = dict(headers or {})
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        try:
            connection.request(method, path, body=body, headers=sent)
            response = connection.getresponse()
            reply = Reply(response.status, response.msg, response.read())
        finally:
            connection.close()
        for header in reply.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                if morsel.value and morsel["max-age"] != "0":
                    self.cookies[name] = morsel.value
                else:
                    self.cookies.pop(name, None)
        return reply

    def get(self, base_url: str, path: str) -> Reply:
        return self.request(base_url, "GET", path)

    def token(self, base_url: str, path: str) -> str:
        page = self.get(base_url, path)
        match = CSRF_INPUT.search(page.text)
        assert match, f"no CSRF token on {path} ({page.status})"
        return match.group(1)

    def submit(self, base_url: str, path: str, fields: dict, *, form_path: str | None = None):
        """A form posted the way a browser does: its page fetched for the token first."""
        data = {"csrf_token": self.token(base_url, form_path or path)} | fields
        return self.request(
            base_url,
            "POST",
            path,
            urlencode(data, doseq=True).encode(),
            {"Content-Type": "application/x-www-form-urlencoded"},
        )

    def upload(self, base_url: str, path: str, fields: dict, files: dict[str, tuple[str, bytes]]):
        """A multipart form with files: {field: (file name, content)}."""
        boundary = uuid.uuid4().hex
        parts: list[bytes] = []
        fields = {"csrf_token": self.token(base_url, path)} | fields
        for name, value in fields.items():
            for each in value if isinstance(value, list) else [value]:
                parts.append(
                    f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
                    f"{each}\r\n".encode()
                )
        for name, (file_name, content) in files.items():
            parts.append(
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
                f'filename="{file_name}"\r\nContent-Type: application/octet-stream\r\n\r\n'.encode()
                + content
                + b"\r\n"
            )
        parts.append(f"--{boundary}--\r\n".encode())
        return self.request(
            base_url,
            "POST",
            path,
            b"".join(parts),
            {"Content-Type": f"multipart/form-data; boundary={boundary}"},
        )


def _scene(db):
    """A school's placement at a provider, the school's side of the agreement confirmed, and
    the provider's account that will confirm it. Committed, for the servers to see."""
    school, provider = make_school(), make_provider()
    teacher = make_user(Role.SCHOOL, school, email="teacher@school.test")
    staff = make_user(Role.PROVIDER, provider, email="staff@provider.test")
    placement = make_placement(make_pupil(school), provider, start_date=date.today() + timedelta(7))
    checks.update_contacts(placement, CONTACTS, by=teacher)
    checks.confirm_agreement(
        placement, as_provider=False, by=teacher, today=date.today(), details="Who does what"
    )
    db.session.commit()
    # The only mail in this test is the message queued through a server: the request to the
    # provider queued just now goes, and the scheduled jobs (reminders and so on, which the
    # worker would otherwise run at once) are not due until tomorrow.
    db.session.execute(delete(OutboxMessage))
    tomorrow = datetime.now(UTC) + timedelta(days=1)
    for name in JOBS:
        db.session.merge(ScheduledJob(name=name, next_run_at=tomorrow))
    db.session.commit()
    return placement.id, provider.id, staff.email


def _wait_for(condition, timeout: float, interval: float = 0.1) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(interval)
    return condition()


def test_two_app_servers_and_a_worker_share_one_postgresql(db, database_url, tmp_path):
    placement_id, provider_id, email = _scene(db)
    agreement = f"/placements/{placement_id}/agreement"

    mailbox = Mailbox()
    smtp_port = processes.free_port()
    smtp = Controller(mailbox, hostname="127.0.0.1", port=smtp_port)
    smtp.start()
    shared = {
        "DATABASE_URL": database_url,
        "SECRET_KEY": "several-servers-test-secret",
        "SERVICE_URL": SERVICE_URL,
    }
    try:
        with processes.all_stopped() as started:
            urls = {}
            for name in ("a", "b"):
                port = processes.free_port()
                folder = tmp_path / f"instance-{name}"
                folder.mkdir()
                env = processes.environment(INSTANCE_PATH=str(folder), **shared)
                started.append(processes.gunicorn(name, port, env, tmp_path / f"{name}.log"))
                urls[name] = f"http://127.0.0.1:{port}"
            (tmp_path / "instance-worker").mkdir()
            worker_env = processes.environment(
                INSTANCE_PATH=str(tmp_path / "instance-worker"),
                MAIL_BACKEND="smtp",
                SMTP_HOST="127.0.0.1",
                SMTP_PORT=str(smtp_port),
                SMTP_STARTTLS="0",
                SMTP_FROM="ap-register@council.test",
                WORKER_INTERVAL_SECONDS="0.5",
                **shared,
            )
            worker = processes.flask_worker(worker_env, tmp_path / "worker.log")
            started.append(worker)
            server_a, server_b = started[0], started[1]
            processes.wait_until_serving(server_a, urls["a"])
            processes.wait_until_serving(server_b, urls["b"])
            a, b = urls["a"], urls["b"]
            browser = Browser()

            # 1. signed in on A is signed in on B
            assert browser.get(b, agreement).location == "/sign-in"
            signed_in = browser.submit(a, "/sign-in", {"email": email, "password": PASSWORD})
            assert signed_in.status == 302 and signed_in.location == "/", signed_in.status
            assert browser.get(b, agreement).status == 200

            # 3. a file uploaded through A downloads through B, byte for byte (every byte value,
            # CR and LF among them, after a PDF's first bytes)
            content = b"%PDF-1.7\n" + bytes(range(256)) * 64 + os.urandom(100_000)
            expiry = date.today() + timedelta(days=365)
            uploaded = browser.upload(
                a,
                f"/providers/{provider_id}/documents/new",
                {
                    "kind": "insurance",
                    "title": "Insurance for the test",
                    "expires_on": [str(expiry.day), str(expiry.month), str(expiry.year)],
                },
                {"upload": ("insurance.pdf", content)},
            )
            assert uploaded.status == 302, uploaded.status
            listed = browser.get(b, f"/providers/{provider_id}")
            [link] = re.findall(rf'href="(/providers/{provider_id}/documents/\d+)"', listed.text)
            downloaded = browser.get(b, link)
            assert downloaded.status == 200
            assert downloaded.headers["Content-Type"] == "application/pdf"
            assert len(downloaded.body) == len(content)
            assert hashlib.sha256(downloaded.body).digest() == hashlib.sha256(content).digest()

            # 2. a message queued through B (the provider confirms the agreement, and the
            # school is told) is sent by the worker once
            confirmed = browser.submit(b, f"{agreement}/confirm", {}, form_path=agreement)
            assert confirmed.status == 302 and confirmed.location == agreement, confirmed.status
            arrived = _wait_for(lambda: len(mailbox.received) >= 1, timeout=20)
            assert arrived, f"no message arrived:\n{worker.output()}"
            time.sleep(2.5)  # five more of the worker's rounds
            assert worker.running, worker.output()
            assert len(mailbox.received) == 1
            [message] = mailbox.received
            assert message["To"] == "teacher@school.test"
            assert message["Subject"].startswith("Agreement confirmed")
            assert f"{SERVICE_URL}/placements/{placement_id}" in message.get_content().splitlines()
            db.session.expire_all()
            [row] = db.session.scalars(select(OutboxMessage)).all()
            assert row.sent_at is not None and row.failed_at is None and row.last_error is None

            # 1, again: signed out on A, the session has ended on B, for the browser and for
            # a copy of its cookie taken before
            copy = Browser()
            copy.cookies = dict(browser.cookies)
            signed_out = browser.submit(a, "/sign-out", {}, form_path=agreement)
            assert signed_out.status == 302 and signed_out.location == "/sign-in"
            assert browser.get(b, agreement).location == "/sign-in"
            assert copy.get(b, agreement).location == "/sign-in"
            assert copy.get(a, agreement).location == "/sign-in"

            for server in (server_a, server_b):
                assert server.running, server.output()
            logs = "".join(process.output(last=10**6) for process in started)
            assert "Traceback" not in logs, logs[-4000:]
    finally:
        smtp.stop()
