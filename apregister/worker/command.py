"""`flask worker`: the loop, and the command that runs it."""

from __future__ import annotations

import signal
import threading
from contextlib import contextmanager

import click
from flask import current_app

from apregister.extensions import db
from apregister.mail import mail_backend
from apregister.models.base import utcnow
from apregister.worker.delivery import Delivered, deliver_due
from apregister.worker.schedule import JobsRun, ensure_jobs, run_due_jobs
from apregister.worker.senders import configured_sender


def run_once() -> tuple[JobsRun, Delivered]:
    """One round: the scheduled jobs that are due, the messages that are due, then any
    spreadsheet waiting to be checked or imported."""
    from apregister.imports.jobs import run_waiting

    jobs = run_due_jobs(utcnow())
    delivered = deliver_due(utcnow(), configured_sender())
    run_waiting(utcnow())
    db.session.remove()  # the next round starts a fresh session
    return jobs, delivered


@contextmanager
def _stop_on_signals(stop: threading.Event):
    """SIGTERM and SIGINT let the round in hand finish, then stop the loop."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {sig: signal.getsignal(sig) for sig in (signal.SIGTERM, signal.SIGINT)}
    for sig in previous:
        signal.signal(sig, lambda *_: stop.set())
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


@click.command("worker")
@click.option("--once", is_flag=True, help="Do what is due now, then exit (for cron and tests).")
@click.option(
    "--interval",
    type=click.FloatRange(min=0.1),
    help="Seconds between rounds [default: WORKER_INTERVAL_SECONDS, else 5].",
)
def worker_command(once: bool, interval: float | None):
    """Send the outbox, run the scheduled jobs and the imports, until stopped.

    Run one or more on PostgreSQL (they share the work); on SQLite, run one.
    """
    interval = interval or current_app.config.get("WORKER_INTERVAL_SECONDS", 5)
    try:
        configured_sender()  # fail at start on a missing setting, not at the first message
    except ValueError as error:
        raise click.ClickException(str(error)) from None
    ensure_jobs(utcnow())
    if once:
        jobs, delivered = run_once()
        click.echo(
            f"Jobs run: {', '.join(jobs.ran) or 'none'}"
            + (f"; failed: {', '.join(jobs.failed)}" if jobs.failed else "")
            + f". Messages sent: {delivered.sent}, to retry: {delivered.retrying}, "
            f"failed: {delivered.failed} (mail: {mail_backend()})."
        )
        return
    logger = current_app.logger
    logger.info("Worker started: mail by %s, every %s s", mail_backend(), interval)
    stop = threading.Event()
    with _stop_on_signals(stop):
        while not stop.is_set():
            try:
                run_once()
            except Exception as error:  # the database went away, say: try again next round
                db.session.rollback()
                db.session.remove()
                logger.error("Worker round failed: %s", type(error).__name__)
            stop.wait(interval)
    logger.info("Worker stopped")
