"""School days: roughly English term dates, and the Monday of a week."""

from __future__ import annotations

from datetime import date, timedelta

# Roughly English term dates: (month, day) ranges when schools are closed.
HOLIDAYS = (
    ((1, 1), (1, 3)),
    ((2, 14), (2, 22)),
    ((3, 29), (4, 12)),
    ((5, 25), (5, 31)),
    ((7, 23), (9, 2)),
    ((10, 24), (11, 1)),
    ((12, 20), (12, 31)),
)
_HOLIDAY_DAYS = frozenset(
    (month, day)
    for month in range(1, 13)
    for day in range(1, 32)
    if any(start <= (month, day) <= end for start, end in HOLIDAYS)
)


def in_holiday(day: date) -> bool:
    return (day.month, day.day) in _HOLIDAY_DAYS


def monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())
