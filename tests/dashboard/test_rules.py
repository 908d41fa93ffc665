"""The dashboard's pure rules: shares, medians, direction of travel, periods, and the
suppression that makes the board's view safe to share."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from apregister.dashboard import rules
from apregister.dashboard.rules import Window

# ---- shares, averages ------------------------------------------------------------------------


def test_share_is_a_percentage_to_one_place():
    assert rules.share(1, 3) == Decimal("33.3")
    assert rules.share(5, 5) == Decimal("100.0")
    assert rules.share(0, 7) == Decimal("0.0")


def test_share_of_nothing_is_no_figure():
    assert rules.share(0, 0) is None


def test_median_and_mean_of_lengths_in_days_are_in_weeks():
    assert rules.median_weeks([14, 70, 21]) == Decimal("3.0")
    assert rules.median_weeks([14, 28]) == Decimal("3.0")
    assert rules.median_weeks([10, 11]) == Decimal("1.5")  # 10.5 days
    assert rules.mean_weeks(14 + 28 + 63, 3) == Decimal("5.0")
    assert rules.mean_weeks(3, 2) == Decimal("0.2")  # 1.5 days
    assert rules.median_weeks([]) is None
    assert rules.mean_weeks(0, 0) is None


# ---- direction of travel ---------------------------------------------------------------------


def test_direction_says_better_when_a_higher_is_better_figure_rises():
    moved = rules.direction(
        Decimal("91.0"), Decimal("88.5"), higher_is_better=True, period="last month"
    )
    assert moved.arrow == "↑"
    assert moved.words == "Up from 88.5 last month: better"


def test_direction_says_worse_when_a_lower_is_better_figure_rises():
    moved = rules.direction(12, 9, higher_is_better=False, period="last term")
    assert moved.arrow == "↑"
    assert moved.words == "Up from 9 last term: worse"


def test_direction_says_better_when_a_lower_is_better_figure_falls():
    moved = rules.direction(
        Decimal("20.0"),
        Decimal("25.0"),
        higher_is_better=False,
        period="last month",
        previous_text="25.0%",
    )
    assert moved.arrow == "↓"
    assert moved.words == "Down from 25.0% last month: better"


def test_direction_says_no_change():
    moved = rules.direction(40, 40, higher_is_better=None, period="last month")
    assert moved.arrow == "→"
    assert moved.words == "No change since last month"


def test_direction_of_a_neutral_figure_is_neither_better_nor_worse():
    moved = rules.direction(41, 40, higher_is_better=None, period="last month")
    assert moved.words == "Up from 40 last month"


def test_direction_without_an_earlier_figure():
    moved = rules.direction(40, None, higher_is_better=True, period="last term")
    assert moved.arrow == ""
    assert moved.words == "No figure for last term to compare with"


# ---- periods ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "start", "end"),
    [
        (date(2026, 11, 22), date(2026, 9, 1), date(2026, 12, 31)),
        (date(2027, 2, 1), date(2027, 1, 1), date(2027, 4, 14)),
        (date(2027, 4, 15), date(2027, 4, 15), date(2027, 8, 31)),
    ],
)
def test_terms(day, start, end):
    assert rules.term_start(day) == start
    assert rules.term_end(day) == end


def test_previous_term_and_year():
    assert rules.previous_term(date(2026, 11, 22)) == (date(2026, 4, 15), date(2026, 8, 31))
    assert rules.previous_term(date(2027, 1, 10)) == (date(2026, 9, 1), date(2026, 12, 31))
    assert rules.academic_year_start(date(2027, 3, 1)) == date(2026, 9, 1)
    assert rules.academic_year_label(date(2026, 9, 1)) == "2026/27"
    assert rules.academic_year_label(date(1999, 9, 1)) == "1999/00"


def test_a_placement_is_past_12_weeks_when_it_started_more_than_12_weeks_before():
    assert rules.started_by(date(2026, 3, 2), 12) == date(2025, 12, 7)


def test_the_boards_comparison_windows_count_a_month_and_a_term_before_today():
    past_year = Window(date(2024, 9, 1), date(2025, 8, 31), at=date(2026, 11, 22))
    assert past_year.day == date(2026, 11, 22)
    assert rules.month_before(past_year) == Window(
        date(2024, 8, 1), date(2025, 7, 31), at=date(2026, 10, 22)
    )
    assert rules.term_before(past_year) == Window(
        date(2025, 1, 1), date(2025, 4, 14), at=date(2026, 8, 31)
    )
    assert Window(date(2026, 9, 1), date(2026, 11, 22)).day == date(2026, 11, 22)


def test_comparison_windows():
    window = Window(date(2026, 9, 1), date(2026, 11, 22))
    assert rules.month_before(window) == Window(date(2026, 8, 1), date(2026, 10, 22))
    assert rules.term_before(window) == Window(date(2026, 4, 15), date(2026, 8, 31))
    assert rules.baseline_window(date(2025, 10, 1)) == Window(date(2025, 9, 1), date(2025, 10, 1))
