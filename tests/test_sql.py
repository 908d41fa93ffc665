"""The SQL helpers written once for both databases."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select, text
from sqlalchemy.dialects import postgresql, sqlite

from apregister.extensions import db
from apregister.models import Placement
from apregister.sql import Buckets, days_between, not_indexed
from tests.conftest import make_placement

EDGES = (date(2026, 1, 31), date(2026, 2, 28), date(2026, 3, 31))


@pytest.mark.parametrize(
    ("day", "bucket"),
    [
        (date(2026, 1, 1), 0),
        (date(2026, 1, 31), 0),
        (date(2026, 2, 1), 1),
        (date(2026, 3, 31), 2),
        (date(2026, 4, 1), 3),
        (None, 3),
    ],
)
def test_a_date_falls_in_the_bucket_of_the_first_edge_on_or_after_it(day, bucket):
    buckets = Buckets.at(reversed(EDGES))
    assert buckets.edges == EDGES and buckets.beyond == 3
    placement = make_placement(start_date=date(2025, 12, 1), actual_end=day)
    found = db.session.scalar(
        select(buckets.of(Placement.actual_end)).where(Placement.id == placement.id)
    )
    assert found == bucket
    # on or before an edge exactly when its bucket is at most the edge's
    for edge in EDGES:
        assert (day is not None and day <= edge) is (found <= buckets.index(edge))


def test_days_between_counts_whole_days_on_this_database():
    start = date(2026, 2, 20)
    placement = make_placement(start_date=start, actual_end=start + timedelta(days=10))
    found = db.session.scalar(
        select(days_between(Placement.start_date, Placement.actual_end)).where(
            Placement.id == placement.id
        )
    )
    assert found == 10


def test_not_indexed_is_a_unary_plus_on_sqlite_only():
    clause = not_indexed(Placement.start_date) <= date(2026, 1, 1)
    assert "+placements.start_date <=" in str(clause.compile(dialect=sqlite.dialect()))
    assert "+" not in str(clause.compile(dialect=postgresql.dialect()))
    on_this = db.session.scalar(select(Placement.id).where(clause).limit(1))
    assert on_this is None  # and it runs here


def test_postgresql_sessions_run_each_query_on_one_core_without_jit(app):
    from apregister import create_app
    from apregister.config import TestConfig

    other = create_app(TestConfig, SQLALCHEMY_DATABASE_URI="postgresql://u@db.invalid/x")
    options = other.config["SQLALCHEMY_ENGINE_OPTIONS"]["connect_args"]["options"]
    assert options == "-c max_parallel_workers_per_gather=0 -c jit=off"
    if db.engine.dialect.name == "postgresql":  # and the suite's own connections have it
        setting = db.session.execute(text("SHOW max_parallel_workers_per_gather")).scalar()
        assert setting == "0"
        assert db.session.execute(text("SHOW jit")).scalar() == "off"
