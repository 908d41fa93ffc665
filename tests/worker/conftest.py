"""Real mail services on loopback for the worker's tests: an SMTP server (aiosmtpd) and a
small HTTP server standing in for GOV.UK Notify."""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from aiosmtpd.controller import Controller


@dataclass
class Mailbox:
    """What the SMTP server received, and the addresses it refuses."""

    received: list = field(default_factory=list)
    refuse: set = field(default_factory=set)  # for good (550)
    busy: set = field(default_factory=set)  # for now (450)
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse:
            return f"550 5.1.1 <{address}>: No such user here"
        if address in self.busy:
            return f"450 4.2.1 <{address}>: Mailbox busy, try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        from email import message_from_bytes, policy

        message = message_from_bytes(envelope.original_content, policy=policy.default)
        with self.lock:
            self.received.append(message)
        return "250 Message accepted for delivery"

    def subjects(self) -> list[str]:
        with self.lock:
            return [str(message["Subject"]) for message in self.received]


def free_port() -> int:
    """A loopback port nothing listens on (the Controller checks its port by connecting to it,
    so it cannot be given port 0)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp_server(app, monkeypatch) -> Iterator[Mailbox]:
    """An SMTP server on 127.0.0.1 (a free port), and the app set to send to it."""
    mailbox = Mailbox()
    port = free_port()
    controller = Controller(mailbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        monkeypatch.setitem(app.config, "MAIL_BACKEND", "smtp")
        monkeypatch.setitem(app.config, "SMTP_HOST", "127.0.0.1")
        monkeypatch.setitem(app.config, "SMTP_PORT", port)
        monkeypatch.setitem(app.config, "SMTP_STARTTLS", False)
        monkeypatch.setitem(app.config, "SMTP_USERNAME", None)
        monkeypatch.setitem(app.config, "SMTP_FROM", "ap-register@council.test")
        yield mailbox
    finally:
        controller.stop()


@dataclass
class NotifyStandIn:
    """Requests the stand-in received: (path, headers, JSON body); and what it answers."""

    requests: list = field(default_factory=list)
    status: int = 201
    answer: dict = field(default_factory=dict)
    base_url: str = ""


@pytest.fixture
def notify_server() -> Iterator[NotifyStandIn]:
    state = NotifyStandIn()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            length = int(self.headers.get("Content-Length") or 0)
            body = json.loads(self.rfile.read(length) or b"{}")
            state.requests.append((self.path, dict(self.headers), body))
            payload = json.dumps(state.answer).encode()
            self.send_response(state.status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    state.base_url = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)
