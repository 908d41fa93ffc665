"""Running scheduled jobs: claim a due scheduled_jobs row (FOR UPDATE SKIP LOCKED), run its
function, move next_run_at on, commit; so each run happens once however many workers there
are."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime

from flask import current_app
from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite

from apregister.extensions import db
from apregister.models import ScheduledJob
from apregister.worker.jobs import JOBS, Job

LAST_ERROR_LENGTH = 1000


@dataclass
class JobsRun:
    ran: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)


def ensure_jobs(now: datetime, jobs: Mapping[str, Job] = JOBS) -> None:
    """Add a row, due at once, for each job that has none. Several workers may start at
    the same moment: a row another one added first is left as it is."""
    if not jobs:
        return
    dialect = db.engine.dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    rows = [{"name": name, "next_run_at": now} for name in jobs]
    db.session.execute(
        insert(ScheduledJob).values(rows).on_conflict_do_nothing(index_elements=["name"])
    )
    db.session.commit()


def _claim(now: datetime, names: list[str]) -> ScheduledJob | None:
    return db.session.scalars(
        select(ScheduledJob)
        .where(ScheduledJob.name.in_(names), ScheduledJob.next_run_at <= now)
        .order_by(ScheduledJob.next_run_at, ScheduledJob.name)
        .limit(1)
        .with_for_update(skip_locked=True)
    ).first()


def run_due_jobs(now: datetime, jobs: Mapping[str, Job] = JOBS) -> JobsRun:
    """Run each job due at `now` once, committing after each."""
    result = JobsRun()
    logger = current_app.logger
    names = list(jobs)
    done: set[str] = set()
    while names and (row := _claim(now, [n for n in names if n not in done])) is not None:
        name = row.name
        done.add(name)
        job = jobs[name]
        try:
            job.run(now)
        except Exception as error:
            db.session.rollback()
            # The type and where it was raised, never the message: it may hold personal data.
            logger.error("Scheduled job %s failed: %s", name, type(error).__name__)
            row = _claim(now, [name])
            if row is not None:  # else another worker has taken it again since the rollback
                row.last_error = f"{type(error).__name__}: {error}"[:LAST_ERROR_LENGTH]
                row.next_run_at = job.next_run(now)
                db.session.commit()
            result.failed.append(name)
            continue
        row.last_run_at = now
        row.last_error = None
        row.next_run_at = job.next_run(now)
        db.session.commit()
        result.ran.append(name)
    return result
