"""Real processes for tests that run the app as production does (gunicorn, `flask worker`): each
is started in a process group of its own, so the test can stop it, and everything it forked, by
its own id, and never by name."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator, Mapping
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Settings a developer's or CI's shell may hold that would change what a started process does;
# a test gives its processes exactly the settings it means them to have.
_INHERITED_SETTINGS = (
    "APREGISTER_ENV",
    "DATABASE_URL",
    "FLASK_",
    "GUNICORN_",
    "INSTANCE_PATH",
    "MAIL_BACKEND",
    "NOTIFY_",
    "PROXY_COUNT",
    "RATELIMIT_",
    "SECRET_KEY",
    "SERVICE_URL",
    "SESSION_COOKIE_SECURE",
    "SMTP_",
    "TWO_FACTOR_REQUIRED",
    "WEB_CONCURRENCY",
    "WORKER_INTERVAL_SECONDS",
)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def environment(**settings: str) -> dict[str, str]:
    """This process's environment without the app's settings, plus `settings`."""
    kept = {k: v for k, v in os.environ.items() if not k.startswith(_INHERITED_SETTINGS)}
    return kept | settings


class Started:
    """A process the test started: its command's output goes to `log`."""

    def __init__(self, name: str, command: list[str], env: Mapping[str, str], log: Path):
        self.name = name
        self.log = log
        with log.open("wb") as out:
            self.process = subprocess.Popen(
                command,
                cwd=ROOT,
                env=dict(env),
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # its own process group, whose id is its pid
            )

    @property
    def running(self) -> bool:
        return self.process.poll() is None

    def output(self, last: int = 4000) -> str:
        """The end of what it wrote (for a failing test's message)."""
        try:
            return self.log.read_text(errors="replace")[-last:]
        except OSError:
            return ""

    def terminate(self) -> None:
        """SIGTERM to its process group: gunicorn's master and workers, or the worker."""
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGTERM)

    def finish(self, timeout: float = 20) -> None:
        """Wait for it to end; after `timeout` seconds SIGKILL what is left of its group."""
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(timeout=timeout)
        # the group's other members too (a gunicorn worker outliving its master, say)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(timeout=5)


def gunicorn(name: str, port: int, env: Mapping[str, str], log: Path, workers: int = 2) -> Started:
    """The app under gunicorn with the repository's settings (gunicorn.conf.py) on loopback."""
    settings = dict(env) | {"GUNICORN_BIND": f"127.0.0.1:{port}", "WEB_CONCURRENCY": str(workers)}
    command = [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "wsgi:app"]
    return Started(name, command, settings, log)


def flask_worker(env: Mapping[str, str], log: Path) -> Started:
    """`flask --app wsgi worker`, as the README runs it beside the app servers."""
    command = [sys.executable, "-m", "flask", "--app", "wsgi", "worker"]
    return Started("worker", command, env, log)


def wait_until_serving(server: Started, base_url: str, timeout: float = 30) -> None:
    """Until /healthz answers 200 (the app is loaded and reaches its database)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not server.running:
            raise AssertionError(f"{server.name} exited early:\n{server.output()}")
        try:
            with urllib.request.urlopen(f"{base_url}/healthz", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.1)
    raise AssertionError(f"{server.name} did not answer in {timeout} s:\n{server.output()}")


@contextlib.contextmanager
def all_stopped() -> Iterator[list[Started]]:
    """A list to put started processes in; all are stopped at the end, whatever happens (told
    to stop together, then waited for)."""
    started: list[Started] = []
    try:
        yield started
    finally:
        for process in started:
            process.terminate()
        for process in started:
            process.finish()
