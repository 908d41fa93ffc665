"""SQL written once for both databases: what SQLite and PostgreSQL spell differently, and
dates in buckets for grouped counts over many days."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import Integer, case
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement


class days_between(FunctionElement):  # noqa: N801 - used like a SQL function
    """Whole days from the first date to the second, as an integer."""

    type = Integer()
    inherit_cache = True


@compiles(days_between)
def _days_between(element, compiler, **kw):
    # PostgreSQL: a date minus a date is an integer number of days
    start, end = (compiler.process(clause, **kw) for clause in element.clauses)
    return f"({end} - {start})"


@compiles(days_between, "sqlite")
def _days_between_sqlite(element, compiler, **kw):
    start, end = (compiler.process(clause, **kw) for clause in element.clauses)
    return f"CAST(julianday({end}) - julianday({start}) AS INTEGER)"


class not_indexed(FunctionElement):  # noqa: N801 - used like a SQL function
    """The column's value, in a form SQLite's planner will not use an index for.

    SQLite keeps no statistics on how many rows a range of dates holds, and given
    `start_date <= today` beside a narrower condition it may walk the start_date index over
    nearly every row. Its documented cure is the no-op unary plus; PostgreSQL, which has the
    statistics, gets the plain column."""

    inherit_cache = True

    def __init__(self, column):
        super().__init__(column)
        self.type = column.type


@compiles(not_indexed)
def _not_indexed(element, compiler, **kw):
    (column,) = element.clauses
    return compiler.process(column, **kw)


@compiles(not_indexed, "sqlite")
def _not_indexed_sqlite(element, compiler, **kw):
    (column,) = element.clauses
    return f"+{compiler.process(column, **kw)}"


# ---- dates in buckets ---------------------------------------------------------------------


@dataclass(frozen=True)
class Buckets:
    """Dates cut into buckets, so that one grouped query answers a question for many days.

    A date's bucket is the index of the first edge on or after it (the number of edges if there
    is none, or if the date is NULL). Then `day <= edge` exactly when `bucket(day) <=
    index(edge)`: rows grouped by bucket in the database can be compared with every edge in
    Python, and the figures for several days come from one query of a few hundred groups."""

    edges: tuple[date, ...]
    _index: dict[date, int] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_index", {edge: n for n, edge in enumerate(self.edges)})

    @classmethod
    def at(cls, days: Iterable[date]) -> Buckets:
        return cls(tuple(sorted(set(days))))

    def of(self, column):
        """SQL: the bucket of `column`'s date."""
        return case(
            *((column <= edge, n) for n, edge in enumerate(self.edges)), else_=len(self.edges)
        )

    def index(self, edge: date) -> int:
        return self._index[edge]

    @property
    def beyond(self) -> int:
        """The bucket of a date after every edge, or of no date."""
        return len(self.edges)
