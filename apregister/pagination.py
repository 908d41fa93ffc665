"""One page of a long list: the count and the rows in two queries, whatever the total."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import request, url_for
from sqlalchemy import Select, func, select

from apregister.extensions import db


def count_of(stmt: Select) -> int:
    return db.session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery()))


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

    def url(self, number: int) -> str:
        """This page's address with another page number, keeping the filters."""
        args = request.args.to_dict(flat=False)
        args["page"] = [str(number)]
        return url_for(request.endpoint, **(request.view_args or {}), **args)


def paginate(stmt: Select, *, per_page: int, rows: bool = False) -> Page:
    """`stmt` must already be ordered. `rows=True` keeps extra columns (Row objects)."""
    total = count_of(stmt)
    pages = max(1, -(-total // per_page))
    number = min(max(request.args.get("page", 1, type=int), 1), pages)
    limited = stmt.limit(per_page).offset((number - 1) * per_page)
    items = db.session.execute(limited).all() if rows else db.session.scalars(limited).all()
    return Page(items=list(items), total=total, number=number, pages=pages, per_page=per_page)


def export_url(endpoint: str) -> str:
    """The export that matches the list being shown: same filters, no page number."""
    args = {key: value for key, value in request.args.to_dict(flat=False).items() if key != "page"}
    return url_for(endpoint, **args)
