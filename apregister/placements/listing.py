"""One page of the placement list, with each filter worked out once.

pagination.paginate asks the filtered query three times (the count, the page's keys, its
rows). Most filters find a few hundred placements among 200,000, and working one out is the
whole cost of the page (the work-queue filters test every running placement), so here the
first `ALL_KEYS` matching keys are read once, in list order, and counted and sliced in Python;
the rows are then read by key alone. A list longer than that (no filter, or a wide one) is
counted by the database inside the same query as the rows.

The queries a page runs depend only on its address, never on how many placements match: the
first pages take two (the keys, then the rows), a deep page or a list known to be wide three
(the count, the page's keys read from whichever end is nearer, the rows).
"""

from __future__ import annotations

from datetime import date

from flask import request
from sqlalchemy import ColumnElement, Select, func, select

from apregister.extensions import db
from apregister.models import REGISTERED_TYPES, LaSettings, Placement, Provider
from apregister.pagination import Page, count_of, read_keys
from apregister.placements import monitor, queries
from apregister.placements.summaries import with_flags
from apregister.settings import unregistered_limits
from apregister.sql import not_indexed

ALL_KEYS = 2_000
NEWEST_FIRST = (Placement.start_date.desc(), Placement.id.desc())
OLDEST_FIRST = (Placement.start_date.asc(), Placement.id.asc())


def flag_clauses(
    settings: LaSettings, today: date, same: dict, only: set[str] | None = None
) -> dict[str, ColumnElement]:
    """The work-queue filters whose tests need only what ix_placements_running holds (and
    reviews and providers), as queries.running_where: the same row tests as the queue's
    counts (monitor.clauses), worked out inside the index before any placement is read.
    `same` ({column: value}: a school, a provider) narrows them there too. `only`: build just
    these (building each costs a page a few milliseconds)."""
    weeks, interval = settings.placement_weeks, settings.review_interval_days
    notice, limits = monitor.REVIEW_NOTICE_DAYS, unregistered_limits(settings)
    lapsed = select(Provider.id).where(Provider.framework_status.in_(queries.LAPSED))
    unregistered = select(Provider.id).where(Provider.registration_type.not_in(REGISTERED_TYPES))

    def running(*tests, with_planned=False):
        scope = [lambda c, name=name, value=value: c[name] == value for name, value in same.items()]
        tested = [lambda c, test=test: test(_InIndex(c)) for test in (*scope, *tests)]
        return queries.running_where(today, *tested, with_planned=with_planned)

    def last(c):
        return queries.last_review_of(c)

    built = {
        "past_weeks": lambda: running(lambda c: queries.past_weeks_test(c, weeks, today)),
        "overrunning": lambda: running(lambda c: queries.overrunning_test(c, today)),
        # A review is never dated before its placement's start (operations.record_review),
        # so the start alone passes the test first where the last review would: only those
        # placements are asked for their last review.
        "reviews_overdue": lambda: running(
            lambda c: queries.review_overdue_test(c, None, interval, today),
            lambda c: queries.review_overdue_test(c, last(c), interval, today),
        ),
        "reviews_due": lambda: running(
            lambda c: queries.review_due_test(c, None, interval, notice, today),
            lambda c: queries.review_due_test(c, last(c), interval, notice, today),
        ),
        # not_indexed: the provider is tested in the range of running ones, not walked to
        "provider_lapsed": lambda: running(
            lambda c: not_indexed(c.provider_id).in_(lapsed), with_planned=True
        ),
        "unregistered_breaches": lambda: running(
            lambda c: not_indexed(c.provider_id).in_(unregistered),
            lambda c: queries.unregistered_breach_test(c, limits, today),
            with_planned=True,
        ),
    }
    return {key: build() for key, build in built.items() if only is None or key in only}


class _InIndex:
    """The running index's columns as a row test sees them: a school, a provider or a start
    date not_indexed, so that the test is worked out inside the ranges the running
    placements' branches walk. SQLite, with no statistics, would otherwise walk all of a
    school's placements ever (8,000) through its own index, or every placement started
    before a day through ix_placements_start."""

    HINTS = frozenset({"school_id", "provider_id", "start_date"})

    def __init__(self, columns):
        self.columns = columns

    def __getattr__(self, name: str):
        column = self.columns[name]
        return not_indexed(column) if name in self.HINTS else column

    __getitem__ = __getattr__


def _keys(stmt: Select) -> Select:
    return stmt.with_only_columns(Placement.id).select_from(Placement).order_by(None)


def _rows(keys: list[int]) -> Select:
    """The placements with these keys, newest first, each with the facts its flags need."""
    return with_flags(select(Placement).where(Placement.id.in_(keys))).order_by(*NEWEST_FIRST)


def _last_number(total: int, per_page: int) -> int:
    return max(1, -(-total // per_page))


def _counted_page(stmt: Select, per_page: int, asked: int) -> tuple[list, int, int]:
    """(rows, total, page number): the count first, then the page's keys from whichever end
    of the list is nearer (skipping index entries costs time too), then the rows."""
    total = count_of(_keys(stmt))
    number = min(asked, _last_number(total, per_page))
    start = (number - 1) * per_page
    if start < total / 2:
        keys = read_keys(_keys(stmt).order_by(*NEWEST_FIRST).limit(per_page).offset(start))
    else:
        shown = min(per_page, total - start)
        keys = read_keys(
            _keys(stmt).order_by(*OLDEST_FIRST).limit(shown).offset(total - start - shown)
        )
    return db.session.execute(_rows(keys)).all(), total, number


def _probed_page(stmt: Select, per_page: int, asked: int) -> tuple[list, int, int]:
    """(rows, total, page number) for a page among the first ALL_KEYS keys: those keys read
    in list order; if there are more, the database counts them in the rows' query (one
    uncorrelated subquery, worked out once), so a long list costs no extra query."""
    first = read_keys(_keys(stmt).order_by(*NEWEST_FIRST).limit(ALL_KEYS + 1))
    if len(first) <= ALL_KEYS:
        total = len(first)
        number = min(asked, _last_number(total, per_page))
        start = (number - 1) * per_page
        # read even when there are no keys: the page's queries do not depend on the data
        return db.session.execute(_rows(first[start : start + per_page])).all(), total, number
    start = (asked - 1) * per_page  # before ALL_KEYS, so the page exists
    counted = select(func.count()).select_from(_keys(stmt).subquery()).scalar_subquery()
    rows = db.session.execute(_rows(first[start : start + per_page]).add_columns(counted)).all()
    total = rows[0][-1] if rows else len(first)  # no rows: deleted since the keys were read
    return [row[:-1] for row in rows], total, asked


def page_of_placements(stmt: Select, *, per_page: int, wide: bool = False) -> Page:
    """`stmt`, an access-scoped and filtered select of placements, one page of it newest
    first, each row with the facts its flags need (summaries.with_flags). `wide`: the list is
    known to be long (every ended placement), so it is counted first instead of probed."""
    asked = max(request.args.get("page", 1, type=int), 1)
    if wide or (asked - 1) * per_page >= ALL_KEYS:
        rows, total, number = _counted_page(stmt, per_page, asked)
    else:
        rows, total, number = _probed_page(stmt, per_page, asked)
    return Page(
        items=list(rows),
        total=total,
        number=number,
        pages=_last_number(total, per_page),
        per_page=per_page,
    )
