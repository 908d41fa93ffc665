"""The scheduled jobs `flask worker` runs: name -> (what to run, when it runs next).

A job is a plain function of the moment it runs (an aware UTC datetime) that writes what it
must and leaves the commit to the worker. To add one, add a line to JOBS; the worker creates
its scheduled_jobs row on start and runs it at once, then on its timetable.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from typing import NamedTuple
from zoneinfo import ZoneInfo

from apregister.audit import acting_as
from apregister.qa.reminders import send_reminders

UK = ZoneInfo("Europe/London")


class Job(NamedTuple):
    run: Callable[[datetime], object]
    next_run: Callable[[datetime], datetime]  # after a run at `now`, the next time it is due


def daily_at(at: time) -> Callable[[datetime], datetime]:
    """Every day at `at`, UK time (so 06:00 stays 06:00 across the clock changes)."""

    def next_run(now: datetime) -> datetime:
        local = now.astimezone(UK)
        candidate = datetime.combine(local.date(), at, tzinfo=UK)
        if candidate <= local:
            candidate = datetime.combine(local.date() + timedelta(days=1), at, tzinfo=UK)
        return candidate.astimezone(now.tzinfo)

    return next_run


def every(interval: timedelta) -> Callable[[datetime], datetime]:
    return lambda now: now + interval


def uk_today(now: datetime):
    return now.astimezone(UK).date()


def reminders(now: datetime) -> dict[str, int]:
    """What `flask send-reminders` queues: QA and review reminders for today."""
    with acting_as(None):
        return send_reminders(uk_today(now))


def absence_cutoffs(now: datetime) -> int:
    """Sessions not recorded by the LA's cut-off times go to the home schools (every few
    minutes: a case is raised once, however often it runs)."""
    from apregister.absences.jobs import raise_cutoff_cases

    with acting_as(None):
        return raise_cutoff_cases(now)


def remove_past_retention(now: datetime) -> int:
    """Remove the details of pupils past the LA's retention period (a batch a night)."""
    from apregister.retention import remove_past_retention as remove

    with acting_as(None):
        return remove(uk_today(now))


def prune_rate_limits(now: datetime) -> int:
    """Forget the abuse limits' windows that have ended."""
    from apregister.limits import prune_expired

    return prune_expired(now.timestamp())


def dashboard_figures(now: datetime) -> int:
    """Measure again the dashboard's kept figures that are being looked at (every two
    minutes: they are shown for at most five)."""
    from apregister.dashboard.kept import refresh
    from apregister.settings import current_settings

    # the day as the pages take it (date.today()), which the kept figures are keyed by
    return refresh(now, date.today(), current_settings())


def drop_undecided_imports(now: datetime) -> int:
    """Files checked but left undecided for two weeks are dropped (a batch a night)."""
    from apregister.imports.jobs import drop_undecided

    with acting_as(None):
        return drop_undecided(now)


JOBS: dict[str, Job] = {
    "dashboard-figures": Job(dashboard_figures, every(timedelta(minutes=2))),
    "reminders": Job(reminders, daily_at(time(6, 0))),
    "absence-cutoffs": Job(absence_cutoffs, every(timedelta(minutes=5))),
    "rate-limit-prune": Job(prune_rate_limits, every(timedelta(hours=1))),
    "retention": Job(remove_past_retention, daily_at(time(2, 30))),
    "undecided-imports": Job(drop_undecided_imports, daily_at(time(2, 45))),
}
