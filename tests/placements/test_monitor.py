"""The registration-threshold monitor counts in the database exactly what the rule counts."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import select

from apregister.models import Placement, RegistrationType, SenStatus
from apregister.placements import monitor
from apregister.pupils.rules import compulsory_school_age_births
from apregister.settings import current_settings
from tests.conftest import make_placement, make_provider, make_pupil

TODAY = date.today()


def alerts():
    return monitor.registration_alerts(select(Placement), current_settings(), TODAY)


def test_only_full_time_pupils_of_compulsory_school_age_count():
    tutors = make_provider(name="Tutors", registration_type=RegistrationType.TUITION)
    earliest, latest = compulsory_school_age_births(TODAY)
    for born in (earliest, latest, earliest + timedelta(days=400), latest - timedelta(days=9)):
        make_placement(make_pupil(date_of_birth=born), tutors)
    # too old, too young, and part time: none of them counts
    make_placement(make_pupil(date_of_birth=earliest - timedelta(days=1)), tutors)
    make_placement(make_pupil(date_of_birth=latest + timedelta(days=1)), tutors)
    make_placement(make_pupil(), tutors, hours_per_week=Decimal("17.5"))
    assert alerts() == []
    make_placement(make_pupil(), tutors, hours_per_week=Decimal("18"))
    (alert,) = alerts()
    assert alert.provider.name == "Tutors"
    assert (alert.alert.full_time_pupils, alert.alert.vulnerable_pupils) == (5, 0)


def test_registered_providers_and_ended_placements_are_left_out():
    college = make_provider(registration_type=RegistrationType.FE_COLLEGE)
    make_placement(make_pupil(looked_after=True), college)
    tutors = make_provider(registration_type=RegistrationType.TUITION)
    make_placement(
        make_pupil(sen_status=SenStatus.EHC_PLAN),
        tutors,
        start_date=TODAY - timedelta(weeks=10),
        actual_end=TODAY,
    )
    assert alerts() == []


def test_providers_are_listed_by_name():
    for name in ("Zeta Tutors", "Alpha Tutors"):
        provider = make_provider(name=name, registration_type=RegistrationType.TUITION)
        make_placement(make_pupil(looked_after=True), provider)
    assert [item.provider.name for item in alerts()] == ["Alpha Tutors", "Zeta Tutors"]
