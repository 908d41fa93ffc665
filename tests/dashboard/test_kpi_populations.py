"""The figures behind the off-framework table and KPI, and the groups of placements the
board's check counts in, on the KPI scene (tests/dashboard/conftest.py)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from apregister.dashboard import kpis, rules
from apregister.dashboard.audit import Who
from apregister.models import RegistrationType
from apregister.settings import current_settings
from tests.conftest import make_placement, make_provider
from tests.dashboard.conftest import AS_OF, SINCE, weeks_before


def test_share_off_framework_and_by_registration_status(scene, measure):
    make_placement(
        provider=make_provider(registration_type=RegistrationType.TUITION),
        start_date=weeks_before(2),
        off_framework=True,
    )
    measures = measure()
    figure = measures.figures["off_framework_share"]
    assert (figure.value, figure.part, figure.whole) == (Decimal("25.0"), 1, 4)
    assert dict(measures.breakdowns["off_framework"]) == {"Registered": 0, "Unregistered": 1}


def test_the_boards_groups_count_what_the_figures_count(scene, selection):
    make_placement(start_date=weeks_before(3), off_framework=True)
    make_placement(start_date=weeks_before(30), actual_end=weeks_before(20), off_framework=True)
    windows = [rules.Window(SINCE, AS_OF), rules.Window(SINCE, weeks_before(5))]
    edges = [AS_OF, weeks_before(5), date(2026, 1, 31)]
    now, earlier = kpis.measure_windows(selection(), current_settings(), windows, edges=edges)
    for population in (now.today, now.days):
        assert population.count(Who(AS_OF)) == 4
        assert population.count(Who(AS_OF, frozenset({"ehc"}))) == 1
        assert population.count(Who(AS_OF, frozenset({"off_framework"}))) == 1
        assert population.count(Who(AS_OF, frozenset({"on_framework"}))) == 3
        assert population.count(Who(AS_OF, started_by=rules.started_by(AS_OF, 12))) == 1
    assert now.today.count(Who(AS_OF, frozenset({"registered"}))) == 1
    assert now.today.count(Who(AS_OF, frozenset({"phase:Primary"}))) == 1
    # five weeks back: 2 of today's, and the 3 that ended on 1 February
    assert now.days.count(Who(weeks_before(5))) == earlier.figures["active"].value == 5
    assert now.days.count(Who(weeks_before(5)), Who(AS_OF)) == 2
    assert now.today.count(Who(AS_OF), Who(weeks_before(5))) == 2


def test_the_boards_breakdowns_match_the_las(scene, selection):
    edges = [AS_OF]
    board, *_ = kpis.measure_windows(
        selection(), current_settings(), [rules.Window(SINCE, AS_OF)], edges=edges
    )
    la, *_ = kpis.measure_windows(selection(), current_settings(), [rules.Window(SINCE, AS_OF)])
    for key in ("reason", "registration", "phase", "off_framework"):
        assert dict(board.breakdowns[key]) == dict(la.breakdowns[key])


@pytest.mark.parametrize(
    "key",
    [
        "ehc_share",
        "looked_after_share",
        "disadvantaged_share",
        "past_12_weeks_share",
        "off_framework_share",
    ],
)
def test_every_share_of_active_placements_rests_on_the_active_placements_kpi(scene, measure, key):
    """So the only count a share shown to the board gives away is share x active."""
    figures = measure().figures
    assert figures[key].whole == figures["active"].value == 3
