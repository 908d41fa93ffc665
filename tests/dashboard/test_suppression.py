"""The suppression that makes the board's view safe to share: counts from 1 to 4 hidden,
each table's secondary suppression and the hidden-sum rule, the 2 x 2 rule for off framework,
and shares resting on small groups."""

from __future__ import annotations

from decimal import Decimal
from itertools import product

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from apregister.dashboard import rules
from apregister.dashboard.rules import SUPPRESSED, WITHHELD


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


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.integers(min_value=0, max_value=14), min_size=2, max_size=5),
    st.sets(st.integers(min_value=0, max_value=4), max_size=2),
)
def test_no_hidden_cell_can_be_worked_out_and_the_hidden_cells_are_not_a_small_number(
    counts, forced
):
    cells = {f"cell {n}": count for n, count in enumerate(counts)}
    withhold = {f"cell {n}" for n in forced if n < len(counts)}
    total = sum(counts)
    shown = rules.suppress_counts(cells, total, withhold=withhold)
    for key, count in cells.items():
        if rules.is_small(count) or (key in withhold and count):
            assert isinstance(shown[key], str), "a small or withheld count is never shown"
        elif not isinstance(shown[key], str):
            assert shown[key] == count
    if rules.is_small(total):
        return  # the total is hidden too, so there is nothing to work back from
    hidden_sum = total - sum(value for value in shown.values() if not isinstance(value, str))
    # so the total less any cells shown is never from 1 to 4
    assert not rules.is_small(hidden_sum), (shown, total)
    for key, values in _possible_values(shown, total).items():
        assert len(values) > 1, f"{key} could be worked out: {shown}, total {total}"


def test_two_small_cells_whose_sum_is_small_take_another_cell_with_them():
    # 2 and 2 cannot be told apart, but 34 - 30 would show that 4 are hidden
    shown = rules.suppress_counts({"a": 2, "b": 2, "c": 30}, total=34)
    assert shown == {"a": SUPPRESSED, "b": SUPPRESSED, "c": WITHHELD}


def test_a_cell_another_table_gives_away_is_withheld_with_what_it_takes():
    shown = rules.suppress_counts({"a": 7, "b": 9, "c": 30}, total=46, withhold={"a"})
    # a alone would be 46 - 9 - 30
    assert shown == {"a": WITHHELD, "b": WITHHELD, "c": 30}
    # a cell of 0 hides nothing and is shown
    assert rules.suppress_counts({"a": 0, "b": 9}, total=9, withhold={"a"}) == {"a": 0, "b": 9}


def test_the_2_by_2_shows_the_counts_off_framework_when_no_inner_cell_is_small():
    active = {"Registered": 15, "Unregistered": 13}
    assert rules.suppress_two_by_two(active, {"Registered": 5, "Unregistered": 7}) == {
        "Registered": 5,
        "Unregistered": 7,
    }
    # nothing off framework, and nothing registered: 0s are not small
    assert rules.suppress_two_by_two(
        {"Registered": 0, "Unregistered": 9}, {"Registered": 0, "Unregistered": 0}
    ) == {"Registered": 0, "Unregistered": 0}


@pytest.mark.parametrize(
    ("active", "off"),
    [
        ({"Registered": 15, "Unregistered": 13}, {"Registered": 3, "Unregistered": 7}),  # off
        ({"Registered": 15, "Unregistered": 13}, {"Registered": 5, "Unregistered": 9}),  # on: 4
        ({"Registered": 2, "Unregistered": 13}, {"Registered": 0, "Unregistered": 6}),  # margin
    ],
)
def test_the_2_by_2_withholds_both_statuses_when_any_inner_cell_is_small(active, off):
    assert rules.suppress_two_by_two(active, off) is None


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=12), min_size=4, max_size=4))
def test_the_2_by_2_never_shows_a_status_off_framework_beside_a_small_inner_cell(inner):
    on_registered, off_registered, on_unregistered, off_unregistered = inner
    active = {
        "Registered": on_registered + off_registered,
        "Unregistered": on_unregistered + off_unregistered,
    }
    off = {"Registered": off_registered, "Unregistered": off_unregistered}
    shown = rules.suppress_two_by_two(active, off)
    assert (shown is None) == any(rules.is_small(cell) for cell in inner)


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
