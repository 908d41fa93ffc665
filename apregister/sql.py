"""SQL that SQLite and PostgreSQL spell differently, written once for both."""

from __future__ import annotations

from sqlalchemy import Integer
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
