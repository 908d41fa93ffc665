"""Every migration goes down and back up again on a database holding the demo data, on SQLite
and on PostgreSQL (whichever the tests run on), and leaves the schema matching the models."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from alembic.script import ScriptDirectory
from flask import Flask
from flask_migrate import check, downgrade, upgrade
from sqlalchemy import create_engine, func, inspect, make_url, select, table, text

from apregister import create_app
from apregister.config import TestConfig
from apregister.extensions import db

KEPT_BY_THE_FIRST_REVISION = ("organisations", "users", "providers")


@pytest.fixture
def scratch_url(database_url: str, tmp_path) -> Iterator[str]:
    """An empty database of the same kind as the test database, dropped afterwards."""
    url = make_url(database_url)
    if url.get_backend_name() != "postgresql":
        yield f"sqlite:///{tmp_path / 'roundtrip.db'}"
        return
    name = f"{url.database}_roundtrip_{os.getpid()}"
    server = create_engine(url, isolation_level="AUTOCOMMIT")
    with server.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield url.set(database=name).render_as_string(hide_password=False)
    finally:
        with server.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        server.dispose()


@pytest.fixture
def scratch_app(scratch_url: str) -> Iterator[Flask]:
    application = create_app(TestConfig, SQLALCHEMY_DATABASE_URI=scratch_url)
    with application.app_context():
        yield application
        db.session.remove()
        db.engine.dispose()


def _counts() -> dict[str, int]:
    # read in a session of its own and end it: on PostgreSQL an open read holds locks that the
    # next ALTER TABLE would wait on
    db.session.remove()
    counts = {
        name: db.session.scalar(select(func.count()).select_from(table(name)))
        for name in KEPT_BY_THE_FIRST_REVISION
    }
    db.session.remove()
    return counts


def _tables() -> set[str]:
    db.session.remove()
    with db.engine.connect() as connection:
        return set(inspect(connection).get_table_names())


def test_every_migration_round_trips_on_a_seeded_database(scratch_app: Flask):
    upgrade()
    result = scratch_app.test_cli_runner().invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    seeded = _counts()
    assert seeded["users"] and seeded["providers"]
    assert db.session.scalar(text("SELECT count(*) FROM placements"))
    db.session.remove()

    # Down to each revision with the data in place, and back up with the data that is left.
    script = ScriptDirectory.from_config(scratch_app.extensions["migrate"].migrate.get_config())
    revisions = [revision.revision for revision in script.walk_revisions()]
    for revision in revisions[1:]:
        downgrade(revision=revision)
        upgrade()
        assert _counts() == seeded, f"rows lost going down to {revision} and back"

    downgrade(revision="base")
    assert _tables() == {"alembic_version"}  # no half-finished batch copies left behind
    upgrade()
    assert _tables() >= {t.name for t in db.metadata.sorted_tables}
    try:
        check()  # `flask db check`
    except SystemExit:
        pytest.fail("the schema after the round trip does not match the models")
    if db.engine.dialect.name == "sqlite":
        db.session.remove()
        assert db.session.scalar(text("PRAGMA foreign_keys")) == 1
