"""The dashboard's pure rules: shares, medians, direction of travel, periods, and the
suppression that makes the board's view safe to share."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from itertools import product

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from apregister.dashboard import rules
from apregister.dashboard.rules import SUPPRESSED, WITHHELD, Window

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


# ---- suppression -----------------------------------------------------------------------------


def test_counts_from_1_to_4_are_fewer_than_5_and_others_are_exact():
    assert rules.suppress_counts({"a": 0, "b": 1, "c": 4, "d": 5, "e": 40}) == {
        "a": 0,
        "b": SUPPRESSED,
        "c": SUPPRESSED,
        "d": 5,
        "e": 40,
    }


def test_one_small_cell_takes_the_next_smallest_with_it_so_it_cannot_be_worked_out():
    shown = rules.suppress_counts({"a": 3, "b": 12, "c": 30}, total=45)
    assert shown == {"a": SUPPRESSED, "b": WITHHELD, "c": 30}
    # From the total and c, a reader knows a + b = 15, with a from 1 to 4 and b 5 or more:
    # a could be any of 1 to 4.
    assert _possible_values(shown, 45)["a"] == {1, 2, 3, 4}


def test_a_secondary_cell_that_would_still_give_the_answer_away_is_not_enough():
    # Hiding b (5) alone: a + b = 6 with a >= 1 and b >= 5 means a = 1. So c goes too.
    shown = rules.suppress_counts({"a": 1, "b": 5, "c": 30}, total=36)
    assert shown == {"a": SUPPRESSED, "b": WITHHELD, "c": WITHHELD}
    assert len(_possible_values(shown, 36)["a"]) > 1


def test_two_small_cells_that_add_up_to_8_would_both_be_4():
    shown = rules.suppress_counts({"a": 4, "b": 4, "c": 30}, total=38)
    assert shown["a"] == shown["b"] == SUPPRESSED
    assert shown["c"] == WITHHELD


def test_two_small_cells_with_an_ambiguous_sum_need_no_secondary_cell():
    shown = rules.suppress_counts({"a": 2, "b": 3, "c": 30}, total=35)
    assert shown == {"a": SUPPRESSED, "b": SUPPRESSED, "c": 30}


def test_when_nothing_else_can_be_hidden_every_cell_is_withheld():
    # Registered 1, unregistered 5, total 6: a must be 1 whatever else is shown.
    assert rules.suppress_counts({"registered": 1, "unregistered": 5}, total=6) == {
        "registered": WITHHELD,
        "unregistered": WITHHELD,
    }


def test_a_small_total_hides_every_cell_that_is_not_zero():
    assert rules.suppress_counts({"a": 2, "b": 0, "c": 1}, total=3) == {
        "a": SUPPRESSED,
        "b": 0,
        "c": SUPPRESSED,
    }


def test_without_a_total_only_small_cells_are_hidden():
    assert rules.suppress_counts({"a": 2, "b": 12}) == {"a": SUPPRESSED, "b": 12}


def test_a_zero_is_never_hidden_and_never_chosen_as_a_secondary_cell():
    shown = rules.suppress_counts({"a": 0, "b": 2, "c": 9, "d": 20}, total=31)
    assert shown == {"a": 0, "b": SUPPRESSED, "c": WITHHELD, "d": 20}


def _possible_values(shown: dict, total: int) -> dict[str, set[int]]:
    """Every value each hidden cell could take, to a reader who knows the total, the cells
    shown and the labels ("fewer than 5": 1 to 4; "not shown": 5 or more, or anything at
    all when every cell is withheld)."""
    hidden = [key for key, value in shown.items() if isinstance(value, str)]
    hidden_sum = total - sum(value for value in shown.values() if not isinstance(value, str))
    everything_withheld = all(value == WITHHELD for value in shown.values())

    def allowed(label: str) -> range:
        if everything_withheld:
            return range(0, hidden_sum + 1)
        if label == SUPPRESSED:
            return range(1, 5)
        return range(5, hidden_sum + 1)

    possible: dict[str, set[int]] = {key: set() for key in hidden}
    if not hidden:
        return possible
    *free, last = hidden
    for values in product(*(allowed(shown[key]) for key in free)):
        rest = hidden_sum - sum(values)
        if rest in allowed(shown[last]):
            for key, value in zip(free, values, strict=True):
                possible[key].add(value)
            possible[last].add(rest)
    return possible


@settings(max_examples=150, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=14), min_size=2, max_size=4))
def test_no_hidden_cell_can_be_worked_out_from_the_total(counts):
    cells = {f"cell {n}": count for n, count in enumerate(counts)}
    total = sum(counts)
    shown = rules.suppress_counts(cells, total)
    for key, count in cells.items():
        if rules.is_small(count):
            assert isinstance(shown[key], str), "a count from 1 to 4 is never shown"
        elif not isinstance(shown[key], str):
            assert shown[key] == count
    if rules.is_small(total):
        return  # the total is hidden too, so there is nothing to work back from
    for key, values in _possible_values(shown, total).items():
        assert len(values) > 1, f"{key} could be worked out: {shown}, total {total}"


def test_suppress_total():
    assert rules.suppress_total(0) == 0
    assert rules.suppress_total(3) == SUPPRESSED
    assert rules.suppress_total(5) == 5


@pytest.mark.parametrize(
    ("part", "whole", "expected"),
    [
        (3, 40, SUPPRESSED),  # the group itself is small
        (10, 3, SUPPRESSED),  # the base is small
        (37, 40, SUPPRESSED),  # those not in the group are small: 3 of 40
        (20, 40, Decimal("50.0")),
        (0, 40, Decimal("0.0")),
        (40, 40, Decimal("100.0")),
        (0, 0, None),
        (None, None, None),
    ],
)
def test_suppress_share(part, whole, expected):
    assert rules.suppress_share(part, whole) == expected


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


def test_comparison_windows():
    window = Window(date(2026, 9, 1), date(2026, 11, 22))
    assert rules.month_before(window) == Window(date(2026, 8, 1), date(2026, 10, 22))
    assert rules.term_before(window) == Window(date(2026, 4, 15), date(2026, 8, 31))
    assert rules.baseline_window(date(2025, 10, 1)) == Window(date(2025, 9, 1), date(2025, 10, 1))
