"""The SQL-only time of a page: the read statements its requests ran, replayed.

The statements are those the engine sent to the driver during each timed request (captured,
with their parameters, by the `before_cursor_execute` listener in bench_timing.Statements).
Each request's reads are replayed once, in order, on a raw DBAPI connection from the app's own
engine (`engine.raw_connection()`): `cursor.execute(statement, parameters)` and `fetchall()`,
no SQLAlchemy, no ORM, no templates. What is left of the page's time is the app's own.

Only reads are replayed (SELECT, and WITH that writes nothing); the session bookkeeping a request
may write (its session row's last-seen time, sign-in rows) is not, so the bench data stays as it
is. Each replayed request is rolled back, so no replay holds a snapshot or a lock.
"""

from __future__ import annotations

import re
import time
from collections.abc import Sequence
from typing import Any

from sqlalchemy.engine import Engine

_READ = re.compile(r"\s*(SELECT|WITH)\b", re.IGNORECASE)
# a WITH whose body inserts, updates or deletes (PostgreSQL's data-modifying CTEs)
_WRITE = re.compile(r"\b(INSERT|UPDATE|DELETE|MERGE)\b", re.IGNORECASE)
# SELECT ... FOR UPDATE / FOR SHARE takes row locks: a read, but not one to repeat
_LOCKING = re.compile(r"\bFOR\s+(UPDATE|SHARE|NO\s+KEY\s+UPDATE|KEY\s+SHARE)\b", re.IGNORECASE)

Statement = tuple[str, Any]  # (SQL as sent to the driver, its parameters)


def is_read(statement: str) -> bool:
    """SELECT or WITH, writing nothing and locking nothing."""
    if not _READ.match(statement) or _LOCKING.search(statement):
        return False
    return not (statement.lstrip()[:4].upper() == "WITH" and _WRITE.search(statement))


def _run(connection, statements: Sequence[Statement]) -> None:
    cursor = connection.cursor()
    try:
        for statement, parameters in statements:
            cursor.execute(statement, parameters)
            cursor.fetchall()
    finally:
        cursor.close()


def replay(engine: Engine, requests: Sequence[Sequence[Statement]], warm: int) -> list[float]:
    """Seconds to replay each request's reads, after `warm` untimed replays of the first."""
    if not requests:
        return []
    connection = engine.raw_connection()
    try:
        for _ in range(warm):
            _run(connection, requests[0])
            connection.rollback()
        times = []
        for statements in requests:
            started = time.perf_counter()
            _run(connection, statements)
            times.append(time.perf_counter() - started)
            connection.rollback()
        return times
    finally:
        connection.close()  # back to the pool
