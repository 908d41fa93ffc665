"""The dashboard tests' KPI scene: a small register with explicit dates, and ways to measure
it (the whole register, or narrowed to a school phase or a provider)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from apregister.dashboard import kpis
from apregister.extensions import db as _db
from apregister.models import (
    Attendance,
    AttendanceCode,
    Placement,
    PlacementOutcome,
    PlacementReason,
    RegistrationType,
    SchoolPhase,
    SenStatus,
    Session,
)
from apregister.settings import current_settings
from tests.conftest import make_placement, make_provider, make_pupil, make_school

AS_OF = date(2026, 3, 2)
SINCE = date(2026, 1, 1)


def weeks_before(weeks: int, day: date = AS_OF) -> date:
    return day - timedelta(weeks=weeks)


def attend(placement, day: date, code: AttendanceCode, session: Session = Session.AM):
    _db.session.add(Attendance(placement_id=placement.id, date=day, session=session, code=code))
    _db.session.commit()


@pytest.fixture(params=[True, False], ids=["day-totals", "session-rows"])
def whole_register(request) -> bool:
    """Attendance over the whole register comes from the day totals; a narrower scope
    reads the session rows. Both must give the same figures."""
    return request.param


@pytest.fixture
def selection(whole_register):
    def select_placements(**narrowed) -> kpis.Selection:
        return kpis.Selection(select(Placement), whole_register=whole_register, **narrowed)

    return select_placements


@pytest.fixture
def measure(selection):
    def measured(chosen=None, as_of: date = AS_OF, since: date = SINCE) -> kpis.Measures:
        chosen = chosen if chosen is not None else selection()
        return kpis.measure(chosen, current_settings(), as_of, since)

    return measured


@pytest.fixture
def scene():
    """Three placements active on AS_OF, one planned, one cancelled, three ended in the
    period and one ended before it."""
    primary, secondary = make_school(phase=SchoolPhase.PRIMARY), make_school()
    registered = make_provider(registration_type=RegistrationType.PUPIL_REFERRAL_UNIT)
    tuition = make_provider(registration_type=RegistrationType.TUITION)
    ehc_looked_after = make_pupil(
        secondary, sen_status=SenStatus.EHC_PLAN, looked_after=True, first_name="Ava"
    )
    disadvantaged = make_pupil(secondary, disadvantaged=True, first_name="Ben")
    plain = make_pupil(primary, first_name="Cal")
    long_running = make_placement(
        ehc_looked_after,
        registered,
        start_date=weeks_before(14),
        reason=PlacementReason.PREVENT_EXCLUSION,
    )
    recent = make_placement(disadvantaged, tuition, start_date=weeks_before(2))
    exactly_12 = make_placement(plain, tuition, start_date=weeks_before(12))
    # not active on AS_OF
    make_placement(start_date=AS_OF + timedelta(days=1))
    make_placement(start_date=AS_OF + timedelta(days=7), cancelled_on=AS_OF - timedelta(days=3))
    for weeks, outcome in (
        (6, PlacementOutcome.RETURNED_HOME_SCHOOL),
        (7, PlacementOutcome.NEET),
        (11, PlacementOutcome.ANOTHER_MAINSTREAM),
    ):
        end = date(2026, 2, 1)
        make_placement(start_date=weeks_before(weeks, end), actual_end=end, outcome=outcome)
    before_period = date(2025, 12, 1)
    make_placement(
        start_date=weeks_before(20, before_period),
        actual_end=before_period,
        outcome=PlacementOutcome.RETURNED_HOME_SCHOOL,
    )
    # attendance: 6 present of 9 sessions expected, in two placements
    monday = date(2026, 2, 23)
    for n, code in enumerate(
        [AttendanceCode.PRESENT] * 4 + [AttendanceCode.UNAUTHORISED, AttendanceCode.NOT_REQUIRED]
    ):
        attend(long_running, monday + timedelta(days=n % 5), code, (Session.AM, Session.PM)[n // 5])
    for n, code in enumerate([AttendanceCode.PRESENT] * 2 + [AttendanceCode.AUTHORISED] * 2):
        attend(recent, monday + timedelta(days=n), code)
    attend(recent, date(2025, 12, 15), AttendanceCode.UNAUTHORISED)  # before the period
    return {"long_running": long_running, "recent": recent, "exactly_12": exactly_12}
