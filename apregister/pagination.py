"""One page of a long list: the count, the page's keys and its rows in three queries, whatever
the total and however deep the page."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import request, url_for
from sqlalchemy import Select, func, inspect, select

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
        args["page"] = [str(number)]
        return url_for(request.endpoint, **(request.view_args or {}), **args)


def paginate(stmt: Select, *, per_page: int, rows: bool = False) -> Page:
    """`stmt` must already be ordered. `rows=True` keeps extra columns (Row objects).

    The page's keys are found first, in the same order, from `stmt` reduced to its key: a
    deep page then skips index entries, not whole rows with their joins and flags (the last
    of 8,000 pages of placements took 700 ms that way round)."""
    total = count_of(stmt)
    pages = max(1, -(-total // per_page))
    number = min(max(request.args.get("page", 1, type=int), 1), pages)
    limited = stmt.limit(per_page).offset((number - 1) * per_page)
    _, key = _key(stmt)
    if key is not None:
        keys = db.session.scalars(_keys_only(limited)).all()
        limited = stmt.where(key.in_(keys))
    items = db.session.execute(limited).all() if rows else db.session.scalars(limited).all()
    return Page(items=list(items), total=total, number=number, pages=pages, per_page=per_page)


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
