"""The check across the board's figures (audit.py), on hand-made groups of placements."""

from __future__ import annotations

from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from apregister.dashboard import rules
from apregister.dashboard.audit import (
    NEVER,
    Count,
    Group,
    Population,
    Who,
    _Overlaps,
    audit,
    find_breach,
)
from apregister.sql import Buckets

DAYS = (date(2026, 9, 30), date(2026, 10, 31), date(2026, 11, 30))  # buckets 0, 1, 2
TODAY = DAYS[-1]
OPEN = len(DAYS)  # still running: ends after every day


def population(*groups: Group) -> Population:
    return Population(Buckets.at(DAYS), groups)


def count(people: Population, key, who: Who, rank: int, table: str | None = None) -> Count:
    value = people.count(who)
    return Count(key, who, value, rules.is_small(value), rank, 0, table or f"day:{who.day}")


def untouched(table, forced):
    """A resuppress for figures that are not table cells: only what was forced."""
    return set(forced)


def test_a_month_end_inside_today_and_1_apart_is_hidden_and_today_is_not():
    people = population(Group(8, 0, OPEN), Group(1, 2, OPEN))
    today = count(people, "today", Who(TODAY), NEVER)
    october = count(people, "october", Who(DAYS[1]), 0)
    audit([today, october], [people], untouched)
    assert (today.value, october.value) == (9, 8)
    assert october.hidden and not today.hidden


def test_counts_apart_by_5_or_more_or_not_one_inside_the_other_are_shown():
    people = population(Group(8, 0, OPEN), Group(5, 2, OPEN), Group(6, 0, 1))
    today = count(people, "today", Who(TODAY), NEVER)
    september = count(people, "september", Who(DAYS[0]), 0)  # 14, 6 of them ended since
    october = count(people, "october", Who(DAYS[1]), 0)  # 8, inside today's 13
    audit([today, september, october], [people], untouched)
    assert not (today.hidden or september.hidden or october.hidden)


def test_a_month_end_with_todays_very_placements_stays_and_the_other_goes():
    # September's 7 are inside October's 9, 2 apart; October's are today's own 9.
    people = population(Group(7, 0, OPEN), Group(2, 1, OPEN))
    today = count(people, "today", Who(TODAY), NEVER)
    october = count(people, "october", Who(DAYS[1]), 0)  # ranked to go first ...
    september = count(people, "september", Who(DAYS[0]), 2)
    audit([today, october, september], [people], untouched)
    # ... but hiding it would hide nothing: today shows the same 9
    assert not october.hidden and september.hidden


def test_a_count_with_the_placements_of_a_hidden_cell_is_hidden_too():
    people = population(Group(6, 0, OPEN, frozenset({"ehc"})), Group(1, 0, OPEN))
    today = count(people, "today", Who(TODAY), NEVER)
    # the share with an EHC plan is hidden (those without one are 1) ...
    ehc = count(people, "ehc", Who(TODAY, frozenset({"ehc"})), 3)
    ehc.hidden = True
    # ... so a month end with the very same 6 may not show them
    october = Count("october", Who(DAYS[1], frozenset({"ehc"})), 6, False, 0, 0, "trend")
    audit([today, ehc, october], [people], untouched)
    assert october.hidden


def test_two_cells_a_hidden_cell_apart_are_not_both_shown():
    # by reason: a 20, b 10 (withheld by another table); total 30
    people = population(Group(20, 0, OPEN, frozenset({"a"})), Group(10, 0, OPEN, frozenset({"b"})))
    today = count(people, "today", Who(TODAY), NEVER)
    a = count(people, ("reason", "a"), Who(TODAY, frozenset({"a"})), 5, "reason")
    b = count(people, ("reason", "b"), Who(TODAY, frozenset({"b"})), 5, "reason")
    b.hidden = True
    hidden_tables = []

    def resuppress(table, forced):
        hidden_tables.append((table, set(forced)))
        return {a.key, b.key}

    audit([today, a, b], [people], resuppress)  # 30 - 20 = b
    assert a.hidden and hidden_tables == [("reason", {a.key})]


def test_the_narrower_population_counts_what_two_figures_share():
    today_only = population(Group(3, 0, OPEN, frozenset({"x"})), Group(4, 2, OPEN))
    every_day = population(Group(3, 0, OPEN, frozenset({"x"})), Group(4, 2, OPEN), Group(9, 0, 1))
    now = Count("now", Who(TODAY), 7, False, NEVER, 0, "day")
    september = Count("september", Who(DAYS[0]), 12, False, 0, 1, "trend")
    common = _Overlaps([today_only, every_day])
    assert common(now, september) == 3


# ---- whatever the groups, nothing is left to find ------------------------------------------

TRAITS = ("x", "y")
groups = st.lists(
    st.builds(
        lambda n, start, length, traits: Group(n, start, min(start + length, OPEN), traits),
        st.integers(min_value=1, max_value=6),
        st.integers(min_value=0, max_value=2),
        st.integers(min_value=1, max_value=3),
        st.frozensets(st.sampled_from(TRAITS)),
    ),
    min_size=1,
    max_size=8,
)


@settings(max_examples=300, deadline=None)
@given(groups, st.lists(st.integers(min_value=0, max_value=5), min_size=12, max_size=12))
def test_after_the_check_no_two_figures_give_anything_away(found, ranks):
    people = population(*found)
    figures = [count(people, "total", Who(TODAY), NEVER)]
    whos = [
        Who(day, frozenset(traits)) for day in DAYS for traits in ((), ("x",), ("y",), ("x", "y"))
    ]
    for n, who in enumerate(whos):
        if who != Who(TODAY):
            figures.append(count(people, n, who, ranks[n % len(ranks)]))
    audit(figures, [people], untouched)
    assert find_breach(figures, _Overlaps([people])) is None
    assert figures[0].hidden == rules.is_small(figures[0].value)
