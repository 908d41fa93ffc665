"""`flask backup` and `flask restore`: a consistent copy of the database, taken while the app
runs, and put back into an empty database.

SQLite is copied through SQLite's online backup API in one step, so the copy is the database as
it was at one moment (writers wait for it, up to their busy timeout). PostgreSQL is dumped by
pg_dump, which reads everything in one snapshot, and restored by pg_restore in one transaction.
The password never goes on a command line: the client tools get it in PGPASSWORD.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import URL, text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError

from apregister.backup_files import BackupError, fsync, place, temporary

SQLITE_HEADER = b"SQLite format 3\x00"
PG_DUMP_HEADER = b"PGDMP"  # pg_dump --format=custom
_TABLE_ENTRY = re.compile(r"\d+; \d+ \d+ TABLE (?!DATA )")
KINDS = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
CLIENT_TOOLS = (
    "Install the PostgreSQL client tools (on Debian or Ubuntu: apt-get install "
    "postgresql-client, the same major version as the server or newer), then try again."
)


@dataclass(frozen=True)
class Copy:
    path: Path
    kind: str  # "sqlite" or "postgresql"
    size: int  # bytes
    tables: int


def backup(engine: Engine, path: Path, *, force: bool = False) -> Copy:
    """Write a consistent copy of the database behind `engine` to `path`."""
    kind = _kind(engine.url)
    if path.is_dir():
        raise BackupError(f"{path} is a folder. Give the name of the backup file to write.")
    if path.exists() and not force:
        raise BackupError(
            f"{path} already exists. Nothing was written: choose another name, or add --force "
            "to replace it."
        )
    if not path.parent.is_dir():
        raise BackupError(f"There is no folder {path.parent}. Nothing was written.")
    try:
        with temporary(path) as part:
            if kind == "sqlite":
                tables = _sqlite_backup(_sqlite_file(engine.url), part)
            else:
                tables = _pg_dump(engine.url, part)
            fsync(part)
            place(part, path, force=force)
    except OSError as error:
        raise BackupError(
            f"Could not write {path}: {error.strerror}. Nothing was written."
        ) from None
    return Copy(path=path, kind=kind, size=path.stat().st_size, tables=tables)


def restore(engine: Engine, path: Path) -> Copy:
    """Put the backup at `path` into the empty database behind `engine`."""
    kind = _kind(engine.url)
    made_from = backup_kind(path)
    if made_from is None:
        raise BackupError(
            f"{path} is not a backup made by `flask backup` (neither a SQLite database nor a "
            "pg_dump custom-format file). Nothing was changed."
        )
    if made_from != kind:
        raise BackupError(
            f"{path} is a {KINDS[made_from]} backup, but this database is {KINDS[kind]}. A "
            f"backup can only be restored into the same kind of database. Nothing was changed."
        )
    if tables := existing_tables(engine):
        shown = engine.url.render_as_string(hide_password=True)
        raise BackupError(
            f"The database {shown} is not empty: it has {len(tables)} "
            f"table{'s' if len(tables) != 1 else ''} ({', '.join(tables[:3])}"
            f"{', ...' if len(tables) > 3 else ''}). Restore only into an empty database: "
            "create a new one and point DATABASE_URL at it. Nothing was changed."
        )
    engine.dispose()  # no pooled connection holds the database while it is filled
    if kind == "sqlite":
        tables = _sqlite_restore(path, _sqlite_file(engine.url))
    else:
        tables = _pg_restore(path, engine.url)
    return Copy(path=path, kind=kind, size=path.stat().st_size, tables=tables)


def backup_kind(path: Path) -> str | None:
    """The kind of database a backup file was made from ("sqlite" or "postgresql"), from its
    first bytes; None for any other file."""
    with path.open("rb") as handle:
        head = handle.read(len(SQLITE_HEADER))
    if head.startswith(SQLITE_HEADER):
        return "sqlite"
    if head.startswith(PG_DUMP_HEADER):
        return "postgresql"
    return None


def existing_tables(engine: Engine) -> list[str]:
    """The tables (and views) already in the database, system ones left out."""
    if engine.dialect.name == "sqlite":
        query = text(
            "SELECT name FROM sqlite_master WHERE type IN ('table', 'view') "
            "AND name NOT LIKE 'sqlite_%' ORDER BY name"
        )
    else:
        query = text(
            "SELECT table_schema || '.' || table_name FROM information_schema.tables "
            "WHERE table_schema NOT IN ('pg_catalog', 'information_schema') "
            "AND table_schema NOT LIKE 'pg_toast%' AND table_schema NOT LIKE 'pg_temp%' "
            "ORDER BY 1"
        )
    try:
        with engine.connect() as connection:
            return list(connection.execute(query).scalars())
    except SQLAlchemyError as error:
        problem = getattr(error, "orig", None) or error
        raise BackupError(
            f"Could not read the database {engine.url.render_as_string(hide_password=True)}. "
            f"Nothing was changed.\n{problem}"
        ) from None


def libpq_target(url: URL) -> tuple[str, dict[str, str]]:
    """The URL as libpq reads it, without the password, and the environment that carries it."""
    env = dict(os.environ)
    if url.password is not None:
        env["PGPASSWORD"] = str(url.password)
    without = URL.create(
        "postgresql",
        username=url.username,
        host=url.host,
        port=url.port,
        database=url.database,
        query=url.query,
    )
    return without.render_as_string(hide_password=False), env


def tool(name: str) -> str:
    """The path of a PostgreSQL client program, or a BackupError saying how to get it."""
    found = shutil.which(name)
    if found is None:
        raise BackupError(f"{name} was not found on PATH. {CLIENT_TOOLS}")
    return found


# ---- SQLite --------------------------------------------------------------------------------


def _sqlite_backup(source: Path, part: Path) -> int:
    if not source.is_file():
        raise BackupError(f"There is no database at {source} to back up. Nothing was written.")
    with (
        contextlib.closing(sqlite3.connect(source, timeout=30)) as src,
        contextlib.closing(sqlite3.connect(part)) as dst,
    ):
        try:
            src.backup(dst, pages=-1)  # -1: all of it in one step, so one moment's state
        except sqlite3.Error as error:
            raise BackupError(
                f"SQLite could not copy {source}: {error}. Nothing was written."
            ) from None
        return _sqlite_tables(dst)


def _sqlite_restore(path: Path, target: Path) -> int:
    read_only = f"{path.resolve().as_uri()}?mode=ro"
    with contextlib.closing(sqlite3.connect(read_only, uri=True)) as src:
        try:
            problems = src.execute("PRAGMA quick_check").fetchall()
        except sqlite3.DatabaseError:
            problems = [("unreadable",)]
        if problems != [("ok",)]:
            raise BackupError(f"{path} is damaged (SQLite's check failed). Nothing was changed.")
        target.parent.mkdir(parents=True, exist_ok=True)
        with contextlib.closing(sqlite3.connect(target, timeout=30)) as dst:
            try:
                src.backup(dst, pages=-1)
            except sqlite3.Error as error:
                raise BackupError(f"SQLite could not restore into {target}: {error}.") from None
            return _sqlite_tables(dst)


def _sqlite_tables(connection: sqlite3.Connection) -> int:
    return connection.execute(
        "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
    ).fetchone()[0]


def _sqlite_file(url: URL) -> Path:
    if url.database in (None, "", ":memory:") or url.database.startswith("file:"):
        raise BackupError(
            "The database is not a plain SQLite file (DATABASE_URL is sqlite:///<path>), so it "
            "cannot be backed up or restored by this command."
        )
    return Path(url.database)


# ---- PostgreSQL ----------------------------------------------------------------------------


def _pg_dump(url: URL, part: Path) -> int:
    target, env = libpq_target(url)
    _run(
        [tool("pg_dump"), "--format=custom", "--no-password", f"--file={part}", target],
        env=env,
        url=url,
        failed="pg_dump could not back up the database",
    )
    listing = _run(
        [tool("pg_restore"), "--list", str(part)],
        env=env,
        url=url,
        failed="pg_restore could not read the backup pg_dump wrote",
    )
    return _dump_tables(listing)


def _pg_restore(path: Path, url: URL) -> int:
    pg_restore = tool("pg_restore")
    target, env = libpq_target(url)
    listing = _run(
        [pg_restore, "--list", str(path)],
        env=env,
        url=url,
        failed=f"{path} cannot be read as a pg_dump backup. Nothing was changed",
    )
    _run(
        [
            pg_restore,
            "--no-owner",
            "--no-privileges",
            "--exit-on-error",
            # one transaction: a restore that stops part way leaves the database empty
            "--single-transaction",
            "--no-password",
            f"--dbname={target}",
            str(path),
        ],
        env=env,
        url=url,
        failed="pg_restore stopped at an error, so nothing was restored (the database is as "
        "it was)",
    )
    return _dump_tables(listing)


def _dump_tables(listing: str) -> int:
    """The tables in `pg_restore --list`: "215; 1259 16390 TABLE public name owner" lines (each
    table also has a "TABLE DATA" line)."""
    return sum(1 for line in listing.splitlines() if _TABLE_ENTRY.match(line))


def _run(argv: list[str], *, env: dict[str, str], url: URL, failed: str) -> str:
    result = subprocess.run(argv, env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        said = result.stderr.strip() or f"exit status {result.returncode}"
        if url.password:
            said = said.replace(str(url.password), "***")
        if "version mismatch" in said:
            said += f"\n{CLIENT_TOOLS}"
        raise BackupError(f"{failed}. {Path(argv[0]).name} said:\n{said}")
    return result.stdout


def _kind(url: URL) -> str:
    name = url.get_backend_name()
    if name not in KINDS:
        raise BackupError(f"Backups are made of SQLite and PostgreSQL databases, not {name}.")
    return name


def describe(copy: Copy) -> str:
    """What was written or restored, as "1.2 MB, 58 tables"."""
    size = float(copy.size)
    for unit in ("bytes", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            break
        size /= 1024
    shown = f"{copy.size:,} bytes" if unit == "bytes" else f"{size:.1f} {unit}"
    return f"{shown}, {copy.tables} table{'s' if copy.tables != 1 else ''}"
