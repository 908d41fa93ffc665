"""One page of a long list, its keys found first and its rows read by key: two queries for a
page among the first PROBE keys, three for a deeper one, whatever the total."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from flask import request, url_for
from sqlalchemy import Select, func, inspect, select
from sqlalchemy.sql import operators
from sqlalchemy.sql.elements import UnaryExpression

from apregister.extensions import db


def _key(stmt: Select):
    """The record `stmt` lists first and its primary key attribute (None, None if it lists
    plain columns or a record with a key of several columns)."""
    entity = stmt.column_descriptions[0].get("entity") if stmt.column_descriptions else None
    if entity is None:
        return None, None
    mapper = inspect(entity)
    if len(mapper.primary_key) != 1:
        return None, None
    return entity, getattr(entity, mapper.get_property_by_column(mapper.primary_key[0]).key)


def _keys_only(stmt: Select) -> Select:
    """`stmt` selecting only its records' keys (from the same tables, in the same order)."""
    entity, key = _key(stmt)
    return stmt if key is None else stmt.with_only_columns(key).select_from(entity)


def read_keys(stmt: Select) -> Sequence:
    """What a select of keys finds, read as plain values on the session's connection (after
    a flush, as the session would): the ORM's row handling took half as long again for a
    list's first thousands of keys."""
    db.session.flush()
    return db.session.connection().execute(stmt).scalars().all()


def count_of(stmt: Select) -> int:
    """How many rows `stmt` lists, counted on its key alone where it has one (so that extra
    columns, such as a placement's flags, are not worked out for every row)."""
    counted = _keys_only(stmt).order_by(None)
    return db.session.scalar(select(func.count()).select_from(counted.subquery()))


@dataclass
class Page:
    items: list[Any]
    total: int
    number: int
    pages: int
    per_page: int
    # the query-string name of the page number (a second list on a page has its own), and
    # where on the page its links land
    param: str = "page"
    anchor: str | None = None

    @property
    def first_shown(self) -> int:
        return (self.number - 1) * self.per_page + 1 if self.total else 0

    @property
    def last_shown(self) -> int:
        return (self.number - 1) * self.per_page + len(self.items)

    def numbers(self) -> list[int | None]:
        """The page numbers to link, GOV.UK style: the first, the last, this one and its
        neighbours; None where numbers are left out (an ellipsis)."""
        wanted = {1, self.pages, self.number - 1, self.number, self.number + 1}
        shown: list[int | None] = []
        for number in sorted(n for n in wanted if 1 <= n <= self.pages):
            if shown and shown[-1] is not None and number > shown[-1] + 1:
                shown.append(None)
            shown.append(number)
        return shown

    def url(self, number: int) -> str:
        """This page's address with another page number, keeping the filters."""
        args = request.args.to_dict(flat=False)
        args[self.param] = [str(number)]
        return url_for(request.endpoint, **(request.view_args or {}), **args, _anchor=self.anchor)


# A page whose first row is among this many is found by reading the list's keys up to here
# and counting them, rather than by counting the whole list (its filter worked out once more)
# first: every provider, say. A longer list is counted in the rows' query.
PROBE = 500


def paginate(
    stmt: Select,
    *,
    per_page: int,
    rows: bool = False,
    param: str = "page",
    anchor: str | None = None,
    rows_from: Select | None = None,
) -> Page:
    """`stmt` must already be ordered. `rows=True` keeps extra columns (Row objects). `param`
    names the page number in the query string, `anchor` where the list's links land.

    The page's keys are found first, in the same order, from `stmt` reduced to its key: a
    deep page then skips index entries, not whole rows with their joins and flags (the last
    of 8,000 pages of placements took 700 ms that way round). For a page among the first
    PROBE keys, those keys are read and counted in Python, and a longer list is counted by
    the database in the rows' query (as placements/listing.py does); a deeper page is
    counted first. The queries depend only on the page asked for, never on the data. The
    rows are read by key from `stmt`, or from `rows_from` (the same select, scoped alike,
    without its filters) where a filter costs more than reading a page of rows: it is not
    worked out again."""
    asked = max(request.args.get(param, 1, type=int), 1)
    _, key = _key(stmt)
    if key is None or (asked - 1) * per_page >= PROBE:
        total = count_of(stmt)
        number = min(asked, _last_number(total, per_page))
        limited = stmt.limit(per_page).offset((number - 1) * per_page)
        if key is not None:
            keys = read_keys(_keys_only(_from_nearer_end(stmt, key, number, per_page, total)))
            limited = (stmt if rows_from is None else rows_from).where(key.in_(keys))
        items = db.session.execute(limited).all() if rows else db.session.scalars(limited).all()
        return Page(
            list(items), total, number, _last_number(total, per_page), per_page, param, anchor
        )
    first = read_keys(_keys_only(stmt).limit(PROBE + 1))
    counted = len(first) > PROBE
    number = asked if counted else min(asked, _last_number(len(first), per_page))
    start = (number - 1) * per_page
    limited = (stmt if rows_from is None else rows_from).where(
        key.in_(first[start : start + per_page])
    )
    if counted:  # the whole list, counted once in the same statement
        frozen = db.session.execute(limited.add_columns(_count_column(stmt))).freeze()
        found = frozen().all()
        total = found[0][-1] if found else len(first)  # no rows: deleted meanwhile
        shown = range(len(found[0]) - 1 if found else 1)
        items = frozen().columns(*shown).all() if rows else [row[0] for row in found]
    else:
        total = len(first)
        items = db.session.execute(limited).all() if rows else db.session.scalars(limited).all()
    return Page(list(items), total, number, _last_number(total, per_page), per_page, param, anchor)


def _from_nearer_end(stmt: Select, key, number: int, per_page: int, total: int) -> Select:
    """A page's slice of `stmt`, read from whichever end of the list is nearer: a page in
    the second half is read in the reverse order (its rows are then read by key in the
    list's order). The last of 6,700 pages of pupils skipped 166,000 index entries; read
    from the end it skips none. Only where the order ends with the key, so that it is total
    and its reverse is exactly the list backwards (NULLs too: each database puts them at the
    other end when the direction turns)."""
    start = (number - 1) * per_page
    shown = max(min(per_page, total - start), 0)
    backwards = _reversed_order(stmt, key) if start > total // 2 and shown else None
    if backwards is None:
        return stmt.limit(per_page).offset(start)
    return backwards.limit(shown).offset(total - start - shown)


def _reversed_clauses(clauses) -> list | None:
    """The order by `clauses` turned round; None for anything but plain ascending or
    descending (NULLS FIRST/LAST, say)."""
    turned = []
    for clause in clauses:
        if not isinstance(clause, UnaryExpression):
            turned.append(clause.desc())
        elif clause.modifier is operators.desc_op:
            turned.append(clause.element.asc())
        elif clause.modifier is operators.asc_op:
            turned.append(clause.element.desc())
        else:
            return None
    return turned


def _reversed_order(stmt: Select, key) -> Select | None:
    clauses = list(stmt._order_by_clauses)
    if not clauses:
        return None
    last = clauses[-1].element if isinstance(clauses[-1], UnaryExpression) else clauses[-1]
    if not last.compare(key.expression):
        return None
    turned = _reversed_clauses(clauses)
    return None if turned is None else stmt.order_by(None).order_by(*turned)


def _last_number(total: int, per_page: int) -> int:
    return max(1, -(-total // per_page))


def _count_column(stmt: Select):
    """How many rows `stmt` lists, as a column (an uncorrelated subquery, worked out once)."""
    counted = _keys_only(stmt).order_by(None).subquery()
    return select(func.count()).select_from(counted).scalar_subquery()


def export_url(endpoint: str, fmt: str = "csv") -> str:
    """The export that matches the list being shown: same filters, no page number. `fmt`
    picks between the endpoint's /export.csv and /export.xlsx rules (without it, the URL
    built was whichever rule came first: XLSX behind a "CSV" link)."""
    args = {
        key: value
        for key, value in request.args.to_dict(flat=False).items()
        if key not in ("page", "fmt")
    }
    return url_for(endpoint, fmt=fmt, **args)
