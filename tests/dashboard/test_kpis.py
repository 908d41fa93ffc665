"""KPI arithmetic on small hand-made data sets with explicit dates."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select

from apregister.dashboard import kpis, rules, trend
from apregister.models import (
    AttendanceCode,
    Placement,
    PlacementReason,
    RegistrationType,
    SchoolPhase,
    SenStatus,
)
from apregister.settings import current_settings
from tests.conftest import count_queries, make_placement, make_provider, make_pupil, make_school
from tests.dashboard.conftest import AS_OF, SINCE, attend, weeks_before


def test_active_placements_are_started_not_ended_not_cancelled(scene, measure):
    figure = measure().figures["active"]
    assert (figure.value, figure.part, figure.whole) == (3, 3, 3)


def test_shares_of_active_placements(scene, measure):
    figures = measure().figures
    assert figures["ehc_share"].value == Decimal("33.3")
    assert (figures["ehc_share"].part, figures["ehc_share"].whole) == (1, 3)
    assert figures["looked_after_share"].value == Decimal("33.3")
    assert figures["disadvantaged_share"].value == Decimal("33.3")


def test_past_12_weeks_counts_only_placements_longer_than_12_weeks(scene, measure):
    figure = measure().figures["past_12_weeks_share"]
    # 14 weeks is past; exactly 12 weeks is not yet
    assert (figure.value, figure.part, figure.whole) == (Decimal("33.3"), 1, 3)


def test_average_and_median_length_of_placements_ended_in_the_period(scene, measure):
    figures = measure().figures
    assert figures["average_weeks"].value == Decimal("8.0")  # (6 + 7 + 11) / 3
    assert figures["median_weeks"].value == Decimal("7.0")
    assert figures["average_weeks"].whole == 3


def test_returned_share_counts_home_school_and_another_mainstream(scene, measure):
    figure = measure().figures["returned_share"]
    assert (figure.value, figure.part, figure.whole) == (Decimal("66.7"), 2, 3)


def test_attendance_rate_leaves_out_sessions_not_required(scene, measure):
    figure = measure().figures["attendance_rate"]
    assert figure.value == Decimal("66.7")  # 6 present of 9 expected
    assert (figure.part, figure.whole, figure.placements) == (6, 9, 2)


def test_with_no_attendance_the_rate_is_no_figure_and_the_counts_are_zero(measure):
    make_placement(start_date=weeks_before(3))
    figure = measure().figures["attendance_rate"]
    assert (figure.value, figure.part, figure.whole, figure.placements) == (None, 0, 0, 0)


def test_with_nothing_ended_lengths_and_returned_share_are_no_figure(measure):
    make_placement(start_date=weeks_before(3))
    figures = measure().figures
    assert figures["average_weeks"].value is None
    assert figures["median_weeks"].value is None
    assert figures["returned_share"].value is None


def test_threshold_alert_for_an_unregistered_provider_with_a_pupil_with_an_ehc_plan(measure):
    tuition = make_provider(registration_type=RegistrationType.TUITION)
    make_placement(make_pupil(sen_status=SenStatus.EHC_PLAN), tuition, start_date=weeks_before(1))
    assert measure().figures["threshold_alerts"].value == 1


def test_breakdowns_of_active_placements(scene, measure):
    breakdowns = measure().breakdowns
    assert dict(breakdowns["reason"]) == {
        PlacementReason.PREVENT_EXCLUSION.label: 1,
        PlacementReason.RE_ENGAGE.label: 2,
    }
    assert dict(breakdowns["registration"]) == {"Registered": 1, "Unregistered": 2}
    assert dict(breakdowns["phase"]) == {"Primary": 1, "Secondary": 2}
    assert sum(n for _, n in breakdowns["provider"]) == 3
    assert sum(n for _, n in breakdowns["school"]) == 3


def test_schools_with_the_same_name_are_counted_apart(measure):
    for urn in ("100001", "100002"):
        school = make_school(name="St Mary's", urn=urn)
        make_placement(make_pupil(school), start_date=weeks_before(1))
    assert dict(measure().breakdowns["school"]) == {
        "St Mary's (URN 100001)": 1,
        "St Mary's (URN 100002)": 1,
    }


def test_pupils_with_no_school_place_are_counted_as_the_las(scene, measure):
    from tests.conftest import make_la

    make_placement(make_pupil(make_la()), start_date=weeks_before(1))
    breakdowns = measure().breakdowns
    assert dict(breakdowns["school"])[kpis.NO_SCHOOL] == 1
    assert dict(breakdowns["phase"])[kpis.NO_SCHOOL] == 1


def test_phase_filter_keeps_placements_whose_school_has_that_phase(scene, measure, selection):
    primary = selection(phase=SchoolPhase.PRIMARY)
    assert measure(primary).figures["active"].value == 1
    special = selection(phase=SchoolPhase.SPECIAL)
    assert measure(special).figures["active"].value == 0


def test_provider_filter(scene, measure, selection):
    one = selection(provider_id=scene["recent"].provider_id)
    figures = measure(one).figures
    assert figures["active"].value == 2
    assert figures["attendance_rate"].value == Decimal("50.0")  # 2 present of 4


def test_a_date_in_the_past_sees_what_was_active_then(scene, measure):
    # Five weeks before AS_OF only the 14-week and 12-week placements had started, and the
    # three that ended on 1 February were still running.
    figures = measure(as_of=weeks_before(5), since=date(2025, 12, 1)).figures
    assert figures["active"].value == 5


def test_monthly_trend(scene, selection):
    points = trend.monthly_trend(selection(), 3, AS_OF)
    assert [point.month_end for point in points] == [
        date(2026, 1, 31),
        date(2026, 2, 28),
        AS_OF,
    ]
    assert points[-1].active == 3
    assert points[1].attendance.value == Decimal("66.7")
    assert points[0].attendance.value is None


def test_measure_runs_the_same_number_of_queries_however_many_placements(measure):
    provider = make_provider()
    for _ in range(2):
        make_placement(provider=provider, start_date=weeks_before(3))
    with count_queries() as few:
        measure()
    for _ in range(20):
        make_placement(provider=make_provider(), start_date=weeks_before(3))
    with count_queries() as many:
        measure()
    assert len(few) == len(many)


# ---- several windows at once ----------------------------------------------------------------


def _plain(measures: kpis.Measures) -> dict:
    return {
        key: (figure.value, figure.part, figure.whole, figure.placements)
        for key, figure in measures.figures.items()
    }


def test_windows_measured_together_match_each_measured_alone(scene, selection):
    windows = [
        rules.Window(SINCE, AS_OF),
        rules.Window(date(2025, 12, 1), weeks_before(5)),  # overlaps the first
        rules.Window(date(2025, 9, 1), date(2025, 12, 31)),  # a term before
        rules.Window(date(2025, 12, 1), date(2025, 12, 1)),  # a single day, as a baseline
    ]
    together = kpis.measure_windows(selection(), current_settings(), windows)
    for window, measured in zip(windows, together, strict=True):
        alone = kpis.measure(
            selection(), current_settings(), window.as_of, window.since, with_breakdowns=False
        )
        assert _plain(measured) == _plain(alone)
    assert together[1].figures["active"].value == 5
    assert together[2].figures["returned_share"].value == Decimal("100.0")  # ended 1 Dec


def test_measuring_more_windows_adds_one_query_each():
    def queries_for(windows) -> int:
        with count_queries() as ran:
            kpis.measure_windows(kpis.Selection(select(Placement)), current_settings(), windows)
        return len(ran)

    one = queries_for([rules.Window(SINCE, AS_OF)])
    four = queries_for([rules.Window(SINCE, AS_OF - timedelta(days=n)) for n in range(4)])
    assert four == one + 3  # how many pupils the attendance is about, a query a window


def test_the_median_of_an_even_number_of_lengths_is_between_the_middle_two(measure):
    end = AS_OF - timedelta(days=1)
    for weeks in (4, 6, 8, 30):
        make_placement(start_date=weeks_before(weeks, end), actual_end=end)
    figures = measure().figures
    assert figures["median_weeks"].value == Decimal("7.0")
    assert figures["average_weeks"].value == Decimal("12.0")


# ---- how many pupils the attendance is about -------------------------------------------------


def _attending(n: int, *, school=None, provider=None, code=AttendanceCode.PRESENT):
    school = school or make_school(phase=SchoolPhase.SECONDARY)
    provider = provider or make_provider()
    for _ in range(n):
        placement = make_placement(make_pupil(school), provider, start_date=weeks_before(3))
        attend(placement, AS_OF - timedelta(days=1), code)
    return provider


@pytest.mark.parametrize(("pupils", "counted"), [(3, 3), (5, 5), (7, kpis.ENOUGH)])
def test_pupils_behind_the_attendance_rate_are_counted_up_to_five(measure, pupils, counted):
    _attending(pupils)
    assert measure().figures["attendance_rate"].placements == counted


def test_sessions_not_required_make_no_pupil_count(measure):
    _attending(3, code=AttendanceCode.NOT_REQUIRED)
    figure = measure().figures["attendance_rate"]
    assert (figure.value, figure.whole, figure.placements) == (None, 0, 0)


def test_pupils_are_counted_within_the_phase_and_the_provider(measure, selection):
    provider = _attending(6, school=make_school(phase=SchoolPhase.SECONDARY))
    _attending(2, school=make_school(phase=SchoolPhase.PRIMARY), provider=provider)
    _attending(3, school=make_school(phase=SchoolPhase.PRIMARY))
    primary = measure(selection(phase=SchoolPhase.PRIMARY)).figures["attendance_rate"]
    assert primary.placements == 5
    one = measure(selection(phase=SchoolPhase.PRIMARY, provider_id=provider.id))
    assert one.figures["attendance_rate"].placements == 2
