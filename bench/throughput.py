"""Requests per second on gunicorn: the LA lead's placements list against a bare route.

gunicorn runs the production entry point (`wsgi:app`) with the repo's gunicorn.conf.py and two
workers, bound to a free loopback port, on the bench database. The app reads its settings from
the environment there, so they are set to match BenchConfig: the same database, instance folder
and secret key, session cookies without the Secure flag (plain HTTP), and no second factor at
sign-in (TWO_FACTOR_REQUIRED=0, which only the development settings read from the environment;
they differ from production in nothing else). Unlike the test client, the sign-in form's rate
limit is on, as in production.

The load is local and bounded: a few client threads, each with its own http.client connection
(kept alive when the server allows; gunicorn's sync workers close each connection after its
response, so the client opens a new one), first warming, then sending requests one after
another for a fixed time. The LA lead signs in through the real sign-in form over HTTP.
"""

from __future__ import annotations

import http.client
import os
import re
import socket
import subprocess
import sys
import threading
import time
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

from bench_data import DATA, PASSWORD, BenchConfig

ROOT = Path(__file__).resolve().parent.parent
WORKERS = 2
CSRF = re.compile(r'<input[^>]*name="csrf_token"[^>]*value="([^"]+)"')


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def server_environment(url: str, port: int) -> dict[str, str]:
    return os.environ | {
        "DATABASE_URL": url,
        "INSTANCE_PATH": os.environ.get("INSTANCE_PATH", str(DATA / "instance")),
        "SECRET_KEY": BenchConfig.SECRET_KEY,
        "APREGISTER_ENV": "development",
        "TWO_FACTOR_REQUIRED": "0",
        "SESSION_COOKIE_SECURE": "0",
        "WEB_CONCURRENCY": str(WORKERS),
        "GUNICORN_BIND": f"127.0.0.1:{port}",
    }


def get(port: int, path: str, headers: dict[str, str] | None = None):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request("GET", path, headers=headers or {})
        response = connection.getresponse()
        return response, response.read()
    finally:
        connection.close()


@contextmanager
def gunicorn(url: str, log: Path):
    """A gunicorn serving the bench database on a free loopback port; yields the port. Stopped
    by its own pid: SIGTERM, then SIGKILL if it has not ended in 30 seconds."""
    port = free_port()
    command = [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "wsgi:app"]
    with log.open("wb") as output:
        server = subprocess.Popen(
            command,
            cwd=ROOT,
            env=server_environment(url, port),
            stdout=output,
            stderr=subprocess.STDOUT,
        )
        try:
            wait_until_up(server, port, log)
            yield port
        finally:
            server.terminate()
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()


def wait_until_up(server: subprocess.Popen, port: int, log: Path, seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"gunicorn ended ({server.returncode}):\n{log.read_text()[-2000:]}")
        try:
            response, _ = get(port, "/healthz")
            if response.status == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise SystemExit(f"gunicorn did not answer /healthz in {seconds:.0f} s; see {log}")


def _cookies(response, jar: dict[str, str]) -> None:
    for header in response.headers.get_all("Set-Cookie") or []:
        for name, morsel in SimpleCookie(header).items():
            jar[name] = morsel.value


def sign_in(port: int, email: str) -> dict[str, str]:
    """Through the real sign-in form: the page (its CSRF token and session cookie), then the
    email and password. Returns the headers that carry the signed-in session."""
    jar: dict[str, str] = {}
    response, body = get(port, "/sign-in")
    _cookies(response, jar)
    token = CSRF.search(body.decode()).group(1)
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request(
            "POST",
            "/sign-in",
            body=urlencode({"csrf_token": token, "email": email, "password": PASSWORD}),
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "Cookie": "; ".join(f"{k}={v}" for k, v in jar.items()),
            },
        )
        response = connection.getresponse()
        response.read()
    finally:
        connection.close()
    _cookies(response, jar)
    location = response.getheader("Location", "")
    if response.status != 302 or "/sign-in" in location:
        # a second factor would be asked for here (the server runs without it)
        raise SystemExit(f"Could not sign in as {email} over HTTP ({response.status} {location})")
    return {"Cookie": "; ".join(f"{k}={v}" for k, v in jar.items())}


@dataclass
class Throughput:
    path: str
    requests: int
    errors: int
    seconds: float

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


def load(
    port: int, path: str, headers: dict[str, str], *, threads: int, seconds: float, warm: int
) -> Throughput:
    """`threads` clients, each `warm` untimed requests, then requests one after another for
    `seconds`; a request still running at the end is waited for and counted."""
    start = threading.Barrier(threads + 1)
    done = [0] * threads
    failed = [0] * threads
    ended = [0.0] * threads
    deadline = [time.perf_counter() + 3600]  # set for real once every client has warmed
    problems: list[BaseException] = []

    def client(index: int) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        try:
            for _ in range(warm):
                connection.request("GET", path, headers=headers)
                connection.getresponse().read()
            start.wait()
            while time.perf_counter() < deadline[0]:
                connection.request("GET", path, headers=headers)
                response = connection.getresponse()
                response.read()
                if response.status == 200:
                    done[index] += 1
                else:
                    failed[index] += 1
            ended[index] = time.perf_counter()
        except Exception as problem:  # noqa: BLE001 - reported below, after the others end
            problems.append(problem)
            start.abort()
        finally:
            connection.close()

    workers = [threading.Thread(target=client, args=(i,), daemon=True) for i in range(threads)]
    for worker in workers:
        worker.start()
    with suppress(threading.BrokenBarrierError):
        start.wait(timeout=300)
    began = time.perf_counter()
    deadline[0] = began + seconds
    for worker in workers:
        worker.join()
    if problems:
        raise SystemExit(f"throughput of {path}: {problems[0]!r}")
    return Throughput(path, sum(done), sum(failed), max(ended) - began)


def measure_throughput(
    url: str, email: str, path: str, *, threads: int = 4, seconds: float = 10.0, warm: int = 5
) -> list[Throughput]:
    """Requests per second of the bare route and of `path` (as `email`), on one gunicorn."""
    log = DATA / "gunicorn.log"
    print(f"  throughput: starting gunicorn ({WORKERS} workers), log in {log}", file=sys.stderr)
    results = []
    with gunicorn(url, log) as port:
        headers = sign_in(port, email)
        response, _ = get(port, path, headers)
        if response.status != 200:
            raise SystemExit(f"{path} over HTTP answered {response.status}, not 200")
        for route, route_headers in (("/healthz", {}), (path, headers)):
            result = load(port, route, route_headers, threads=threads, seconds=seconds, warm=warm)
            results.append(result)
            print(f"  throughput {route}: {result.rps:.0f} requests/s", file=sys.stderr)
    return results
