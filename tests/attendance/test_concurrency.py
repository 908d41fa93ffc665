"""Provider staff saving one day's register at the same moment, over real HTTP requests to the
app served on a real port: no request fails, every session keeps one of the codes posted for it
(or Present, where someone pressed "Mark everyone not yet recorded as present"), and the kept day
totals stay equal to a rebuild from the attendance rows.

PostgreSQL runs four users on overlapping sessions of six placements; SQLite, whose one writer
at a time makes every save queue, runs two users who both post one session every time.
"""

from __future__ import annotations

import html
import random
import threading
from collections import defaultdict
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta

import pytest
import requests
from flask import Flask, got_request_exception
from sqlalchemy import select

from apregister.attendance.forms import field_name
from apregister.attendance.queries import week_monday
from apregister.attendance.views import SAVED_AT_THE_SAME_TIME
from apregister.models import (
    AbsenceCase,
    Attendance,
    AttendanceCode,
    Role,
    SchoolPhase,
    Session,
)
from tests.attendance.test_totals import kept, summed
from tests.conftest import (
    PASSWORD,
    make_placement,
    make_provider,
    make_pupil,
    make_school,
    make_user,
)
from tests.serving import CSRF_INPUT, serve

LAST_MONDAY = week_monday(date.today()) - timedelta(weeks=1)
REQUESTS = 160
CODES = ["", *(code.value for code in AttendanceCode)]
_CSRF = CSRF_INPUT


@pytest.fixture
def live_server(app: Flask) -> Iterator[str]:
    """The app on a free port of 127.0.0.1, served by a thread per request."""
    with serve(app, "attendance-server") as url:
        yield url


@pytest.fixture
def server_errors(app: Flask) -> Iterator[list[str]]:
    """What the app raised while serving, for the failure message."""
    raised: list[str] = []

    def note(sender, exception, **extra):
        raised.append(f"{type(exception).__name__}: {exception}"[:300])

    got_request_exception.connect(note, app)
    try:
        yield raised
    finally:
        got_request_exception.disconnect(note, app)


def _signed_in(base: str, user) -> tuple[requests.Session, str]:
    """A browser of its own for `user`, signed in, with the register's CSRF token."""
    browser = requests.Session()
    page = browser.get(f"{base}/sign-in", timeout=30).text
    token = _CSRF.search(page).group(1)
    response = browser.post(
        f"{base}/sign-in",
        data={"csrf_token": token, "email": user.email, "password": PASSWORD},
        allow_redirects=False,
        timeout=30,
    )
    assert response.status_code == 302, response.text[:500]
    page = browser.get(f"{base}/attendance?day={LAST_MONDAY.isoformat()}", timeout=30).text
    return browser, _CSRF.search(page).group(1)


def _scene(db, dialect: str):
    """(users, cells): provider staff, and the sessions they save, of one provider's pupils at
    schools of different phases, all placed for the whole of last week."""
    provider = make_provider()
    phases = [SchoolPhase.PRIMARY, SchoolPhase.SECONDARY, SchoolPhase.SECONDARY] * 2
    placements = [
        make_placement(
            make_pupil(make_school(phase=phase)),
            provider,
            start_date=LAST_MONDAY - timedelta(weeks=2),
        )
        for phase in phases
    ]
    if dialect == "postgresql":
        users = [make_user(Role.PROVIDER, provider) for _ in range(4)]
        cells = [(p.id, LAST_MONDAY, s) for p in placements for s in Session]
    else:
        users = [make_user(Role.PROVIDER, provider) for _ in range(2)]
        cells = [(placements[0].id, LAST_MONDAY, Session.AM)]
    return users, cells, [(p.id, LAST_MONDAY, s) for p in placements for s in Session]


def _rows(db) -> dict[tuple[int, date, Session], AttendanceCode]:
    db.session.expire_all()
    return {
        (row.placement_id, row.date, row.session): row.code
        for row in db.session.scalars(select(Attendance))
    }


def test_staff_saving_one_day_at_once_lose_nothing_and_keep_the_totals(
    app, db, live_server, server_errors
):
    dialect = db.engine.dialect.name
    users, cells, every_cell = _scene(db, dialect)
    browsers = [_signed_in(live_server, user) for user in users]
    path = f"{live_server}/attendance?day={LAST_MONDAY.isoformat()}"
    rounds = REQUESTS // len(users)
    barrier = threading.Barrier(len(users))
    posted: dict[tuple, set[str]] = defaultdict(set)
    lock = threading.Lock()

    def save(which: int) -> list[tuple[int, str]]:
        browser, token = browsers[which]
        chance = random.Random(which)
        answers = []
        for _ in range(rounds):
            # PostgreSQL: overlapping halves of the cells; SQLite: the one cell, every time
            chosen = chance.sample(cells, max(1, len(cells) // 2))
            data = {"csrf_token": token}
            for cell in chosen:
                data[field_name(*cell)] = value = chance.choice(CODES)
                with lock:
                    posted[cell].add(value)
            if chance.random() < 0.25:
                # every session left blank, posted or not, becomes Present
                data["action"] = "mark-present"
                with lock:
                    for cell in every_cell:
                        posted[cell].add(AttendanceCode.PRESENT.value)
            barrier.wait(timeout=60)
            response = browser.post(path, data=data, allow_redirects=False, timeout=60)
            answers.append((response.status_code, response.text))
        return answers

    try:
        with ThreadPoolExecutor(len(users)) as pool:
            answers = [answer for done in pool.map(save, range(len(users))) for answer in done]
    finally:
        for browser, _ in browsers:
            browser.close()

    assert len(answers) == REQUESTS
    failed = [status for status, _ in answers if status >= 500]
    assert failed == [], f"{len(failed)} of {REQUESTS} answered 5xx: {server_errors[:5]}"
    asked_again = [page for status, page in answers if status == 200]
    for page in asked_again:
        assert SAVED_AT_THE_SAME_TIME in html.unescape(page)
    assert {status for status, _ in answers} <= {200, 302}
    assert len(asked_again) <= REQUESTS // 20, f"{len(asked_again)} asked to save again"

    rows = _rows(db)
    for cell, values in posted.items():
        code = rows.get(cell)
        assert (code.value if code else "") in values, cell
    assert set(rows) <= set(posted)
    assert kept(db) == summed(db)
    # every session left as unexplained was put to the home school, once
    cases = {
        (case.placement_id, case.date, case.session)
        for case in db.session.scalars(select(AbsenceCase))
    }
    unexplained = {cell for cell, code in rows.items() if code is AttendanceCode.UNEXPLAINED}
    assert unexplained <= cases
