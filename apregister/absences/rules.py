"""Pure rules for absence follow-up: cut-off times, lateness and the repeated-absence
pattern. Every date and time is passed in."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from apregister.models.enums import Session

UK = ZoneInfo("Europe/London")
_TIME = re.compile(r"([01]?[0-9]|2[0-3]):([0-5][0-9])")


def parse_cutoff(value: str) -> time | None:
    """'10:30' -> 10:30; None for anything that is not a 24-hour time."""
    match = _TIME.fullmatch(value.strip())
    if match is None:
        return None
    return time(int(match.group(1)), int(match.group(2)))


def sessions_past_cutoff(now: datetime, am_cutoff: str, pm_cutoff: str) -> tuple[date, list]:
    """Today's date in the UK and the sessions whose cut-off has passed by `now` (none at
    the weekend)."""
    local = now.astimezone(UK)
    today = local.date()
    if today.weekday() >= 5:
        return today, []
    passed = []
    for session, cutoff in ((Session.AM, am_cutoff), (Session.PM, pm_cutoff)):
        at = parse_cutoff(cutoff)
        if at is not None and local.time() >= at:
            passed.append(session)
    return today, passed


def next_school_day(day: date) -> date:
    """The next weekday after `day` (term dates vary by LA; weekends are never school days)."""
    day += timedelta(days=1)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


def latest_late_day(today: date) -> date:
    """Cases raised on or before this day are unresolved past the next school day: they reach
    the LA."""
    day = today - timedelta(days=1)
    while next_school_day(day) >= today:
        day -= timedelta(days=1)
    return day


def school_days_back(today: date, days: int) -> date:
    """The first of the last `days` school days up to and including `today`."""
    day, counted = today, 0
    while True:
        if day.weekday() < 5:
            counted += 1
            if counted >= days:
                return day
        day -= timedelta(days=1)


def repeated(days_with_absence: Iterable[date], today: date, count: int, days: int) -> bool:
    """`count` or more absences followed up within the last `days` school days."""
    since = school_days_back(today, days)
    return sum(1 for day in days_with_absence if since <= day <= today) >= count
