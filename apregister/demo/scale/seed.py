"""`seed_scale`: one run of every builder, in order, in one transaction; and the checks the
command makes first."""

from __future__ import annotations

import time
from datetime import date, datetime

from sqlalchemy import func, inspect, select, text

from apregister.attendance import totals as attendance_totals
from apregister.demo.scale.inspections import add_inspections
from apregister.demo.scale.organisations import add_la, add_schools, add_staff
from apregister.demo.scale.providers import add_providers
from apregister.demo.scale.pupils import add_pupils_and_placements
from apregister.demo.scale.run import ScaleRun, ScaleSpec
from apregister.demo.scale.self_assessments import add_self_assessments
from apregister.demo.scale.writer import ORDER, BulkWriter
from apregister.extensions import db
from apregister.models import FrameworkStatus


class SeedRefused(Exception):
    """The database is not one seed-scale may write to (yet)."""


def build(run: ScaleRun, la_name: str) -> None:
    """Everything, parents first; each builder draws from the run's random numbers in turn."""
    run.la = add_la(run, la_name)
    add_staff(run, run.la)
    add_schools(run)
    run.progress(f"{run.spec.schools:,} schools")
    add_providers(run)
    run.progress(f"{run.spec.providers:,} providers")
    add_pupils_and_placements(run)
    add_quality_assurance(run)
    run.progress("inspections and self-assessments")


def add_quality_assurance(run: ScaleRun) -> None:
    """Inspections and self-assessments for every provider ever approved, up to today, or to
    the day it left the framework."""
    for provider in run.providers:
        if provider.approved_on is None:
            continue
        until = (
            run.today
            if provider.status is FrameworkStatus.APPROVED
            else min(provider.until, run.today)
        )
        if provider.status is FrameworkStatus.SUSPENDED:
            until = run.today
        add_inspections(run, provider, until)
        add_self_assessments(run, provider, until)


def has_placements() -> bool:
    return db.session.execute(text("SELECT 1 FROM placements LIMIT 1")).first() is not None


def check_schema() -> None:
    missing = {"placements", "attendance", "audit_events"} - set(
        inspect(db.engine).get_table_names()
    )
    if missing:
        raise SeedRefused("The database has no tables yet. Run `flask db upgrade` first.")


def seed_scale(
    spec: ScaleSpec, *, today: date, now: datetime, la_name: str, echo=print
) -> tuple[dict[str, int], float]:
    """Write the data set in one transaction; returns rows written per table and seconds."""
    check_schema()
    started = time.perf_counter()
    with db.engine.begin() as connection:
        if connection.dialect.name == "sqlite":
            connection.exec_driver_sql("PRAGMA cache_size = -200000")  # 200 MB for the indexes
        writer = BulkWriter(connection, now=now)
        build(ScaleRun(spec, writer, today=today, now=now, echo=echo), la_name)
        writer.finish()
        # bulk rows bypass the session hook that keeps the dashboard's attendance totals
        days = attendance_totals.rebuild(connection)
        echo(f"  attendance day totals ({days:,} rows)")
        echo(f"  written ({time.perf_counter() - started:.0f} s); committing")
    if db.engine.dialect.name == "postgresql":
        # What autovacuum would do soon after a load this size: statistics for the planner,
        # and the visibility map that lets it answer from an index alone.
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.exec_driver_sql("VACUUM ANALYZE")
    return {name: writer.counts[name] for name in ORDER if writer.counts[name]}, (
        time.perf_counter() - started
    )


def row_counts() -> dict[str, int]:
    """Rows in each table seed-scale writes to."""
    return {
        name: db.session.scalar(select(func.count()).select_from(db.metadata.tables[name]))
        for name in ORDER
    }
