"""Operator commands: `flask --app wsgi <command>`."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import click
from flask import Flask, current_app
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from apregister import backup, demo, mail
from apregister.attendance import totals as attendance_totals
from apregister.audit import acting_as
from apregister.auth.rules import password_problem
from apregister.demo import scale
from apregister.extensions import db
from apregister.imports.command import import_providers
from apregister.models import Organisation, Role
from apregister.models.base import utcnow
from apregister.qa.reminders import send_reminders
from apregister.users import operations as user_operations
from apregister.users.queries import EMAIL_TAKEN, email_taken
from apregister.users.rules import role_fits_organisation
from apregister.worker.command import worker_command


def register(app: Flask) -> None:
    app.cli.add_command(create_user)
    app.cli.add_command(seed_demo)
    app.cli.add_command(import_providers)
    app.cli.add_command(send_reminders_command)
    app.cli.add_command(seed_scale)
    app.cli.add_command(rebuild_attendance_totals)
    app.cli.add_command(worker_command)
    app.cli.add_command(backup_command)
    app.cli.add_command(restore_command)


@click.command("create-user")
@click.option("--email", required=True)
@click.option("--name", required=True)
@click.option("--role", type=click.Choice([role.value for role in Role]), required=True)
@click.option(
    "--organisation",
    "organisation_name",
    help="The organisation's exact name; the LA if left out.",
)
@click.password_option(help="Asked for if not given.")
def create_user(email: str, name: str, role: str, organisation_name: str | None, password: str):
    """Add a user account (the first la_lead, for example)."""
    stmt = select(Organisation)
    if organisation_name:
        stmt = stmt.where(Organisation.name == organisation_name)
    else:
        stmt = stmt.where(Organisation.kind == "la")
    organisation = db.session.scalars(stmt).first()
    if organisation is None:
        raise click.UsageError("No such organisation. Name one that exists, or run seed-demo.")
    if not role_fits_organisation(Role(role), organisation.kind):
        raise click.UsageError(f"A {role} account cannot belong to {organisation.name}.")
    if email_taken(email):
        raise click.UsageError(EMAIL_TAKEN)
    problem = password_problem(
        password, min_length=current_app.config["PASSWORD_MIN_LENGTH"], user_inputs=[email, name]
    )
    if problem:
        raise click.UsageError(problem)
    with acting_as(None):
        user = user_operations.add_user(
            email=email,
            name=name,
            role=Role(role),
            organisation_id=organisation.id,
            password=password,
        )
        db.session.commit()
    click.echo(f"Added {user.role} account {user.id} for {organisation.name}.")


@click.command("seed-demo")
@click.option("--password", default=demo.DEFAULT_DEMO_PASSWORD, show_default=True)
@click.option("--if-empty", is_flag=True, help="Only load the demo data into an empty database.")
def seed_demo(password: str, if_empty: bool):
    """Load the demo organisations and one account per role (idempotent)."""
    la_name = current_app.config["LA_NAME"]
    if if_empty and not demo.database_is_empty():
        click.echo("The database already has data; demo data not loaded.")
        accounts = demo.demo_accounts(la_name)
    else:
        with acting_as(None):
            accounts = demo.seed_demo(la_name=la_name, password=password)
            db.session.commit()
        click.echo("Demo data loaded.")
    click.echo(f"\nDemo sign-ins (password: {password} unless you chose another):")
    for account in accounts:
        click.echo(f"  {account.email:<22} {account.role.label}, {account.organisation}")
    if current_app.config.get("TWO_FACTOR_REQUIRED"):
        click.echo(
            "\nLA accounts set up two-factor sign-in the first time they sign in (an "
            "authenticator app, or the key shown on the page). To skip it while trying the "
            "service: TWO_FACTOR_REQUIRED=0 make run"
        )


@click.command("send-reminders")
@click.option(
    "--today",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="Act as if it were this day (YYYY-MM-DD); today if left out.",
)
def send_reminders_command(today):
    """Queue today's QA and review reminders now; `flask worker` sends them.

    The worker runs this every day at 06:00 by itself. Safe to run more than once a day: a
    reminder already queued is not queued again.
    """
    day = today.date() if today is not None else date.today()
    with acting_as(None):
        counts = send_reminders(day)
        try:
            db.session.commit()
        except IntegrityError:
            db.session.rollback()
            raise click.ClickException(
                "Another reminder run queued the same messages at the same moment, so nothing "
                "was queued by this one. Run it again to pick up anything left."
            ) from None
    queued = sum(counts.values())
    click.echo(
        f"Reminders for {day.isoformat()}: {queued} queued "
        f"({counts['self_assessments']} self-assessment, "
        f"{counts['actions'] + counts['la_actions']} action, "
        f"{counts['inspections']} inspection, {counts['reviews']} review, "
        f"{counts['documents']} document)."
    )
    if mail.delivery_configured():
        click.echo("The worker (flask worker) sends them.")
    else:
        click.echo("Email is not set up (MAIL_BACKEND): the messages wait in the outbox.")


@click.command("seed-scale")
@click.option("--schools", default=1000, show_default=True, type=click.IntRange(1))
@click.option("--providers", default=500, show_default=True, type=click.IntRange(1))
@click.option("--placements", default=200_000, show_default=True, type=click.IntRange(0))
@click.option("--years", default=10, show_default=True, type=click.IntRange(1, 40))
@click.option(
    "--attendance-weeks",
    default=scale.DEFAULT_ATTENDANCE_WEEKS,
    show_default=True,
    type=click.IntRange(0),
    help="Weeks of session-by-session attendance, back from today, for every placement that "
    "ran in them. A year is about two million rows at the default size and keeps the run to "
    "minutes; the attendance pages read only the last few weeks.",
)
@click.option(
    "--seed", "random_seed", default=2026, show_default=True, help="The same seed, the same data."
)
@click.option("--yes", is_flag=True, help="Add to a database that already has placements.")
def seed_scale(
    schools: int,
    providers: int,
    placements: int,
    years: int,
    attendance_weeks: int,
    random_seed: int,
    yes: bool,
):
    """Load a large synthetic register (ten years of a large LA) for benchmarks.

    Rows are bulk inserted, so the audit hook does not run; never use it on a live register.
    """
    try:
        scale.check_schema()
    except scale.SeedRefused as refused:
        raise click.ClickException(str(refused)) from None
    if scale.has_placements() and not yes:
        raise click.ClickException(
            "The database already has placements. Use an empty database, or add --yes to add "
            "the synthetic data to it."
        )
    db.session.rollback()  # the checks' transaction; the seed writes in one of its own
    spec = scale.ScaleSpec(
        schools=schools,
        providers=providers,
        placements=placements,
        years=years,
        attendance_weeks=attendance_weeks,
        seed=random_seed,
    )
    click.echo(
        f"Seeding {schools:,} schools, {providers:,} providers and {placements:,} placements "
        f"over {years} years ({attendance_weeks} weeks of attendance) into "
        f"{db.engine.dialect.name}:"
    )
    counts, seconds = scale.seed_scale(
        spec,
        today=date.today(),
        now=utcnow(),
        la_name=current_app.config["LA_NAME"],
        echo=click.echo,
    )
    click.echo("Rows written:")
    for table_name, count in counts.items():
        click.echo(f"  {table_name:<26} {count:>10,}")
    click.echo(f"  {'total':<26} {sum(counts.values()):>10,}")
    click.echo(f"Done in {seconds:.0f} s.")


@click.command("rebuild-attendance-totals")
def rebuild_attendance_totals():
    """Recompute the dashboard's attendance day totals from the attendance rows.

    The application keeps them in step itself; run this after loading attendance with SQL
    or another tool that bypasses it.
    """
    with db.engine.begin() as connection:
        days = attendance_totals.rebuild(connection)
    click.echo(f"Attendance day totals rebuilt: {days:,} rows.")


@click.command("backup")
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--force", is_flag=True, help="Replace PATH if it already exists.")
def backup_command(path: Path, force: bool):
    """Write a consistent copy of the database to PATH, while the app keeps running.

    SQLite: a copy of the database file, through SQLite's online backup API. PostgreSQL: a
    pg_dump custom-format file (the PostgreSQL client tools must be installed). PATH is
    written in one step (a temporary file, then renamed), readable by its owner only.
    """
    db.session.remove()  # hold no transaction open while the copy is taken
    try:
        copy = backup.backup(db.engine, path, force=force)
    except backup.BackupError as error:
        raise click.ClickException(str(error)) from None
    click.echo(
        f"Backed up the {backup.KINDS[copy.kind]} database to {copy.path}: {backup.describe(copy)}."
    )


@click.command("restore")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def restore_command(path: Path):
    """Restore a backup made by `flask backup` into the configured database, which must be empty.

    A SQLite backup goes into SQLite, a PostgreSQL one into PostgreSQL (through pg_restore).
    """
    db.session.remove()
    try:
        copy = backup.restore(db.engine, path)
    except backup.BackupError as error:
        raise click.ClickException(str(error)) from None
    click.echo(
        f"Restored {path} into the {backup.KINDS[copy.kind]} database: {copy.tables} tables."
    )
    click.echo(
        "Now run `flask db check` to confirm the schema matches this version of the "
        "application (if the backup is from an earlier release, run `flask db upgrade` first)."
    )
