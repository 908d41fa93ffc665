"""`flask backup` and `flask restore`, on whichever database the tests run on: a backup taken
while another connection keeps committing rows is one moment's copy, it restores into an empty
database that passes `flask db check`, and the commands refuse, in plain words, to overwrite a
file or fill a database that already has tables."""

from __future__ import annotations

import hashlib
import os
import sqlite3
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import create_engine, insert, inspect, make_url, text
from sqlalchemy.engine import Engine

from apregister import backup, create_app
from apregister.config import TestConfig
from apregister.extensions import db as _db
from apregister.models import AuditAction, AuditEvent
from tests.conftest import make_la, make_placement, make_provider, make_user

ROOT = Path(__file__).resolve().parents[1]
LOADED_TABLE = "audit_events"  # the table the writer appends to while the backup runs


@pytest.fixture
def scratch_url(database_url: str, tmp_path: Path) -> Iterator[str]:
    """A new, empty database of the same kind as the test database, dropped afterwards."""
    url = make_url(database_url)
    if url.get_backend_name() != "postgresql":
        yield f"sqlite:///{tmp_path / 'restored.db'}"
        return
    name = f"apregister_h_backup_{uuid.uuid4().hex[:12]}"
    server = create_engine(url, isolation_level="AUTOCOMMIT")
    with server.connect() as connection:
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
    yield application
    with application.app_context():
        _db.session.remove()
        _db.engine.dispose()


def _run(app: Flask, *args: str):
    # a command runs in the current app context if there is one: make it this app's
    with app.app_context():
        return app.test_cli_runner().invoke(args=list(args))


def _refused(result) -> str:
    """The command stopped with a message (exit 1), not an exception."""
    assert result.exit_code == 1, result.output
    assert isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output
    return " ".join(result.output.split())


def _contents(engine: Engine) -> dict[str, list[tuple[str, ...]]]:
    """Every table's rows, as text, sorted."""
    with engine.connect() as connection:
        names = inspect(connection).get_table_names()
        return {
            name: sorted(
                tuple(str(value) for value in row)
                for row in connection.execute(text(f'SELECT * FROM "{name}"'))
            )
            for name in names
        }


def _summary(contents: dict[str, list[tuple[str, ...]]]) -> dict[str, tuple[int, str]]:
    """Row count and checksum per table."""
    return {
        name: (len(rows), hashlib.sha256(repr(rows).encode()).hexdigest())
        for name, rows in contents.items()
    }


def _some_records() -> None:
    make_user()
    placement = make_placement()
    make_provider(name="Another provider")
    assert placement.id


class Writer(threading.Thread):
    """Commits one audit event after another on a connection of its own until stopped."""

    def __init__(self, engine: Engine):
        super().__init__(daemon=True)
        self.engine = engine
        self.written = 0
        self.error: BaseException | None = None
        self.stop = threading.Event()

    def run(self) -> None:
        try:
            with self.engine.connect() as connection:
                while not self.stop.is_set():
                    with connection.begin():
                        connection.execute(
                            insert(AuditEvent.__table__).values(
                                action=AuditAction.SIGN_IN, detail=f"load {self.written}"
                            )
                        )
                    self.written += 1
                    time.sleep(0.001)
        except BaseException as error:  # reported by the test
            self.error = error

    def wait_for(self, rows: int) -> None:
        deadline = time.monotonic() + 10
        while self.written < rows and self.error is None:
            assert time.monotonic() < deadline, "the writer stalled"
            time.sleep(0.005)

    def finish(self) -> None:
        self.stop.set()
        self.join(10)
        assert self.error is None, self.error


def test_a_backup_taken_under_write_load_restores_as_one_moments_copy(
    app, db, tmp_path, scratch_app
):
    make_la()
    _some_records()
    path = tmp_path / "register.backup"
    writer = Writer(db.engine)
    writer.start()
    try:
        writer.wait_for(5)
        taken = _run(app, "backup", str(path))
        writer.wait_for(writer.written + 5)  # rows the backup cannot have
    finally:
        writer.finish()
    assert taken.exit_code == 0, taken.output
    assert f"to {path}" in taken.output and " tables." in taken.output
    assert backup.backup_kind(path) == db.engine.dialect.name
    assert os.stat(path).st_mode & 0o077 == 0  # children's data: readable by its owner only
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".part")]

    restored = _run(scratch_app, "restore", str(path))
    assert restored.exit_code == 0, restored.output
    assert "flask db check" in restored.output
    checked = _run(scratch_app, "db", "check")
    assert checked.exit_code == 0, checked.output

    source = _contents(db.engine)
    with scratch_app.app_context():
        copy = _contents(_db.engine)
    assert set(copy) == set(source)
    assert f", {len(source)} tables." in taken.output
    assert f": {len(source)} tables." in restored.output
    # The writer appended rows in id order: the copy holds a prefix of them, cut at one moment.
    loaded = copy[LOADED_TABLE]
    copied_up_to = max(int(row[0]) for row in loaded)
    source[LOADED_TABLE] = [row for row in source[LOADED_TABLE] if int(row[0]) <= copied_up_to]
    assert _summary(copy) == _summary(source)
    load_rows = sum(1 for row in loaded if any(v.startswith("load ") for v in row))
    assert 5 <= load_rows < writer.written
    assert len(copy["providers"]) == 2 and len(copy["alembic_version"]) == 1


def test_restore_into_a_database_with_tables_is_refused_and_changes_nothing(app, db, tmp_path):
    make_la()
    make_provider()
    path = tmp_path / "register.backup"
    assert _run(app, "backup", str(path)).exit_code == 0
    make_provider(name="Added after the backup")
    before = _summary(_contents(db.engine))

    said = _refused(_run(app, "restore", str(path)))

    assert "is not empty" in said and "Nothing was changed" in said
    assert _summary(_contents(db.engine)) == before


def test_backup_will_not_replace_a_file_unless_forced(app, db, tmp_path):
    make_la()
    path = tmp_path / "register.backup"
    path.write_text("last night's backup")

    said = _refused(_run(app, "backup", str(path)))

    assert "already exists" in said and "--force" in said and "Nothing was written" in said
    assert path.read_text() == "last night's backup"
    forced = _run(app, "backup", "--force", str(path))
    assert forced.exit_code == 0, forced.output
    assert backup.backup_kind(path) == db.engine.dialect.name
    assert sorted(p.name for p in tmp_path.iterdir()) == ["register.backup"]


def test_a_backup_of_the_other_kind_of_database_or_no_backup_is_refused(app, db, tmp_path):
    here = db.engine.dialect.name
    other = tmp_path / "other.backup"
    if here == "sqlite":
        other.write_bytes(backup.PG_DUMP_HEADER + b"\x01\x0e\x00" + bytes(64))
    else:
        with sqlite3.connect(other) as connection:
            connection.execute("CREATE TABLE providers (id INTEGER PRIMARY KEY)")
        connection.close()
    said = _refused(_run(app, "restore", str(other)))
    kinds = ("PostgreSQL", "SQLite") if here == "sqlite" else ("SQLite", "PostgreSQL")
    assert f"is a {kinds[0]} backup, but this database is {kinds[1]}" in said
    assert "Nothing was changed" in said

    notes = tmp_path / "notes.txt"
    notes.write_text("not a backup")
    said = _refused(_run(app, "restore", str(notes)))
    assert "is not a backup made by `flask backup`" in said


def test_without_the_postgresql_client_tools_the_error_says_to_install_them(
    app, db, tmp_path, monkeypatch
):
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(backup.BackupError, match="Install the PostgreSQL client tools"):
        backup.tool("pg_dump")
    if db.engine.dialect.name == "postgresql":
        said = _refused(_run(app, "backup", str(tmp_path / "register.backup")))
        assert "pg_dump was not found on PATH" in said and "postgresql-client" in said
        assert not list(tmp_path.iterdir())


def test_the_password_reaches_the_postgresql_tools_in_the_environment_only(monkeypatch):
    monkeypatch.delenv("PGPASSWORD", raising=False)
    url = make_url("postgresql+psycopg://ap:s3cret%2Fpw@db.example:5433/register?sslmode=require")
    target, env = backup.libpq_target(url)
    assert target == "postgresql://ap@db.example:5433/register?sslmode=require"
    assert env["PGPASSWORD"] == "s3cret/pw"
    target, env = backup.libpq_target(make_url("postgresql+psycopg://ap@db.example/register"))
    assert "PGPASSWORD" not in env


def test_the_password_never_reaches_a_command_line(tmp_path, monkeypatch):
    calls = []

    def run(argv, *, env, **kwargs):
        calls.append((argv, env))
        return subprocess.CompletedProcess(argv, 0, stdout="", stderr="")

    monkeypatch.setattr(backup.shutil, "which", lambda name: f"/usr/bin/{name}")
    monkeypatch.setattr(backup.subprocess, "run", run)
    url = make_url("postgresql+psycopg://ap:s3cret@db.example/register")
    dump = tmp_path / "register.backup"
    dump.write_bytes(backup.PG_DUMP_HEADER)
    backup._pg_dump(url, dump)
    backup._pg_restore(dump, url)
    programs = [Path(argv[0]).name for argv, _ in calls]
    assert programs == ["pg_dump", "pg_restore", "pg_restore", "pg_restore"]
    for argv, env in calls:
        assert not any("s3cret" in arg for arg in argv), argv
        assert env["PGPASSWORD"] == "s3cret"
    assert calls[-1][0][1:5] == [
        "--no-owner",
        "--no-privileges",
        "--exit-on-error",
        "--single-transaction",
    ]


def test_a_postgresql_restore_that_fails_part_way_leaves_the_database_empty(
    app, db, tmp_path, scratch_app
):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("SQLite's backup API copies the whole file in one step")
    make_la()
    path = tmp_path / "register.backup"
    assert _run(app, "backup", str(path)).exit_code == 0
    with scratch_app.app_context(), _db.engine.begin() as connection:
        # not a table, so the restore starts; the dump's own sequence of that name then clashes
        connection.execute(text("CREATE SEQUENCE pupils_id_seq"))

    said = _refused(_run(scratch_app, "restore", str(path)))

    assert "pg_restore stopped at an error, so nothing was restored" in said
    with scratch_app.app_context():
        assert backup.existing_tables(_db.engine) == []


def test_the_real_command_line_answers_a_refusal_in_plain_words(database_url, tmp_path):
    existing = tmp_path / "register.backup"
    existing.write_text("last night's backup")
    env = dict(os.environ, DATABASE_URL=database_url, INSTANCE_PATH=str(tmp_path / "instance"))
    env.pop("TEST_DATABASE_URL", None)
    result = subprocess.run(
        [sys.executable, "-m", "flask", "--app", "wsgi", "backup", str(existing)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith(f"Error: {existing} already exists.")
    assert existing.read_text() == "last night's backup"
