"""The production server's settings (gunicorn.conf.py): the app preloaded, start-up objects
frozen before the workers fork, and the app's one JSON line per request written (the route's
name: no path, no query string). The test starts gunicorn on loopback itself and stops it by its
own process id."""

from __future__ import annotations

import gc
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_gunicorn_serves_the_app_with_the_repository_settings(database_url, tmp_path):
    port = _free_port()
    env = os.environ | {
        "DATABASE_URL": database_url,
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "WEB_CONCURRENCY": "2",
        "INSTANCE_PATH": str(tmp_path),
        "SECRET_KEY": "gunicorn-test-secret",
    }
    log = tmp_path / "gunicorn.log"
    with log.open("w") as out:
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "wsgi:app"],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        body = None
        for _ in range(100):
            try:
                with urllib.request.urlopen(
                    f"http://127.0.0.1:{port}/healthz?probe=secret-value", timeout=2
                ) as response:
                    body = response.read().decode()
                    break
            except OSError:
                time.sleep(0.2)
        assert body is not None, log.read_text()
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
    written = log.read_text()
    assert "Booting worker" in written
    # the app's own line for the request (request_log.py), as JSON; gunicorn's access log is off
    lines = [json.loads(text) for text in written.splitlines() if text.startswith("{")]
    probe = next(line for line in lines if line["route"] == "pages.healthz")
    assert (probe["method"], probe["status"], probe["user_id"]) == ("GET", 200, None)
    assert "/healthz" not in written  # the route's name, not its path
    assert "secret-value" not in written  # never the query string


def test_start_up_objects_are_frozen_before_the_workers_fork():
    settings: dict = {}
    exec(compile((ROOT / "gunicorn.conf.py").read_text(), "gunicorn.conf.py", "exec"), settings)
    assert settings["preload_app"] is True
    try:
        settings["when_ready"](None)
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()
