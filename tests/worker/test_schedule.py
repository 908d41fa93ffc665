"""Scheduled jobs: created on start, run when due, moved on, once however many workers."""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime, timedelta
from datetime import time as clock

import pytest
from sqlalchemy import select

from apregister.extensions import db as _db
from apregister.models import ScheduledJob
from apregister.models.base import utcnow
from apregister.worker.jobs import JOBS, Job, daily_at, every
from apregister.worker.schedule import ensure_jobs, run_due_jobs

NOW = datetime(2026, 3, 10, 7, tzinfo=UTC)


def _jobs(db) -> dict[str, ScheduledJob]:
    db.session.expire_all()
    return {job.name: job for job in db.session.scalars(select(ScheduledJob))}


def test_daily_at_is_uk_time_across_the_clock_change():
    at_six = daily_at(clock(6, 0))
    # winter: 06:00 UK is 06:00 UTC; summer (BST): 05:00 UTC
    assert at_six(datetime(2026, 3, 10, 7, tzinfo=UTC)) == datetime(2026, 3, 11, 6, tzinfo=UTC)
    assert at_six(datetime(2026, 3, 10, 5, tzinfo=UTC)) == datetime(2026, 3, 10, 6, tzinfo=UTC)
    assert at_six(datetime(2026, 6, 1, 5, tzinfo=UTC)) == datetime(2026, 6, 2, 5, tzinfo=UTC)
    assert at_six(datetime(2026, 3, 28, 12, tzinfo=UTC)) == datetime(2026, 3, 29, 5, tzinfo=UTC)


def test_worker_creates_the_jobs_runs_them_and_moves_them_on(app, db):
    runner = app.test_cli_runner()
    before = utcnow()
    first = runner.invoke(args=["worker", "--once"])
    assert first.exit_code == 0, first.output
    assert (
        "Jobs run: absence-cutoffs, dashboard-figures, rate-limit-prune, reminders, retention"
        in first.output
    )
    reminders = _jobs(db)["reminders"]
    assert set(_jobs(db)) == set(JOBS)
    assert reminders.last_run_at >= before and reminders.last_error is None
    assert reminders.next_run_at == daily_at(clock(6, 0))(reminders.last_run_at)
    last_run_at = reminders.last_run_at

    again = runner.invoke(args=["worker", "--once"])
    assert "Jobs run: none" in again.output
    assert _jobs(db)["reminders"].last_run_at == last_run_at


def test_ensure_jobs_leaves_existing_rows_alone(db):
    ensure_jobs(NOW)
    ensure_jobs(NOW + timedelta(days=1))
    assert _jobs(db)["reminders"].next_run_at == NOW


def test_a_failing_job_records_its_error_and_the_others_still_run(db):
    ran = []

    def broken(now):
        raise RuntimeError("cannot do it")

    jobs = {
        "broken": Job(broken, every(timedelta(hours=1))),
        "fine": Job(ran.append, every(timedelta(hours=1))),
    }
    ensure_jobs(NOW, jobs)
    result = run_due_jobs(NOW, jobs)
    assert (result.ran, result.failed) == (["fine"], ["broken"])
    assert ran == [NOW]
    rows = _jobs(db)
    assert rows["broken"].last_error == "RuntimeError: cannot do it"
    assert rows["broken"].next_run_at == NOW + timedelta(hours=1)
    assert rows["broken"].last_run_at is None
    assert rows["fine"].last_run_at == NOW and rows["fine"].last_error is None


def test_a_job_not_due_yet_waits(db):
    ran = []
    jobs = {"later": Job(ran.append, every(timedelta(hours=1)))}
    ensure_jobs(NOW + timedelta(minutes=1), jobs)
    assert run_due_jobs(NOW, jobs).ran == []
    assert run_due_jobs(NOW + timedelta(minutes=1), jobs).ran == ["later"]


def test_two_workers_starting_together_run_a_job_once(app, db):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("several workers need PostgreSQL (SQLite runs one)")
    calls = []

    def slow(now):
        calls.append(now)
        time.sleep(0.3)  # the other worker looks while this one holds the row

    jobs = {"slow": Job(slow, every(timedelta(hours=1)))}
    start = threading.Barrier(2)
    results, errors = [], []

    def worker():
        try:
            with app.app_context():
                start.wait(5)
                ensure_jobs(NOW, jobs)
                results.append(run_due_jobs(NOW, jobs).ran)
                _db.session.remove()
        except Exception as error:  # reported below, not lost in the thread
            errors.append(error)

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert errors == []
    assert calls == [NOW]
    assert sorted(results) == [[], ["slow"]]
    assert _jobs(db)["slow"].next_run_at == NOW + timedelta(hours=1)
