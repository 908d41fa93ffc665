"""`flask import-providers`: the LA lead's import page's code, from the command line."""

from __future__ import annotations

import hashlib
from datetime import date
from pathlib import Path

import click

from apregister.extensions import db
from apregister.imports import engine
from apregister.imports.files import ImportFileError
from apregister.settings import current_settings


@click.command("import-providers")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--skip-invalid", is_flag=True, help="Load the valid rows and skip the others.")
def import_providers(file: Path, skip_invalid: bool):
    """Load providers from a CSV or XLSX file, as the LA lead's import page does.

    Every row is checked first; unless --skip-invalid is given, one bad row means nothing is
    written. Providers already on the register (by URN, UKPRN or name) are updated.
    """
    today, settings = date.today(), current_settings()
    content = file.read_bytes()
    kind = engine.kind_named("providers")
    try:
        checked = engine.check(kind, content, today=today, settings=settings)
    except ImportFileError as error:
        raise click.ClickException(f"{file.name}: {error}\nNothing was imported.") from None
    for error in checked.errors:
        where = f"row {error.line}, {error.column}" if error.column else f"row {error.line}"
        click.echo(f"{where}: {error.message}", err=True)
    skipped = checked.counts.get("invalid", 0)
    if skipped and not skip_invalid:
        raise click.ClickException(
            f"{skipped} row{'s' if skipped != 1 else ''} in {file.name} "
            f"{'have' if skipped != 1 else 'has'} errors. Nothing was imported: correct "
            "them, or use --skip-invalid to load only the valid rows."
        )
    sha256 = hashlib.sha256(content).hexdigest()
    try:
        counts = engine.write(
            kind,
            content,
            detail=f"Imported from {file.name[:150]} (SHA-256 {sha256})",
            only_valid=True,
            today=today,
            settings=settings,
            by=None,
        )
    except (engine.StopImport, ImportFileError) as error:
        db.session.rollback()
        raise click.ClickException(f"{file.name}: {error}") from None
    db.session.commit()
    click.echo(
        f"{counts.get('create', 0)} added, {counts.get('update', 0)} updated, "
        f"{counts.get('unchanged', 0)} unchanged, {skipped} skipped."
    )
