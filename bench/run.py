"""Time the main pages and exports against a scale database: `make bench` (see README.md).

SQLite by default (bench/data/scale.db); PostgreSQL when BENCH_DATABASE_URL is set. The database
is built with the migrations and seeded with `seed-scale` once, then reused. Each page is
fetched through the Flask test client, signed in through the real sign-in form, and timed
around the request (server time: no network, no browser). Every SQL statement is counted.
"""

from __future__ import annotations

import argparse
import contextvars
import csv
import io
import math
import os
import re
import statistics
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path

from flask import Flask
from flask.testing import FlaskClient
from flask_migrate import upgrade
from scheduled_jobs import report_jobs, time_jobs  # bench/, the script's own folder
from sqlalchemy import event, func, select, text
from sqlalchemy.engine import Engine

from apregister import create_app, scale
from apregister.audit import acting_as
from apregister.config import Config, normalise_database_url
from apregister.dashboard.kpis import KPIS
from apregister.extensions import db
from apregister.models import (
    Inspection,
    InspectionStatus,
    KpiSetting,
    LaSettings,
    LocalAuthority,
    Placement,
    Role,
    SelfAssessment,
    User,
)
from apregister.models.base import utcnow
from apregister.settings import current_settings
from apregister.users.operations import add_user

DATA = Path(__file__).resolve().parent / "data"  # git-ignored
PAGE_BUDGET_MS = 300
EXPORT_BUDGET_S = 10
PASSWORD = "bench passphrase, known to the benchmark only"
FULL = scale.ScaleSpec()  # the size: 1,000 schools, 500 providers, 200,000 placements
SMALL = scale.ScaleSpec(schools=20, providers=12, placements=2_000)
_CSRF = re.compile(r'<input[^>]*name="csrf_token"[^>]*value="([^"]+)"')


class BenchConfig(Config):
    """Production settings, except what a test client over plain HTTP needs."""

    ENV_NAME = "bench"
    SESSION_COOKIE_SECURE = False
    SECRET_KEY = "bench-secret-key-not-for-production"
    PASSWORD_HASH_METHOD = "pbkdf2:sha256:1000"  # signing in is not what is measured
    TWO_FACTOR_REQUIRED = False  # nor its second step
    RATELIMIT_ENABLED = False


# ---- the database ---------------------------------------------------------------------------


def make_app(url: str) -> Flask:
    return create_app(BenchConfig, SQLALCHEMY_DATABASE_URI=normalise_database_url(url))


def reset(app: Flask) -> None:
    """Empty the bench database (only when asked with --reseed)."""
    with app.app_context():
        if db.engine.dialect.name == "postgresql":
            with db.engine.begin() as connection:
                connection.execute(text("DROP SCHEMA public CASCADE"))
                connection.execute(text("CREATE SCHEMA public"))
        db.engine.dispose()
    path = db_path(app)
    if path is not None and path.exists():
        path.unlink()


def db_path(app: Flask) -> Path | None:
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    return Path(url.removeprefix("sqlite:///")) if url.startswith("sqlite:///") else None


def prepare(app: Flask, spec: scale.ScaleSpec, label: str) -> None:
    """Build the schema, and seed at `spec` unless the database already has placements."""
    with app.app_context():
        upgrade()
        if scale.has_placements():
            counts = scale.row_counts()
            print(
                f"{label}: reusing {counts['placements']:,} placements, {counts['pupils']:,} "
                f"pupils, {counts['attendance']:,} attendance rows ({db.engine.dialect.name})"
            )
        else:
            print(f"{label}: seeding {spec} into {db.engine.dialect.name}")
            db.session.rollback()
            _, seconds = scale.seed_scale(
                spec,
                today=date.today(),
                now=utcnow(),
                la_name=app.config["LA_NAME"],
                echo=print,
            )
            print(f"{label}: seeded in {seconds:.0f} s")
        db.session.remove()


@dataclass
class Sample:
    """Who signs in as each role, and which records the detail pages show."""

    organisations: dict[Role, int]
    ids: dict[str, int | None] = field(default_factory=dict)


def busiest(stmt) -> int | None:
    return db.session.execute(stmt.limit(1)).scalar()


def choose_sample(app: Flask) -> Sample:
    """The busiest school and provider (their pages are the heaviest), and the records with
    the most history."""
    today = date.today()
    running = (Placement.cancelled_on.is_(None), Placement.actual_end.is_(None))
    with app.app_context():
        la = db.session.scalars(select(LocalAuthority.id)).first()
        school = busiest(
            select(Placement.school_id)
            .where(Placement.school_id.is_not(None), *running)
            .group_by(Placement.school_id)
            .order_by(func.count().desc(), Placement.school_id)
        )
        provider = busiest(
            select(Placement.provider_id)
            .where(*running, Placement.start_date <= today)
            .group_by(Placement.provider_id)
            .order_by(func.count().desc(), Placement.provider_id)
        )
        ids = {
            "placement": busiest(
                select(Placement.id)
                .where(*running, Placement.start_date <= today)
                .order_by(Placement.start_date, Placement.id)
            ),
            "pupil": busiest(
                select(Placement.pupil_id)
                .group_by(Placement.pupil_id)
                .order_by(func.count().desc(), Placement.pupil_id)
            ),
            "provider": provider,
            "inspection": busiest(
                select(Inspection.id)
                .where(
                    Inspection.provider_id == provider,
                    Inspection.status == InspectionStatus.PUBLISHED,
                )
                .order_by(Inspection.visit_date.desc())
            ),
            "self_assessment": busiest(
                select(SelfAssessment.id)
                .where(SelfAssessment.provider_id == provider)
                .order_by(SelfAssessment.academic_year.desc())
            ),
        }
        organisations = {Role.LA_LEAD: la, Role.BOARD: la, Role.SCHOOL: school}
        organisations[Role.PROVIDER] = provider
        for role, organisation in organisations.items():
            email = f"bench-{role.value.replace('_', '-')}@bench.example.org"
            if db.session.scalar(select(User.id).where(User.email == email)) is None:
                with acting_as(None):
                    add_user(
                        email=email,
                        name=f"Bench {role.label}",
                        role=role,
                        organisation_id=organisation,
                        password=PASSWORD,
                    )
                    db.session.commit()
        set_kpi_baseline(today)
        # an existing bench user keeps the organisation it was made for
        for role in organisations:
            email = f"bench-{role.value.replace('_', '-')}@bench.example.org"
            user = db.session.scalars(select(User).where(User.email == email)).one()
            organisations[role] = user.organisation_id
        db.session.remove()
    return Sample(organisations, ids)


def set_kpi_baseline(today: date) -> None:
    """What the LA lead would have done: a baseline a year and a term back (the dashboard
    then measures four windows, not three) and a target and comparator for each KPI."""
    settings = db.session.scalars(select(LaSettings)).first()
    if settings is None:
        settings = current_settings()
        db.session.add(settings)
    settings.kpi_baseline_date = date(today.year - (2 if today.month < 9 else 1), 9, 1)
    for kpi in KPIS:
        if db.session.scalar(select(KpiSetting.id).where(KpiSetting.key == kpi.key)) is None:
            db.session.add(
                KpiSetting(
                    key=kpi.key,
                    target=Decimal(10),
                    comparator=Decimal(12),
                    comparator_source="National, bench figure",
                )
            )
    with acting_as(None):
        db.session.commit()


# ---- requests ---------------------------------------------------------------------------------


class Statements:
    """Every SQL statement the engine runs, with its time, while `on`."""

    def __init__(self, engine: Engine):
        self.items: list[tuple[str, float]] = []
        self._started: dict[int, float] = {}
        event.listen(engine, "before_cursor_execute", self._before)
        event.listen(engine, "after_cursor_execute", self._after)

    def _before(self, conn, cursor, statement, parameters, context, executemany):
        self._started[id(cursor)] = time.perf_counter()

    def _after(self, conn, cursor, statement, parameters, context, executemany):
        started = self._started.pop(id(cursor), time.perf_counter())
        self.items.append((statement, time.perf_counter() - started))

    def take(self) -> list[tuple[str, float]]:
        items, self.items = self.items, []
        return items


def in_own_context(call, *args, **kwargs):
    # Each request gets its own app context and database session, as under gunicorn.
    return contextvars.Context().run(call, *args, **kwargs)


def signed_in_client(app: Flask, role: Role) -> FlaskClient:
    client = app.test_client()
    page = in_own_context(client.get, "/sign-in").get_data(as_text=True)
    token = _CSRF.search(page).group(1)
    email = f"bench-{role.value.replace('_', '-')}@bench.example.org"
    response = in_own_context(
        client.post,
        "/sign-in",
        data={"csrf_token": token, "email": email, "password": PASSWORD},
    )
    if response.status_code != 302:
        raise SystemExit(f"Could not sign in as {email} ({response.status_code})")
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
        texts = Counter(statement for statement, _ in ran)
        if texts:
            statement, count = texts.most_common(1)[0]
            timing.repeated = max(timing.repeated, (count, statement))
        timing.slowest = sorted(((seconds, s) for s, seconds in ran), reverse=True)[:3]


@dataclass
class ExportTiming:
    label: str
    role: Role
    path: str
    seconds: list[float] = field(default_factory=list)
    rows: int = 0
    megabytes: float = 0
    queries: int = 0
    status: int = 0


def time_export(client, statements: Statements, timing: ExportTiming, runs: int) -> None:
    for _ in range(runs):
        statements.take()
        started = time.perf_counter()
        response = in_own_context(client.get, timing.path)
        body = b"".join(response.response)
        elapsed = time.perf_counter() - started
        response.close()
        timing.status = response.status_code
        timing.seconds.append(elapsed)
        timing.queries = max(timing.queries, len(statements.take()))
        timing.megabytes = len(body) / 1e6
        timing.rows = sum(1 for _ in csv.reader(io.StringIO(body.decode("utf-8")))) - 1


def pages(app: Flask, sample: Sample) -> list[tuple[str, Role, str]]:
    """(label, role, path) for each main page this version of the app has."""
    ids = sample.ids
    busy = ids["provider"]
    la, school, provider, board = Role.LA_LEAD, Role.SCHOOL, Role.PROVIDER, Role.BOARD
    wanted = [
        ("home", la, "/"),
        ("home", school, "/"),
        ("home", provider, "/"),
        ("home", board, "/"),
        ("placements", la, "/placements"),
        ("placements: active at a provider", la, f"/placements?status=active&provider_id={busy}"),
        ("placements: review overdue", la, "/placements?review_overdue=y"),
        ("placements: last page", la, "/placements?page=100000"),
        ("placements: overrunning", la, "/placements?overrunning=y"),
        ("placements: off framework to review", la, "/placements?off_framework=to_review"),
        ("placements: unregistered limits", la, "/placements?unregistered_breach=y"),
        ("placements: provider suspended", la, "/placements?provider_lapsed=y"),
        ("placements: ended", la, "/placements?status=ended"),
        ("placements: ended, one reason", la, "/placements?status=ended&reason=medical"),
        ("placements: one reason", la, "/placements?reason=prevent_exclusion"),
        ("placements: reviews due", school, "/placements?review_due=y"),
        ("placements", school, "/placements"),
        ("placements", provider, "/placements"),
        ("providers", la, "/providers"),
        ("providers", school, "/providers"),
        ("providers: inspection due", la, "/providers?qa=inspection_due"),
        ("providers: documents", la, "/providers?qa=documents"),
        ("pupils", la, "/pupils"),
        ("pupils", school, "/pupils"),
        ("pupils: last page", la, "/pupils?page=100000"),
        ("pupils: search by name", la, "/pupils"),
        ("pupils: search by name", school, "/pupils"),
        ("placements: search by name", la, "/placements"),
        ("placements: search by name", school, "/placements"),
        ("placements: search, one name", la, "/placements"),
        ("audit", la, "/audit"),
        ("attendance", provider, "/attendance"),
        ("attendance: unrecorded", provider, "/attendance/unrecorded"),
        ("placement page", la, f"/placements/{ids['placement']}"),
        ("provider page", la, f"/providers/{ids['provider']}"),
        ("pupil page", la, f"/pupils/{ids['pupil']}"),
        ("dashboard", la, "/dashboard"),
        ("dashboard: one phase", la, "/dashboard?phase=secondary"),
        ("dashboard: one provider", la, f"/dashboard?provider_id={busy}"),
        ("dashboard: a past year", la, f"/dashboard?period={date.today().year - 3}"),
        ("dashboard", board, "/dashboard"),
        ("dashboard: a past year", board, f"/dashboard?period={date.today().year - 3}"),
        ("inspections", la, "/inspections"),
        ("inspections", provider, "/inspections"),
        ("inspection page", la, f"/inspections/{ids['inspection']}"),
        ("self-assessments", la, "/self-assessments"),
        ("self-assessments", provider, "/self-assessments"),
        ("self-assessment page", la, f"/self-assessments/{ids['self_assessment']}"),
        ("reports", la, "/reports"),
    ]
    try:
        from apregister.reports.definitions import REPORTS
    except ImportError:
        REPORTS = {}
    wanted += [(f"report: {key}", la, f"/reports/{key}") for key in REPORTS]
    adapter = app.url_map.bind("localhost")
    found = []
    for label, role, path in wanted:
        if "None" in path:
            continue
        try:
            endpoint, _ = adapter.match(path.split("?")[0], method="GET")
        except Exception:  # noqa: BLE001 - the page does not exist in this version
            continue
        if role in getattr(app.view_functions[endpoint], "allowed_roles", ()):
            found.append((label, role, path))
    return found


# The pages above whose client first posts a search (the term is kept in the session, never
# in the URL): a first name and a surname's start, and one common surname's start alone.
SEARCH_TERMS = {
    "pupils: search by name": "ruby pal",
    "placements: search by name": "ruby pal",
    "placements: search, one name": "smi",
}


def searching_client(app: Flask, role: Role, path: str, term: str) -> FlaskClient:
    """A client of its own (the term stays in its session), signed in, that has searched."""
    client = signed_in_client(app, role)
    token = _CSRF.search(in_own_context(client.get, path).get_data(as_text=True)).group(1)
    data = {"csrf_token": token, "term": term}
    response = in_own_context(client.post, f"{path}/search", data=data)
    if response.status_code != 302:
        raise SystemExit(f"Could not search {path} ({response.status_code})")
    return client


EXPORTS = [
    ("placements CSV", Role.LA_LEAD, "/placements/export.csv"),
    ("placements CSV", Role.SCHOOL, "/placements/export.csv"),
    ("providers CSV", Role.LA_LEAD, "/providers/export.csv"),
    ("dashboard figures CSV", Role.LA_LEAD, "/dashboard/figures.csv"),
    ("dashboard figures CSV", Role.BOARD, "/dashboard/figures.csv"),
]


# ---- the run ------------------------------------------------------------------------------------


def measure(app, sample, repeat, warm, export_runs, *, only=None, with_exports=True, budget=120.0):
    with app.app_context():
        statements = Statements(db.engine)
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
        timings.append(timing)
        print(f"  {label} ({role.value}): {timing.median_ms:.0f} ms", file=sys.stderr)
    exports = []
    for label, role, path in EXPORTS if with_exports else []:
        if only and only not in label:
            continue
        timing = ExportTiming(label, role, path)
        time_export(clients[role], statements, timing, export_runs)
        exports.append(timing)
        print(f"  {label} ({role.value}): {max(timing.seconds):.1f} s", file=sys.stderr)
    return timings, exports


def report(timings, exports, dialect: str, size: str, show_sql: bool) -> None:
    print(f"\nPages on {dialect} ({size}); budget {PAGE_BUDGET_MS} ms median")
    header = f"{'page':<36} {'role':<10} {'n':>3} {'median ms':>9} {'p95 ms':>8} {'queries':>7} "
    print(header + f"{'at 2k':>6} {'max same':>8}  notes")
    print("-" * (len(header) + 40))
    for t in timings:
        notes = []
        if t.median_ms > PAGE_BUDGET_MS:
            notes.append("SLOW")
        if set(t.statuses) - {200}:
            notes.append(f"HTTP {dict(t.statuses)}")
        if t.small_queries is not None and t.small_queries != t.queries:
            notes.append("queries vary with data")
        if len(t.counts) > 1:
            notes.append(f"queries {min(t.counts)}-{max(t.counts)}")
        if t.repeated[0] >= 5 and t.small_queries == t.queries:
            notes.append(f"one statement x{t.repeated[0]}, as at 2k")
        elif t.repeated[0] >= 5:
            notes.append("N+1?")
        small = "" if t.small_queries is None else str(t.small_queries)
        print(
            f"{t.label:<36} {t.role.value:<10} {len(t.times):>3} {t.median_ms:>9.0f} "
            f"{t.p95_ms:>8.0f} {t.queries:>7} {small:>6} {t.repeated[0]:>8}  {', '.join(notes)}"
        )
    if exports:
        print(f"\nExports on {dialect} ({size}); budget {EXPORT_BUDGET_S} s for the whole body")
        print(
            f"{'export':<36} {'role':<10} {'median s':>9} {'max s':>7} {'rows':>9} {'MB':>6} "
            f"{'queries':>7}  notes"
        )
        for e in exports:
            notes = ["SLOW"] if max(e.seconds) > EXPORT_BUDGET_S else []
            if e.status != 200:
                notes.append(f"HTTP {e.status}")
            print(
                f"{e.label:<36} {e.role.value:<10} {statistics.median(e.seconds):>9.1f} "
                f"{max(e.seconds):>7.1f} {e.rows:>9,} {e.megabytes:>6.1f} {e.queries:>7}  "
                + ", ".join(notes)
            )
    flagged = [t for t in timings if show_sql or t.median_ms > PAGE_BUDGET_MS or t.repeated[0] >= 5]
    for t in flagged:
        print(f"\n{t.label} ({t.role.value}) {t.path}: slowest statements of the last request")
        for seconds, statement in t.slowest:
            print(f"  {seconds * 1000:7.1f} ms  {' '.join(statement.split())[:600]}")
        if t.repeated[0] >= 5:
            print(f"  run {t.repeated[0]} times: {' '.join(t.repeated[1].split())[:300]}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=20, help="timed requests per page")
    parser.add_argument("--warm", type=int, default=2, help="untimed requests first")
    parser.add_argument("--export-runs", type=int, default=3)
    parser.add_argument(
        "--page-budget", type=float, default=120, help="seconds per page before fewer requests"
    )
    parser.add_argument("--reseed", action="store_true", help="empty the bench database first")
    parser.add_argument("--no-compare", action="store_true", help="skip the 2k-placement check")
    parser.add_argument("--sql", action="store_true", help="show the slowest SQL of every page")
    parser.add_argument("--only", help="only pages whose label contains this")
    parser.add_argument("--no-jobs", action="store_true", help="skip the scheduled jobs")
    args = parser.parse_args()

    DATA.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("INSTANCE_PATH", str(DATA / "instance"))
    url = os.environ.get("BENCH_DATABASE_URL") or f"sqlite:///{DATA / 'scale.db'}"
    app = make_app(url)
    if args.reseed:
        reset(app)
        app = make_app(url)
    prepare(app, FULL, "scale database")
    sample = choose_sample(app)
    timings, exports = measure(
        app,
        sample,
        args.repeat,
        args.warm,
        args.export_runs,
        only=args.only,
        budget=args.page_budget,
    )

    if not args.no_compare:
        # The same pages on a database a hundred times smaller: a page whose query count
        # differs has a query count that depends on the data.
        small_app = make_app(f"sqlite:///{DATA / 'small.db'}")
        prepare(small_app, SMALL, "comparison database")
        small_sample = choose_sample(small_app)
        small, _ = measure(small_app, small_sample, 1, 1, 0, only=args.only, with_exports=False)
        by_key = {(t.label, t.role): t.queries for t in small}
        for timing in timings:
            timing.small_queries = by_key.get((timing.label, timing.role))

    with app.app_context():
        dialect = db.engine.dialect.name
        counts = scale.row_counts()
    size = f"{counts['placements']:,} placements, {counts['attendance']:,} attendance rows"
    report(timings, exports, dialect, size, args.sql)
    if not args.no_jobs and not args.only:
        report_jobs(time_jobs(app))


if __name__ == "__main__":
    main()
