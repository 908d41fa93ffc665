"""Timing pages and exports through the Flask test client, signed in through the real sign-in
form, counting (and keeping, for the replay) every SQL statement each request runs."""

from __future__ import annotations

import contextvars
import csv
import io
import math
import re
import statistics
import sys
import time
import zipfile
from collections import Counter
from dataclasses import dataclass, field

from bench_data import PASSWORD, Sample, email_for
from bench_pages import EXPORTS, SEARCH_TERMS, exists, pages
from flask import Flask
from flask.testing import FlaskClient
from sql_replay import Statement, is_read, replay
from sqlalchemy import event
from sqlalchemy.engine import Engine

from apregister.extensions import db
from apregister.models import Role

CSRF = re.compile(r'<input[^>]*name="csrf_token"[^>]*value="([^"]+)"')


class Statements:
    """Every SQL statement the engine runs while the bench listens: its text, its parameters
    (as sent to the driver), whether it was an executemany, and its time."""

    def __init__(self, engine: Engine):
        self.items: list[tuple[str, object, bool, float]] = []
        self._started: dict[int, tuple[float, object]] = {}
        event.listen(engine, "before_cursor_execute", self._before)
        event.listen(engine, "after_cursor_execute", self._after)

    def _before(self, conn, cursor, statement, parameters, context, executemany):
        self._started[id(cursor)] = (time.perf_counter(), parameters)

    def _after(self, conn, cursor, statement, parameters, context, executemany):
        started, sent = self._started.pop(id(cursor), (time.perf_counter(), parameters))
        self.items.append((statement, sent, executemany, time.perf_counter() - started))

    def take(self) -> list[tuple[str, object, bool, float]]:
        items, self.items = self.items, []
        return items


def in_own_context(call, *args, **kwargs):
    # Each request gets its own app context and database session, as under gunicorn.
    return contextvars.Context().run(call, *args, **kwargs)


def signed_in_client(app: Flask, role: Role) -> FlaskClient:
    client = app.test_client()
    page = in_own_context(client.get, "/sign-in").get_data(as_text=True)
    token = CSRF.search(page).group(1)
    email = email_for(role)
    response = in_own_context(
        client.post,
        "/sign-in",
        data={"csrf_token": token, "email": email, "password": PASSWORD},
    )
    if response.status_code != 302 or "/sign-in" in response.headers.get("Location", ""):
        # BenchConfig asks for no second factor; a bench user who has set one up would be
        # sent to its page
        raise SystemExit(
            f"Could not sign in as {email} ({response.status_code} "
            f"{response.headers.get('Location', '')})"
        )
    return client


def searching_client(app: Flask, role: Role, path: str, term: str) -> FlaskClient:
    """A client of its own (the term stays in its session), signed in, that has searched."""
    client = signed_in_client(app, role)
    token = CSRF.search(in_own_context(client.get, path).get_data(as_text=True)).group(1)
    data = {"csrf_token": token, "term": term}
    response = in_own_context(client.post, f"{path}/search", data=data)
    if response.status_code != 302:
        raise SystemExit(f"Could not search {path} ({response.status_code})")
    return client


@dataclass
class Timing:
    label: str
    role: Role
    path: str
    times: list[float] = field(default_factory=list)
    counts: Counter = field(default_factory=Counter)  # queries per request -> requests
    repeated: tuple[int, str] = (0, "")
    statuses: Counter = field(default_factory=Counter)
    slowest: list[tuple[float, str]] = field(default_factory=list)
    small_queries: int | None = None
    reads: list[list[Statement]] = field(default_factory=list)  # each timed request's reads
    sql_times: list[float] = field(default_factory=list)  # each request's reads, replayed
    replay_error: str = ""

    @property
    def queries(self) -> int:
        """The usual count: now and then a request also refreshes its session row."""
        return self.counts.most_common(1)[0][0] if self.counts else 0

    @property
    def median_ms(self) -> float:
        return statistics.median(self.times) * 1000

    @property
    def p95_ms(self) -> float:
        ordered = sorted(self.times)
        return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)] * 1000

    @property
    def replayed(self) -> int:
        """Read statements replayed for one request (the usual number)."""
        return Counter(len(r) for r in self.reads).most_common(1)[0][0] if self.reads else 0

    @property
    def replayed_total(self) -> int:
        return sum(len(r) for r in self.reads) if self.sql_times else 0

    @property
    def sql_median_ms(self) -> float | None:
        return statistics.median(self.sql_times) * 1000 if self.sql_times else None

    @property
    def ratio(self) -> float | None:
        sql = self.sql_median_ms
        return self.median_ms / sql if sql else None


def time_page(
    client, statements: Statements, timing: Timing, repeat: int, warm: int, budget: float
) -> None:
    """`repeat` timed requests after `warm` untimed ones; a very slow page stops after `budget`
    seconds once it has five."""
    started_page = time.perf_counter()
    for n in range(warm + repeat):
        if len(timing.times) >= 5 and time.perf_counter() - started_page > budget:
            break
        statements.take()
        started = time.perf_counter()
        response = in_own_context(client.get, timing.path)
        response.get_data()
        elapsed = time.perf_counter() - started
        ran = statements.take()
        timing.statuses[response.status_code] += 1
        if n < warm:
            continue
        timing.times.append(elapsed)
        timing.counts[len(ran)] += 1
        timing.reads.append(
            [(s, parameters) for s, parameters, many, _ in ran if not many and is_read(s)]
        )
        texts = Counter(statement for statement, *_ in ran)
        if texts:
            statement, count = texts.most_common(1)[0]
            timing.repeated = max(timing.repeated, (count, statement))
        timing.slowest = sorted(((seconds, s) for s, _, _, seconds in ran), reverse=True)[:3]


@dataclass
class ExportTiming:
    label: str
    role: Role
    path: str
    seconds: list[float] = field(default_factory=list)
    first_byte: list[float] = field(default_factory=list)
    rows: int = 0
    megabytes: float = 0
    queries: int = 0
    status: int = 0

    @property
    def format(self) -> str:
        return self.path.rsplit(".", 1)[-1]


def count_rows(body: bytes, fmt: str) -> int:
    """Data rows received (the heading row left out): parsed as CSV, or the sheet's rows."""
    if fmt == "xlsx":
        with zipfile.ZipFile(io.BytesIO(body)) as workbook:
            return workbook.read("xl/worksheets/sheet1.xml").count(b"<row>") - 1
    return sum(1 for _ in csv.reader(io.StringIO(body.decode("utf-8")))) - 1


def time_export(client, statements: Statements, timing: ExportTiming, runs: int) -> None:
    """The time to the first bytes of the body and to its end, `runs` times."""
    for _ in range(runs):
        statements.take()
        chunks = []
        first = None
        started = time.perf_counter()
        response = in_own_context(client.get, timing.path)
        for chunk in response.response:
            if first is None and chunk:
                first = time.perf_counter() - started
            chunks.append(chunk)
        elapsed = time.perf_counter() - started
        response.close()
        body = b"".join(chunk.encode() if isinstance(chunk, str) else chunk for chunk in chunks)
        timing.status = response.status_code
        timing.seconds.append(elapsed)
        timing.first_byte.append(elapsed if first is None else first)
        timing.queries = max(timing.queries, len(statements.take()))
        timing.megabytes = len(body) / 1e6
        if timing.status == 200:
            timing.rows = count_rows(body, timing.format)


def measure(
    app: Flask,
    sample: Sample,
    repeat: int,
    warm: int,
    export_runs: int,
    *,
    only: str | None = None,
    with_exports: bool = True,
    with_replay: bool = True,
    budget: float = 120.0,
    progress: str = "",
) -> tuple[list[Timing], list[ExportTiming]]:
    """Each page timed, then (right after) its reads replayed; then each export."""
    with app.app_context():
        engine = db.engine
    statements = Statements(engine)
    clients = {role: signed_in_client(app, role) for role in sample.organisations}
    timings = []
    for label, role, path in pages(app, sample):
        if only and only not in label:
            continue
        timing = Timing(label, role, path)
        client = clients[role]
        if label in SEARCH_TERMS:
            client = searching_client(app, role, path, SEARCH_TERMS[label])
        time_page(client, statements, timing, repeat, warm, budget)
        if with_replay:
            try:
                timing.sql_times = replay(engine, timing.reads, warm)
            except Exception as error:  # noqa: BLE001 - shown in the table, the run goes on
                timing.replay_error = f"{type(error).__name__}: {error}".splitlines()[0][:80]
        timings.append(timing)
        sql = "" if timing.sql_median_ms is None else f", SQL {timing.sql_median_ms:.0f} ms"
        print(
            f"  {progress}{label} ({role.value}): {timing.median_ms:.0f} ms{sql}", file=sys.stderr
        )
    exports = []
    for label, role, path in EXPORTS if with_exports else []:
        if (only and only not in label) or not exists(app, role, path):
            continue
        timing = ExportTiming(label, role, path)
        time_export(clients[role], statements, timing, export_runs)
        exports.append(timing)
        print(f"  {label} ({role.value}): {max(timing.seconds):.1f} s", file=sys.stderr)
    return timings, exports
