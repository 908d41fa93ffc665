"""The attendance day totals stay equal to the sums of the attendance rows, whatever is done
to them and however the work is split into flushes and transactions."""

from __future__ import annotations

import random
import threading
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from apregister.attendance import totals
from apregister.models import (
    Attendance,
    AttendanceCode,
    AttendanceDayTotal,
    Provider,
    Role,
    SchoolPhase,
    Session,
)
from apregister.placements import operations
from tests.conftest import make_la, make_placement, make_pupil, make_school, make_user

MONDAY = date(2026, 3, 2)
CODES = list(AttendanceCode)


def kept(db) -> dict[tuple[date, str], tuple[int, int]]:
    """The totals as kept, leaving out rows that have come back to nothing."""
    db.session.expire_all()
    return {
        (row.day, row.school_phase): (row.present, row.counted)
        for row in db.session.scalars(select(AttendanceDayTotal))
        if (row.present, row.counted) != (0, 0)
    }


def summed(db) -> dict[tuple[date, str], tuple[int, int]]:
    """The totals worked out afresh from the attendance rows (and thrown away)."""
    connection = db.session.connection()
    transaction = connection.begin_nested()
    totals.rebuild(connection)
    result = {
        (day, phase): (present, counted)
        for day, phase, present, counted in connection.execute(
            select(
                AttendanceDayTotal.day,
                AttendanceDayTotal.school_phase,
                AttendanceDayTotal.present,
                AttendanceDayTotal.counted,
            )
        )
        if (present, counted) != (0, 0)
    }
    transaction.rollback()
    return result


def test_recording_changing_and_clearing_sessions_keeps_the_totals(db):
    placement = make_placement(make_pupil(make_school(phase=SchoolPhase.PRIMARY)))
    row = Attendance(
        placement_id=placement.id, date=MONDAY, session=Session.AM, code=AttendanceCode.PRESENT
    )
    db.session.add(row)
    db.session.commit()
    assert kept(db) == {(MONDAY, "primary"): (1, 1)}

    row.code = AttendanceCode.UNAUTHORISED
    db.session.commit()
    assert kept(db) == {(MONDAY, "primary"): (0, 1)}

    row.code = AttendanceCode.NOT_REQUIRED
    db.session.commit()
    assert kept(db) == {}

    row.code = AttendanceCode.PRESENT
    row.date = MONDAY + timedelta(days=1)
    db.session.commit()
    assert kept(db) == {(MONDAY + timedelta(days=1), "primary"): (1, 1)}

    db.session.delete(row)
    db.session.commit()
    assert kept(db) == {}


def test_a_pupil_with_no_school_place_counts_under_no_phase(db):
    placement = make_placement(make_pupil(make_la()))
    db.session.add(
        Attendance(
            placement_id=placement.id, date=MONDAY, session=Session.PM, code=AttendanceCode.PRESENT
        )
    )
    db.session.commit()
    assert kept(db) == {(MONDAY, ""): (1, 1)}


@pytest.mark.parametrize("seed", range(5))
def test_any_mix_of_changes_leaves_the_totals_equal_to_the_rows(db, seed):
    chance = random.Random(seed)
    placements = [
        make_placement(make_pupil(make_school(phase=phase)))
        for phase in (SchoolPhase.PRIMARY, SchoolPhase.SECONDARY, SchoolPhase.SECONDARY)
    ] + [make_placement(make_pupil(make_la()))]
    slots = [
        (placement.id, MONDAY + timedelta(days=day), session)
        for placement in placements
        for day in range(3)
        for session in Session
    ]
    rows: dict[tuple, Attendance] = {}
    for _ in range(12):  # transactions
        for _ in range(chance.randint(1, 3)):  # flushes in each
            for slot in chance.sample(slots, chance.randint(1, 6)):
                row = rows.get(slot)
                if row is None:
                    placement_id, day, session = slot
                    rows[slot] = row = Attendance(
                        placement_id=placement_id, date=day, session=session, code=CODES[0]
                    )
                    row.code = chance.choice(CODES)
                    db.session.add(row)
                elif chance.random() < 0.3:
                    db.session.delete(rows.pop(slot))
                else:
                    row.code = chance.choice(CODES)
            db.session.flush()
        if chance.random() < 0.2:
            db.session.rollback()
            rows = {
                (row.placement_id, row.date, row.session): row
                for row in db.session.scalars(select(Attendance))
            }
        else:
            db.session.commit()
        assert kept(db) == summed(db)


def test_the_providers_register_keeps_the_totals(db):
    placement = make_placement(make_pupil(make_school(phase=SchoolPhase.SPECIAL)))
    user = make_user(Role.PROVIDER, db.session.get(Provider, placement.provider_id))
    marks = {
        (MONDAY, Session.AM): AttendanceCode.PRESENT,
        (MONDAY, Session.PM): AttendanceCode.AUTHORISED,
    }
    operations.record_attendance(placement, marks, by=user)
    db.session.commit()
    assert kept(db) == {(MONDAY, "special"): (1, 2)}
    operations.record_attendance(placement, {(MONDAY, Session.AM): None}, by=user)
    db.session.commit()
    assert kept(db) == {(MONDAY, "special"): (0, 1)} == summed(db)


def test_moving_a_school_to_another_phase_moves_its_sessions(db):
    school = make_school(phase=SchoolPhase.PRIMARY)
    placement = make_placement(make_pupil(school))
    db.session.add(
        Attendance(
            placement_id=placement.id, date=MONDAY, session=Session.AM, code=AttendanceCode.PRESENT
        )
    )
    db.session.commit()
    school.phase = SchoolPhase.ALL_THROUGH
    db.session.commit()
    assert kept(db) == {(MONDAY, "all_through"): (1, 1)}


def test_two_providers_saving_the_same_day_at_once_both_count(app, db):
    """Each transaction adds to the same day's total; neither may lose the other's."""
    school = make_school(phase=SchoolPhase.SECONDARY)
    placements = [make_placement(make_pupil(school)) for _ in range(2)]
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []

    def save(placement_id: int) -> None:
        from apregister.extensions import db as _db

        try:
            with app.app_context():
                _db.session.add(
                    Attendance(
                        placement_id=placement_id,
                        date=MONDAY,
                        session=Session.AM,
                        code=AttendanceCode.PRESENT,
                    )
                )
                barrier.wait(timeout=30)
                _db.session.commit()
                _db.session.remove()
        except BaseException as error:  # noqa: BLE001 - reported by the test below
            errors.append(error)

    threads = [threading.Thread(target=save, args=(p.id,)) for p in placements]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    assert kept(db) == {(MONDAY, "secondary"): (2, 2)} == summed(db)
