"""Annual QA dates: pure rules, any `today`."""

from datetime import date, timedelta

import pytest

from apregister.qa.rules import (
    DEFAULT_AREAS,
    SAFEGUARDING,
    academic_year,
    add_months,
    due_state,
    next_inspection_due,
    next_self_assessment_due,
)


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2026, 1, 15), 3, date(2026, 4, 15)),
        (date(2025, 11, 15), 3, date(2026, 2, 15)),  # across the new year
        (date(2026, 1, 31), 1, date(2026, 2, 28)),  # shorter month: its last day
        (date(2023, 11, 30), 3, date(2024, 2, 29)),  # leap year
        (date(2024, 2, 29), 12, date(2025, 2, 28)),  # a leap day a year on
        (date(2026, 8, 31), 1, date(2026, 9, 30)),
        (date(2026, 3, 31), -1, date(2026, 2, 28)),  # backwards too
        (date(2026, 1, 15), -12, date(2025, 1, 15)),
        (date(2026, 5, 10), 0, date(2026, 5, 10)),
    ],
)
def test_add_months_keeps_the_day_or_takes_the_months_last_day(day, months, expected):
    assert add_months(day, months) == expected


def test_first_inspection_is_due_three_months_after_approval():
    assert next_inspection_due(None, date(2026, 1, 10), 3) == date(2026, 4, 10)


def test_first_inspection_at_a_month_end_is_due_on_the_last_day_of_the_shorter_month():
    assert next_inspection_due(None, date(2025, 11, 30), 3) == date(2026, 2, 28)


def test_next_inspection_is_due_twelve_months_after_the_last_visit_whatever_the_approval():
    assert next_inspection_due(date(2025, 6, 10), date(2020, 1, 1), 3) == date(2026, 6, 10)


def test_a_provider_never_approved_has_no_inspection_or_self_assessment_due():
    assert next_inspection_due(None, None, 3) is None
    assert next_self_assessment_due(None, None, 3) is None


def test_self_assessment_is_due_after_approval_then_a_year_after_the_last_accepted():
    assert next_self_assessment_due(None, date(2026, 2, 1), 6) == date(2026, 8, 1)
    assert next_self_assessment_due(date(2025, 9, 30), date(2020, 1, 1), 6) == date(2026, 9, 30)


@pytest.mark.parametrize(
    "today",
    [date(2026, 1, 1), date(2026, 4, 9), date(2026, 4, 10), date(2026, 4, 11), date(2027, 12, 31)],
)
def test_inspection_due_state_for_any_today(today):
    due = next_inspection_due(None, date(2026, 1, 10), 3)  # 10 April 2026
    state = due_state(due, today, soon_days=30)
    assert state.due == date(2026, 4, 10)
    assert state.overdue is (today > due)
    assert state.due_soon is (today <= due and (due - today).days <= 30)
    assert state.due_this_month is ((today.year, today.month) == (2026, 4) and today <= due)


def test_due_on_the_day_itself_is_due_soon_not_overdue():
    state = due_state(date(2026, 3, 10), date(2026, 3, 10), 30)
    assert (state.overdue, state.due_soon, state.due_this_month) == (False, True, True)


def test_due_state_window_edges():
    today = date(2026, 3, 10)
    assert due_state(today + timedelta(days=30), today, 30).due_soon
    assert not due_state(today + timedelta(days=31), today, 30).due_soon
    assert due_state(today - timedelta(days=1), today, 30).overdue
    assert not due_state(today - timedelta(days=1), today, 30).due_soon


def test_no_due_date_is_never_overdue_or_soon():
    state = due_state(None, date(2026, 3, 10))
    assert (state.due, state.overdue, state.due_soon, state.due_this_month) == (
        None,
        False,
        False,
        False,
    )


@pytest.mark.parametrize(
    ("today", "year"),
    [
        (date(2026, 9, 1), "2026/27"),
        (date(2027, 8, 31), "2026/27"),
        (date(2026, 8, 31), "2025/26"),
        (date(2027, 1, 1), "2026/27"),
        (date(1999, 9, 1), "1999/00"),
    ],
)
def test_academic_year_runs_from_september_to_august(today, year):
    assert academic_year(today) == year


def test_default_areas_start_with_the_national_standards_and_include_safeguarding():
    keys = [key for key, _ in DEFAULT_AREAS]
    assert keys[:4] == ["safeguarding", "health_safety", "admissions", "education"]
    assert SAFEGUARDING in keys
    assert len(set(keys)) == len(keys)
