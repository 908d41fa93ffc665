"""An import job's way: uploaded, checked, confirmed, written (or refused, stopped, cancelled).

The worker claims a job that is waiting with FOR UPDATE SKIP LOCKED, so one worker takes it
however many run; a job whose worker died (no progress for STALE) is taken again, which is
safe: checking writes nothing, and writing is one transaction that either landed or did not.
A small file is checked and written in the request instead, by the same functions.
"""

from __future__ import annotations

import hashlib
import re
from datetime import date, datetime, timedelta

from flask import current_app
from sqlalchemy import or_, select, update

from apregister.extensions import db
from apregister.forms import without_control_characters
from apregister.imports import engine
from apregister.imports.files import ImportFileError
from apregister.models import ImportJob, ImportStatus, User
from apregister.models.base import utcnow
from apregister.settings import current_settings

STALE = timedelta(minutes=10)
# a file checked but neither imported nor cancelled is dropped after this: it holds children's
# data the lead has not decided to keep
UNDECIDED = timedelta(days=14)
# up to this size a file is checked and imported in the request: a few hundred rows, well
# under a second; anything larger goes to the worker
IN_REQUEST_BYTES = 128 * 1024
KEPT_ERRORS = 100_000  # every row's errors, up to the largest file's rows


def start(kind: str, *, file_name: str, content: bytes, file_type: str, by: User) -> ImportJob:
    job = ImportJob(
        kind=kind,
        file_name=shown_name(file_name),
        file_type=file_type,
        sha256=hashlib.sha256(content).hexdigest(),
        size=len(content),
        content=content,
        status=ImportStatus.WAITING_CHECK,
        requested_by_id=by.id,
        rows_done=0,
    )
    if in_request(job):
        _taken_here(job, ImportStatus.CHECKING)
    db.session.add(job)
    db.session.flush()
    return job


def shown_name(file_name: str | None) -> str:
    """The uploaded file's own name as the pages and the audit log show it: its last part
    only, without control characters (PostgreSQL refuses NUL), at most 150 characters."""
    name = re.split(r"[/\\]", file_name or "")[-1]
    name = without_control_characters(name).strip()[:150].strip()
    return name or "upload"


def in_request(job: ImportJob) -> bool:
    return job.size <= IN_REQUEST_BYTES


def _taken_here(job: ImportJob, status: ImportStatus) -> None:
    """Marked as being worked on, so no worker claims a job the request runs itself."""
    job.status = status
    job.claimed_at = utcnow()


def confirm(job: ImportJob, *, only_valid: bool) -> None:
    job.only_valid = only_valid
    job.status = ImportStatus.WAITING_IMPORT
    job.rows_done = 0
    job.claimed_at = None
    if in_request(job):
        _taken_here(job, ImportStatus.IMPORTING)


def cancel(job: ImportJob) -> None:
    job.status = ImportStatus.CANCELLED
    job.content = None  # the children's data in it goes with the import
    job.finished_at = utcnow()


def drop_undecided(now: datetime) -> int:
    """Cancel the imports left waiting for the lead (or refused, or stopped) for UNDECIDED,
    dropping their files; how many."""
    left = (ImportStatus.CHECKED, ImportStatus.REFUSED, ImportStatus.FAILED)
    stale = db.session.scalars(
        select(ImportJob).where(ImportJob.status.in_(left), ImportJob.updated_at < now - UNDECIDED)
    ).all()
    for job in stale:
        cancel(job)
    return len(stale)


def detail(job: ImportJob) -> str:
    """What every change the import writes is logged with."""
    return f"Imported from {job.file_name[:150]} (SHA-256 {job.sha256})"


# ---- the worker's side ----------------------------------------------------------------------


def claim(now: datetime) -> ImportJob | None:
    """The oldest job waiting for a worker (or left by one that died), marked taken."""
    waiting = (ImportStatus.WAITING_CHECK, ImportStatus.WAITING_IMPORT)
    working = (ImportStatus.CHECKING, ImportStatus.IMPORTING)
    job = db.session.scalars(
        select(ImportJob)
        .where(
            or_(
                ImportJob.status.in_(waiting),
                ImportJob.status.in_(working) & (ImportJob.updated_at < now - STALE),
            )
        )
        .order_by(ImportJob.id)
        .limit(1)
        .with_for_update(skip_locked=True)
    ).first()
    if job is None:
        return None
    if job.status in (ImportStatus.WAITING_CHECK, ImportStatus.CHECKING):
        job.status = ImportStatus.CHECKING
    else:
        job.status = ImportStatus.IMPORTING
    job.claimed_at = now
    job.rows_done = 0
    db.session.commit()
    return job


def run_waiting(now: datetime) -> int:
    """Run every waiting job, one after another; how many were run."""
    ran = 0
    while (job := claim(now)) is not None:
        run(job)
        ran += 1
        now = utcnow()
    return ran


BROKE = (
    "The import stopped because of a problem in the service, not in the file. Nothing was "
    "imported. Try again later; if it happens again, tell the service's support team, quoting "
    "import {job_id}"
)


def run(job: ImportJob, *, today: date | None = None) -> None:
    """Check or write a claimed job, and commit. A failure that is not the file's stops the
    job (rather than leaving it to be taken again and fail again) and is logged by its type:
    its message may quote the file's cells."""
    job_id = job.id
    try:
        if job.status in (ImportStatus.WAITING_CHECK, ImportStatus.CHECKING):
            _check(job, today or date.today())
        elif job.status in (ImportStatus.WAITING_IMPORT, ImportStatus.IMPORTING):
            _write(job, today or date.today())
    except Exception as error:
        db.session.rollback()
        current_app.logger.error("Import %s failed: %s", job_id, type(error).__name__)
        _refuse(db.session.get(ImportJob, job_id), BROKE.format(job_id=job_id), ImportStatus.FAILED)


def _reporter(job_id: int, *, writing: bool):
    """Progress, written on a connection of its own so the page sees it at once. While the
    rows are being written, SQLite's single writer is busy with them: progress then shows at
    the end."""
    if writing and db.engine.dialect.name == "sqlite":
        return lambda done: None

    def report(done: int) -> None:
        with db.engine.begin() as connection:
            connection.execute(
                update(ImportJob)
                .where(ImportJob.id == job_id)
                .values(rows_done=done, updated_at=utcnow())
            )

    return report


def _refuse(job: ImportJob, message: str, status: ImportStatus) -> None:
    job.status = status
    job.file_error = message
    job.finished_at = utcnow()
    db.session.commit()


def _check(job: ImportJob, today: date) -> None:
    job.status = ImportStatus.CHECKING
    content = job.content
    job_id = job.id
    try:
        job.total_rows = engine.count_rows(content)
        db.session.commit()
        outcome = engine.check(
            engine.kind_named(job.kind),
            content,
            today=today,
            settings=current_settings(),
            progress=_reporter(job_id, writing=False),
        )
    except ImportFileError as problem:
        db.session.rollback()
        job = db.session.get(ImportJob, job_id)
        _refuse(job, str(problem), ImportStatus.REFUSED)
        return
    job = db.session.get(ImportJob, job_id)
    job.total_rows = outcome.total
    job.rows_done = outcome.total
    job.counts = dict(outcome.counts)
    job.row_errors = [[e.line, e.column, e.message] for e in outcome.errors[:KEPT_ERRORS]]
    job.preview = outcome.preview
    job.encoding = outcome.encoding
    job.status = ImportStatus.CHECKED
    job.file_error = None
    db.session.commit()
    current_app.logger.info(
        "Import %s checked: %s rows, %s with errors",
        job_id,
        outcome.total,
        outcome.counts.get("invalid", 0),
    )


def _write(job: ImportJob, today: date) -> None:
    job_id, content = job.id, job.content
    by = db.session.get(User, job.requested_by_id) if job.requested_by_id else None
    try:
        counts = engine.write(
            engine.kind_named(job.kind),
            content,
            detail=detail(job),
            only_valid=job.only_valid,
            today=today,
            settings=current_settings(),
            by=by,
            progress=_reporter(job_id, writing=True),
        )
    except (engine.StopImport, ImportFileError) as problem:
        db.session.rollback()
        _refuse(db.session.get(ImportJob, job_id), str(problem), ImportStatus.FAILED)
        return
    job = db.session.get(ImportJob, job_id)
    job.counts = {**(job.counts or {}), "written": counts["written"]}
    job.rows_done = job.total_rows or 0
    job.status = ImportStatus.IMPORTED
    job.content = None  # the children's data in it is on the register now, or was not wanted
    job.finished_at = utcnow()
    db.session.commit()
    current_app.logger.info("Import %s written: %s records", job_id, counts["written"])
