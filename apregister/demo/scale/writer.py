"""Rows written in bulk: buffered per table, converted by the models' column types, and sent in
batches (COPY on PostgreSQL), parents before children."""

from __future__ import annotations

from collections import Counter
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, column, insert, table, text

from apregister.extensions import db

BATCH = 5000
# Parents before children, so every batch's foreign keys already exist.
ORDER = (
    "organisations",
    "schools",
    "providers",
    "users",
    "provider_tags",
    "framework_status_changes",
    "compliance_documents",
    "pupils",
    "placements",
    "reviews",
    "extension_requests",
    "attendance",
    "inspections",
    "inspection_judgements",
    "inspection_actions",
    "self_assessments",
    "self_assessment_versions",
    "self_assessment_entries",
    "audit_events",
)


class BulkWriter:
    """Buffers rows per table and writes them in batches, parents first. Each value goes through
    its column's own type (so a date or an enum is stored as the app stores it); the statement
    itself is untyped, so SQLAlchemy does not convert twice."""

    def __init__(self, connection: Connection, *, now: datetime, batch: int = BATCH):
        self.connection = connection
        self.dialect = connection.dialect
        self.copy = self.dialect.name == "postgresql" and self.dialect.driver == "psycopg"
        self.now = now
        self.batch = batch
        self.buffers: dict[str, list[tuple]] = {name: [] for name in ORDER}
        self.counts: Counter[str] = Counter()
        self._ids: dict[str, int] = {}
        self._plans: dict[str, tuple] = {}

    def next_id(self, name: str) -> int:
        if name not in self._ids:
            found = self.connection.execute(text(f"SELECT MAX(id) FROM {name}")).scalar()
            self._ids[name] = (found or 0) + 1
        self._ids[name] += 1
        return self._ids[name] - 1

    def add(self, name: str, row: dict[str, Any]) -> None:
        """Queue a row given as column -> Python value; columns left out get their default."""
        self.add_stored(name, self._convert(self._plan(name)[1], row))

    def add_stored(self, name: str, values: tuple) -> None:
        """Queue a row already in storage form, in the table's column order."""
        buffer = self.buffers[name]
        buffer.append(values)
        if len(buffer) >= self.batch:
            self.flush(upto=name)

    def stored(self, name: str, key: str, value: Any) -> Any:
        """`value` as column `key` of table `name` stores it."""
        processor, cache = self._plan(name)[2][key]
        return value if processor is None else self._cached(processor, cache, value)

    def flush(self, upto: str | None = None) -> None:
        for name in ORDER:
            if self.buffers[name]:
                self._write(name, self.buffers[name])
                self.buffers[name] = []
            if name == upto:
                return

    def _plan(self, name: str) -> tuple:
        if name not in self._plans:
            real = db.metadata.tables[name]
            converters = []
            for col in real.columns:
                default = col.default.arg if col.default is not None else None
                if callable(default):
                    default = self.now  # created_at / updated_at
                processor = col.type.dialect_impl(self.dialect).bind_processor(self.dialect)
                converters.append((col.name, default, processor, {}))
            plain = table(name, *[column(col.name) for col in real.columns])
            by_key = {key: (processor, cache) for key, _, processor, cache in converters}
            self._plans[name] = (plain, converters, by_key)
        return self._plans[name]

    @staticmethod
    def _cached(processor, cache: dict, value: Any) -> Any:
        try:
            return cache[value]  # most values repeat: dates, enums, flags
        except KeyError:
            if len(cache) > 50_000:
                cache.clear()
            cache[value] = stored = processor(value)
            return stored
        except TypeError:  # unhashable: JSON
            return processor(value)

    def _convert(self, converters: list[tuple], row: dict[str, Any]) -> tuple:
        values = []
        append, get = values.append, row.get
        for key, default, processor, cache in converters:
            value = get(key, default)
            if processor is not None and value is not None:
                try:
                    value = cache[value]  # most values repeat: dates, enums, flags
                except (KeyError, TypeError):
                    value = self._cached(processor, cache, value)
            append(value)
        return tuple(values)

    def _write(self, name: str, rows: list[tuple]) -> None:
        plain, converters, _ = self._plan(name)
        keys = [key for key, *_ in converters]
        if self.copy:
            cursor = self.connection.connection.driver_connection.cursor()
            with cursor.copy(f"COPY {name} ({', '.join(keys)}) FROM STDIN") as copy:
                for values in rows:
                    copy.write_row(values)
        elif self.dialect.paramstyle == "qmark":  # SQLite: straight to executemany
            marks = ", ".join("?" for _ in keys)
            self.connection.exec_driver_sql(
                f"INSERT INTO {name} ({', '.join(keys)}) VALUES ({marks})", rows
            )
        else:
            self.connection.execute(
                insert(plain), [dict(zip(keys, values, strict=True)) for values in rows]
            )
        self.counts[name] += len(rows)

    def finish(self) -> None:
        """Write what is left; on PostgreSQL move each id sequence past the ids used here."""
        self.flush()
        if self.dialect.name == "postgresql":
            for name in self._ids:
                self.connection.execute(
                    text(
                        f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "
                        f"(SELECT COALESCE(MAX(id), 0) + 1 FROM {name}), false)"
                    )
                )
