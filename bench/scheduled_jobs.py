"""The worker's scheduled jobs at the bench's size: each runs once, as the worker would run it
now, and is rolled back, so the bench data stays as seeded. Target: each under 10 seconds."""

from __future__ import annotations

import sys
import time
from datetime import UTC, datetime

from flask import Flask

from apregister.extensions import db
from apregister.worker.jobs import JOBS

TARGET_SECONDS = 10.0


def time_jobs(app: Flask, now: datetime | None = None) -> list[tuple[str, float, object]]:
    """(name, seconds, what it returned) for each job, run at `now` (this moment if left out)."""
    now = now or datetime.now(UTC)
    results = []
    for name, job in JOBS.items():
        with app.app_context():
            started = time.perf_counter()
            try:
                outcome = job.run(now)
                db.session.flush()
                seconds = time.perf_counter() - started
            finally:
                db.session.rollback()
        results.append((name, seconds, outcome))
        print(f"  job {name}: {seconds:.2f} s", file=sys.stderr)
    return results


def report_jobs(results: list[tuple[str, float, object]]) -> None:
    print()
    print(f"Scheduled jobs (target: each under {TARGET_SECONDS:.0f} s; rolled back after)")
    print(f"{'job':<20} {'seconds':>8}  result")
    for name, seconds, outcome in results:
        flag = "" if seconds < TARGET_SECONDS else "  << over target"
        print(f"{name:<20} {seconds:>8.2f}  {outcome}{flag}")
