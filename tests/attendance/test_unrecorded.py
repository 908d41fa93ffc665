"""Past sessions still to record, counted by day (unrecorded.py), checked against walking every
day of every placement, and read in a fixed number of queries."""

from __future__ import annotations

import random
from datetime import date, timedelta

import pytest

from apregister.attendance import unrecorded
from apregister.attendance.unrecorded import Gap, UnrecordedDay
from apregister.models import Attendance, AttendanceCode, Role, Session
from apregister.placements.rules import attends, run_end
from tests.conftest import count_queries, make_placement, make_provider, make_pupil, make_user

TODAY = date(2025, 3, 5)  # a Wednesday
SINCE, UNTIL = TODAY - timedelta(days=unrecorded.LOOK_BACK_DAYS), TODAY - timedelta(days=1)
AM, PM = Session.AM, Session.PM


def _walk(placements, marked: set) -> list[Gap]:
    """Every session expected and not recorded, found the slow way."""
    gaps = []
    for placement in placements:
        if placement.cancelled_on is not None:
            continue
        end = run_end(placement.planned_end, placement.actual_end, TODAY)
        day = max(placement.start_date, SINCE)
        while day <= min(end, UNTIL):
            for half, session in enumerate((AM, PM)):
                if attends(placement.session_mask, day, half) and (
                    (placement.id, day, session) not in marked
                ):
                    gaps.append(Gap(placement.id, placement.pupil.name, day, session))
            day += timedelta(days=1)
    return sorted(gaps, key=lambda gap: (gap.day, gap.session.value, gap.pupil_name))


def _scene(db, seed: int):
    chance = random.Random(seed)
    provider = make_provider()
    placements = []
    for n in range(6):
        start = TODAY - timedelta(days=chance.randint(-20, 500))
        overrides = {
            "start_date": start,
            "planned_end": start + timedelta(weeks=chance.randint(1, 30)),
            "session_mask": chance.randint(1, 0b1111111111),
        }
        if chance.random() < 0.4:
            overrides["actual_end"] = start + timedelta(days=chance.randint(0, 200))
        if chance.random() < 0.1:
            overrides["cancelled_on"] = start - timedelta(days=3)
        placements.append(
            make_placement(
                make_pupil(first_name="Sam", last_name=f"Pupil{n}"), provider, **overrides
            )
        )
    # another provider's placement, never counted
    make_placement(make_pupil(), make_provider(), start_date=TODAY - timedelta(weeks=8))
    marked = set()
    for placement in placements:
        if placement.cancelled_on is not None:
            continue
        end = min(run_end(placement.planned_end, placement.actual_end, TODAY), UNTIL)
        day = max(placement.start_date, SINCE)
        while day <= end:
            for half, session in enumerate((AM, PM)):
                if attends(placement.session_mask, day, half) and chance.random() < 0.8:
                    marked.add((placement.id, day, session))
                    db.session.add(
                        Attendance(
                            placement_id=placement.id,
                            date=day,
                            session=session,
                            code=chance.choice(list(AttendanceCode)),
                        )
                    )
            day += timedelta(days=1)
    db.session.commit()
    return make_user(Role.PROVIDER, provider), placements, marked


@pytest.mark.parametrize("seed", range(4))
def test_the_counts_by_day_match_walking_every_day(db, seed):
    user, placements, marked = _scene(db, seed)
    walked = _walk(placements, marked)
    assert unrecorded.count_unrecorded(user, TODAY) == len(walked)
    by_day: dict[date, int] = {}
    for gap in walked:
        by_day[gap.day] = by_day.get(gap.day, 0) + 1
    assert unrecorded.unrecorded_days(user, TODAY) == [
        UnrecordedDay(day, by_day[day]) for day in sorted(by_day, reverse=True)
    ]
    for per_page in (1, 7, 25):
        pages = -(-len(walked) // per_page) or 1
        listed = []
        for number in range(1, pages + 1):
            total, shown, count, gaps = unrecorded.unrecorded_page(user, TODAY, number, per_page)
            assert (total, shown, count) == (len(walked), number, pages)
            assert len(gaps) == min(per_page, len(walked) - (number - 1) * per_page)
            listed += gaps
        assert listed == walked


def test_a_page_past_the_last_shows_the_last(db):
    user, placements, marked = _scene(db, 7)
    walked = _walk(placements, marked)
    pages = -(-len(walked) // 10)
    total, number, count, gaps = unrecorded.unrecorded_page(user, TODAY, 999, 10)
    assert (number, count) == (pages, pages)
    assert gaps == walked[(pages - 1) * 10 :]
    assert unrecorded.unrecorded_page(user, TODAY, -3, 10)[1] == 1


def test_nothing_to_record(db):
    provider = make_provider()
    user = make_user(Role.PROVIDER, provider)
    assert user.organisation_id  # loaded before counting
    with count_queries() as statements:
        assert unrecorded.count_unrecorded(user, TODAY) == 0
        assert unrecorded.unrecorded_days(user, TODAY) == []
        assert unrecorded.unrecorded_page(user, TODAY, 1, 25) == (0, 1, 1, [])
    assert len(statements) == 3  # the placements, once each: there are none


def test_the_queries_do_not_grow_with_the_sessions(db):
    small_user, *_ = _scene(db, 1)
    assert small_user.organisation_id  # loaded before counting
    with count_queries() as few:
        unrecorded.count_unrecorded(small_user, TODAY)
        unrecorded.unrecorded_days(small_user, TODAY)
        unrecorded.unrecorded_page(small_user, TODAY, 2, 5)
    user, *_ = _scene(db, 2)
    for n in range(20):
        make_placement(make_pupil(), user.organisation, start_date=TODAY - timedelta(weeks=n + 3))
    assert user.organisation_id
    with count_queries() as many:
        unrecorded.count_unrecorded(user, TODAY)
        unrecorded.unrecorded_days(user, TODAY)
        unrecorded.unrecorded_page(user, TODAY, 2, 5)
    assert len(many) == len(few) == 2 + 2 + 4
