"""The bench's databases: the app's settings for them, building and seeding them, and the bench
users and records the pages are timed with.

Two databases on one engine: the scale database (the issue's size) and a small one of 2,000
placements, whose query counts are compared with it. SQLite: bench/data/scale.db and small.db.
PostgreSQL: the database BENCH_DATABASE_URL names and the same name + `_small` on that server;
both are created when missing.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path

from flask import Flask
from flask_migrate import upgrade
from sqlalchemy import create_engine, func, make_url, select, text

from apregister import create_app
from apregister.audit import acting_as
from apregister.config import Config, normalise_database_url
from apregister.dashboard.kpis import KPIS
from apregister.demo import scale
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
PASSWORD = "bench passphrase, known to the benchmark only"
FULL = scale.ScaleSpec()  # the size: 1,000 schools, 500 providers, 200,000 placements
SMALL = scale.ScaleSpec(schools=20, providers=12, placements=2_000)


class BenchConfig(Config):
    """Production settings, except what a test client over plain HTTP needs."""

    ENV_NAME = "bench"
    SESSION_COOKIE_SECURE = False
    SECRET_KEY = "bench-secret-key-not-for-production"
    PASSWORD_HASH_METHOD = "pbkdf2:sha256:1000"  # signing in is not what is measured
    TWO_FACTOR_REQUIRED = False  # nor its second step
    RATELIMIT_ENABLED = False


def scale_url() -> str:
    """The scale database: BENCH_DATABASE_URL (any form the app accepts), else SQLite."""
    url = os.environ.get("BENCH_DATABASE_URL") or f"sqlite:///{DATA / 'scale.db'}"
    return normalise_database_url(url)


def small_url(url: str) -> str:
    """The comparison database on the same engine: SQLite's small.db, or on PostgreSQL the same
    server and credentials with the database name + `_small`."""
    if url.startswith("sqlite"):
        return f"sqlite:///{DATA / 'small.db'}"
    parsed = make_url(url)
    return parsed.set(database=f"{parsed.database}_small").render_as_string(hide_password=False)


def email_for(role: Role) -> str:
    return f"bench-{role.value.replace('_', '-')}@bench.example.org"


def make_app(url: str) -> Flask:
    return create_app(BenchConfig, SQLALCHEMY_DATABASE_URI=normalise_database_url(url))


def ensure_database(url: str) -> None:
    """On PostgreSQL, create the database if the server does not have it yet (through the
    `postgres` database, in autocommit: CREATE DATABASE cannot run in a transaction)."""
    parsed = make_url(url)
    if not parsed.drivername.startswith("postgresql"):
        return
    engine = create_engine(parsed.set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as connection:
            exists = connection.scalar(
                text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": parsed.database}
            )
            if not exists:
                quoted = connection.dialect.identifier_preparer.quote(parsed.database)
                connection.execute(text(f"CREATE DATABASE {quoted}"))
                print(f"created database {parsed.database}")
    finally:
        engine.dispose()


def reset(app: Flask) -> None:
    """Empty a bench database (only when asked with --reseed)."""
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


def open_database(url: str, spec: scale.ScaleSpec, label: str, *, reseed: bool) -> Flask:
    """The app on `url`, its database created, migrated and seeded (emptied first if asked)."""
    ensure_database(url)
    app = make_app(url)
    if reseed:
        reset(app)
        app = make_app(url)
    prepare(app, spec, label)
    return app


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
            email = email_for(role)
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
            user = db.session.scalars(select(User).where(User.email == email_for(role))).one()
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
