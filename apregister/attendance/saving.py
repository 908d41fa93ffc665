"""What makes a register save safe when several of a provider's staff save at once.

A save reads what is recorded, writes the difference, and the totals hook (totals.py) adds the
difference to the day totals. Two saves that read the same rows before either writes would
both count their change from the same starting code (the totals drift from the rows), or one
would update or delete a row the other has just deleted (StaleDataError), or they would take
row locks in opposite orders (a deadlock). So a save takes its locks before it reads anything:
on PostgreSQL the rows of the placements posted, in id order; on SQLite the database's one
write lock, at the start of the transaction (BEGIN IMMEDIATE), since SQLite has no row locks.
"Mark everyone not yet recorded as present" may write to every placement on the day's register,
posted or not, so that save locks all of them (views._save).
Whatever still clashes (a deadlock with other work, SQLite's lock wait running out) is rolled
back and the save is tried again from the start, a few times, before the provider is asked to
save again.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm.exc import StaleDataError

from apregister.access import visible
from apregister.attendance import forms
from apregister.extensions import db
from apregister.models import Placement, User

ATTEMPTS = 3
# PostgreSQL: serialization failure, deadlock, lock not available
RETRY_SQLSTATES = frozenset({"40001", "40P01", "55P03"})


def posted_placements(names: Iterable[str]) -> set[int]:
    """The placement ids a register form's field names speak of."""
    ids = set()
    for name in names:
        match = forms.FIELD.fullmatch(name)
        if match is not None:
            ids.add(int(match[1]))
    return ids


def lock_for_saving(placement_ids: set[int], user: User) -> None:
    """Take a save's locks, before it reads what is recorded, in one order for every save."""
    connection = db.session.connection()
    if connection.dialect.name == "sqlite":
        # pysqlite begins a transaction only at the first write, so reads before it take no
        # lock; begun here, the save's reads and writes hold the write lock throughout
        if not connection.connection.dbapi_connection.in_transaction:
            connection.exec_driver_sql("BEGIN IMMEDIATE")
        return
    if placement_ids:
        # NO KEY UPDATE: saves queue on each other, while rows that only refer to the
        # placement (a case raised by the worker, a review) may still be added meanwhile
        db.session.execute(
            visible(Placement, user)
            .with_only_columns(Placement.id)
            .where(Placement.id.in_(placement_ids))
            .order_by(Placement.id)
            .with_for_update(of=Placement, key_share=True)
        ).all()


def saved_at_the_same_time(error: Exception) -> bool:
    """Whether `error` is a clash with another transaction, which trying again may avoid."""
    if isinstance(error, StaleDataError | IntegrityError):
        return True
    if isinstance(error, OperationalError):
        if getattr(error.orig, "sqlstate", None) in RETRY_SQLSTATES:
            return True
        return "database is locked" in str(error.orig)
    return False
