"""The dashboard's kept figures (dashboard/kept.py): read back, they are every figure and
breakdown a measurement from scratch gives, for random registers, windows and filters; the
worker measures them again after a change; figures older than the limit are never shown; and
the board's suppression treats kept figures exactly as figures just measured."""

from __future__ import annotations

import json
import random
import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select, update

from apregister.dashboard import kept, rules
from apregister.dashboard.selection import Selection
from apregister.dashboard.trend import month_spans
from apregister.extensions import db
from apregister.models import (
    Attendance,
    AttendanceCode,
    KeptFigures,
    Placement,
    Role,
    SchoolPhase,
    Session,
)
from apregister.models.base import utcnow
from apregister.settings import current_settings
from apregister.templating import govuk_timestamp
from tests.conftest import make_placement
from tests.dashboard.board_page import TODAY
from tests.dashboard.test_board_disclosure import build, choices, random_scene

MAX_AGE = timedelta(minutes=5)


@pytest.fixture
def keeping(app, monkeypatch):
    """Figures kept for five minutes, as in production (the tests' default is none)."""
    monkeypatch.setitem(app.config, "KEPT_FIGURES_MAX_AGE", MAX_AGE)


def attend_at_random(pick: random.Random, placements) -> None:
    """Sessions over the last year for some of the placements, every code mixed."""
    codes = list(AttendanceCode)
    for known in placements:
        if pick.random() < 0.4:
            continue
        last = known.end or TODAY
        days = {
            last - timedelta(days=pick.randint(0, min(200, (last - known.start).days)))
            for _ in range(pick.randint(1, 6))
        }
        for day in sorted(day for day in days if day.weekday() < 5):
            for session in (Session.AM, Session.PM):
                db.session.add(
                    Attendance(
                        placement_id=known.id, date=day, session=session, code=pick.choice(codes)
                    )
                )
    db.session.commit()


def random_choice(pick: random.Random, provider_id: int, board: bool) -> kept.Choice:
    """Windows ending on a random day of the last year, perhaps narrowed (LA roles)."""
    as_of = TODAY - timedelta(days=pick.randint(0, 330))
    window = rules.Window(as_of - timedelta(days=pick.randint(0, 300)), as_of)
    if board:
        window = rules.Window(window.since, window.as_of, TODAY)
    windows = [window, rules.month_before(window), rules.term_before(window)]
    if pick.random() < 0.5:
        windows.append(rules.baseline_window(TODAY - timedelta(days=pick.randint(20, 400))))
    trend_days = [end for _, end in month_spans(kept.TREND_MONTHS, window.day)]
    edges = tuple(sorted({*(w.day for w in windows), *trend_days})) if board else None
    phase = provider = None
    if not board:
        phase = pick.choice([None, None, *SchoolPhase])
        provider = pick.choice([None, None, provider_id])
    return kept.Choice(phase, provider, tuple(windows), edges, window.day)


def selection_for(choice: kept.Choice) -> Selection:
    return Selection(
        select(Placement),
        phase=choice.phase,
        provider_id=choice.provider_id,
        whole_register=True,
    )


def from_scratch_active(placements, day, phase=None) -> int:
    """Active placements on `day`, counted here from the rows the test wrote."""
    return sum(
        1
        for known in placements
        if known.start <= day
        and (known.end is None or known.end > day)
        and (phase is None or known.phase == phase.label)
    )


@pytest.mark.parametrize("seed", [11, 12, 13])
def test_kept_figures_are_every_figure_a_fresh_measurement_gives(db, keeping, seed):
    register = build(random_scene(seed, size=40))
    pick = random.Random(seed)
    attend_at_random(pick, register["placements"])
    settings = current_settings()
    for attempt in range(6):
        choice = random_choice(pick, register["provider"].id, board=attempt % 2 == 0)
        first = kept.measured(selection_for(choice), settings, choice, TODAY)
        again = kept.measured(selection_for(choice), settings, choice, TODAY)
        fresh = kept.measure(selection_for(choice), settings, choice)
        assert again.computed_at == first.computed_at, "read back, not measured again"
        assert again.measures == fresh.measures, choice
        assert again.trend == fresh.trend, choice
        assert again.running == fresh.running, choice
        # the board's check: made once with the figures, kept with them
        assert again.verdict == fresh.verdict, choice
        assert (fresh.verdict is not None) == (choice.edges is not None)
        if choice.provider_id is None:
            # and the count every other figure rests on, from the rows themselves
            for window, measures in zip(choice.windows, again.measures, strict=True):
                expected = from_scratch_active(register["placements"], window.day, choice.phase)
                assert measures.figures["active"].value == expected, (window, choice.phase)
    assert db.session.scalar(select(func.count()).select_from(KeptFigures)) == 6


def test_figures_are_shown_until_they_are_too_old_then_measured_again(db, keeping):
    register = build(random_scene(5))
    settings = current_settings()
    choice = random_choice(random.Random(5), register["provider"].id, board=True)
    before = kept.measured(selection_for(choice), settings, choice, TODAY)
    active = before.measures[0].figures["active"].value
    make_placement(start_date=TODAY - timedelta(days=1))

    # within the stated age: the kept figures, and when they were measured
    kept_now = kept.measured(selection_for(choice), settings, choice, TODAY)
    assert kept_now.measures[0].figures["active"].value == active
    assert kept_now.computed_at == before.computed_at

    # older than that: never shown, measured again
    db.session.execute(update(KeptFigures).values(computed_at=utcnow() - MAX_AGE - timedelta(1)))
    db.session.commit()
    after = kept.measured(selection_for(choice), settings, choice, TODAY)
    assert after.measures[0].figures["active"].value == active + 1
    assert after.computed_at > before.computed_at


def test_the_worker_measures_again_what_is_being_read_and_forgets_the_rest(db, keeping):
    register = build(random_scene(6))
    settings = current_settings()
    pick = random.Random(6)
    read, unread, other_day = (random_choice(pick, register["provider"].id, True) for _ in "abc")
    for choice in (read, unread, other_day):
        kept.measured(selection_for(choice), settings, choice, TODAY)
    now = utcnow()
    spec_key = {choice: kept._key(choice.spec(settings, TODAY)) for choice in (read, unread)}
    db.session.execute(
        update(KeptFigures)
        .where(KeptFigures.key == spec_key[unread])
        .values(read_at=now - timedelta(hours=2))
    )
    db.session.execute(
        update(KeptFigures)
        .where(KeptFigures.key.not_in(spec_key.values()))
        .values(for_day=TODAY - timedelta(days=1))
    )
    db.session.commit()
    active = kept.measured(selection_for(read), settings, read, TODAY).measures[0]
    make_placement(start_date=TODAY - timedelta(days=1))

    # the choice read, and the two shown first (LA staff's and the board's), measured
    assert kept.refresh(now + timedelta(minutes=2), TODAY, settings) == 1 + 2
    defaults = {kept._key(c.spec(settings, TODAY)) for c in kept.default_choices(TODAY, settings)}
    kept_rows = {row.key: row for row in db.session.scalars(select(KeptFigures))}
    assert set(kept_rows) == {*spec_key.values(), *defaults}, "another day's are forgotten"
    again = kept.measured(selection_for(read), settings, read, TODAY)
    assert again.measures[0].figures["active"].value == active.figures["active"].value + 1
    fresh = kept.measure(selection_for(read), settings, read)
    assert again.measures == fresh.measures and again.trend == fresh.trend

    # new settings: figures kept under the old ones are dropped, never shown
    old_digest = kept.settings_digest(settings)
    settings.placement_weeks += 1
    db.session.commit()
    settings = current_settings()
    kept.refresh(now + timedelta(minutes=4), TODAY, settings)
    digests = [
        json.loads(spec)["settings"] for spec in db.session.scalars(select(KeptFigures.spec))
    ]
    # the choice nobody read is left alone, to be measured again if it is ever asked for
    assert sorted(digests) == sorted([kept.settings_digest(settings)] * 2 + [old_digest])


def test_the_first_page_of_the_day_reads_what_the_worker_measured(client, login_as, keeping):
    build(random_scene(9))
    login_as(Role.LA_LEAD)
    kept.refresh(utcnow(), TODAY, current_settings())
    three_minutes_ago = utcnow() - timedelta(minutes=3)
    db.session.execute(update(KeptFigures).values(computed_at=three_minutes_ago))
    db.session.commit()
    page = _page(client, "/dashboard")
    assert f"Figures as at {govuk_timestamp(three_minutes_ago)}." in page


def test_a_narrower_scope_is_measured_every_time_never_kept(db, keeping):
    register = build(random_scene(7))
    choice = random_choice(random.Random(7), register["provider"].id, board=False)
    narrow = Selection(select(Placement), whole_register=False)
    kept.measured(narrow, current_settings(), choice, TODAY)
    assert db.session.scalar(select(func.count()).select_from(KeptFigures)) == 0


AS_AT = re.compile(r"Figures as at [^<.]*\.")


def _page(client, address: str) -> str:
    """The page's main content (the rest holds a nonce new every time)."""
    response = client.get(address)
    assert response.status_code == 200, address
    html = response.get_data(as_text=True)
    return html[html.index("<main") : html.index("</main>")]


@pytest.mark.parametrize("role", [Role.BOARD, Role.LA_LEAD])
def test_pages_from_kept_figures_are_the_pages_from_fresh_ones(
    app, client, login_as, monkeypatch, role
):
    """Every choice the board (or the LA) can make, with figures measured for the request
    and then read back from those kept: the same page, hidden figures and all."""
    register = build(random_scene(8, size=40))
    login_as(role)
    for address in choices(register["provider"].id):
        monkeypatch.setitem(app.config, "KEPT_FIGURES_MAX_AGE", timedelta(0))
        fresh = _page(client, address)
        monkeypatch.setitem(app.config, "KEPT_FIGURES_MAX_AGE", MAX_AGE)
        _page(client, address)  # measured and kept
        kept_page = _page(client, address)  # read back
        assert "Figures as at" in kept_page
        assert AS_AT.sub("", kept_page) == AS_AT.sub("", fresh), address
    if role is Role.BOARD:
        # the board's tries at a phase or a provider read the whole register's figures
        keys = db.session.scalars(select(KeptFigures.spec)).all()
        assert all('"phase": null' in spec and '"provider_id": null' in spec for spec in keys)
