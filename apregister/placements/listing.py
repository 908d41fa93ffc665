"""One page of the placement list, with each filter worked out once.

pagination.paginate asks the filtered query three times (the count, the page's keys, its
rows). Most filters find a few hundred placements among 200,000, and working one out is the
whole cost of the page (the work-queue filters test every running placement), so here the
matching keys are read once, in list order, and counted and sliced in Python; the rows are
then read by key alone. Only a list of more than `ALL_KEYS` placements (no filter, or a wide
one) is counted by the database and read a page at a time, from whichever end is nearer.
"""

from __future__ import annotations

from datetime import date

from flask import request
from sqlalchemy import ColumnElement, Select, select

from apregister.extensions import db
from apregister.models import REGISTERED_TYPES, LaSettings, Placement, Provider
from apregister.pagination import Page, count_of
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
        return queries.running_where(today, *scope, *tests, with_planned=with_planned)

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


def _keys(stmt: Select) -> Select:
    return stmt.with_only_columns(Placement.id).select_from(Placement).order_by(None)


def _page_keys(
    stmt: Select, per_page: int, asked: int, wide: bool = False
) -> tuple[list[int], int, int]:
    """The keys on page `asked` (or the last), the total and the page number. `wide`: the
    list is known to be long (every ended placement), so it is counted at once instead of
    first reading up to ALL_KEYS keys to find out."""
    first: list[int] = []
    if not wide:
        first = list(
            db.session.scalars(_keys(stmt).order_by(*NEWEST_FIRST).limit(ALL_KEYS + 1))
        )
        if len(first) <= ALL_KEYS:
            total = len(first)
            number = min(asked, max(1, -(-total // per_page)))
            start = (number - 1) * per_page
            return first[start : start + per_page], total, number
    total = count_of(_keys(stmt))
    number = min(asked, max(1, -(-total // per_page)))
    start = (number - 1) * per_page
    if first and start < ALL_KEYS:
        return list(first[start : start + per_page]), total, number
    if start < total / 2:
        keys = db.session.scalars(
            _keys(stmt).order_by(*NEWEST_FIRST).limit(per_page).offset(start)
        ).all()
        return list(keys), total, number
    # a deep page is read from the other end: skipping index entries costs time too
    shown = min(per_page, total - start)
    keys = db.session.scalars(
        _keys(stmt).order_by(*OLDEST_FIRST).limit(shown).offset(total - start - shown)
    ).all()
    return list(reversed(keys)), total, number


def page_of_placements(stmt: Select, *, per_page: int, wide: bool = False) -> Page:
    """`stmt`, an access-scoped and filtered select of placements, one page of it newest
    first, each row with the facts its flags need (summaries.with_flags)."""
    asked = max(request.args.get("page", 1, type=int), 1)
    keys, total, number = _page_keys(stmt, per_page, asked, wide)
    rows = []
    if keys:
        rows = db.session.execute(
            with_flags(select(Placement).where(Placement.id.in_(keys))).order_by(*NEWEST_FIRST)
        ).all()
    pages = max(1, -(-total // per_page))
    return Page(items=list(rows), total=total, number=number, pages=pages, per_page=per_page)
