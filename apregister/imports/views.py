"""The LA lead's import pages: start one, watch it being checked, confirm or cancel, download
the templates and a file's error report."""

from __future__ import annotations

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select
from werkzeug.exceptions import RequestEntityTooLarge

from apregister.access import get_visible_or_404, role_required, visible
from apregister.exports import csv_response
from apregister.extensions import db
from apregister.imports import blanks, jobs
from apregister.imports.files import MAX_FILE_BYTES, ImportFileError, file_type, size_problem
from apregister.imports.forms import CancelImportForm, ConfirmImportForm, StartImportForm
from apregister.imports.kinds.registry import KINDS
from apregister.models import ImportJob, ImportStatus, Role

bp = Blueprint("imports", __name__, url_prefix="/imports")

RECENT = 20  # imports listed on the start page
ERRORS_SHOWN = 100  # row errors on the page; the report has them all


@bp.url_value_preprocessor
def _room_for_a_spreadsheet(endpoint: str | None, values: dict | None) -> None:
    """An import may be larger than a document upload: the request limit grows for it alone
    (set before any request hook reads the form)."""
    if endpoint == "imports.start_import":
        request.max_content_length = MAX_FILE_BYTES + 1024 * 1024


def _upload(form: StartImportForm) -> tuple[bytes, str] | None:
    """The file's bytes and type, or None with the field's error set."""
    upload = form.upload.data
    if not upload or not getattr(upload, "filename", ""):
        form.upload.errors = ["Select a file to import"]
        return None
    content = upload.read(MAX_FILE_BYTES + 1)  # the request limit allows a little more
    problem = size_problem(len(content))
    if problem is None:
        try:
            return content, file_type(content)
        except ImportFileError as refused:
            problem = str(refused)
    form.upload.errors = [problem]
    return None


TOO_LARGE = f"The selected file must be smaller than {MAX_FILE_BYTES // 2**20}MB"


@bp.errorhandler(RequestEntityTooLarge)
def _too_large(error):
    """Refused before the form is read (by the CSRF check, say): the page again, with the
    field's error."""
    db.session.rollback()
    form = StartImportForm(formdata=None)
    form.upload.errors = [TOO_LARGE]
    return _start_page(form)


@bp.route("", methods=["GET", "POST"])
@role_required(Role.LA_LEAD)
def start_import():
    form = StartImportForm()
    if form.validate_on_submit() and (upload := _upload(form)) is not None:
        content, kind_of_file = upload
        job = jobs.start(
            form.kind.data,
            file_name=form.upload.data.filename,
            content=content,
            file_type=kind_of_file,
            by=current_user,
        )
        db.session.commit()
        if jobs.in_request(job):
            jobs.run(job)
        return redirect(url_for(".show_import", import_id=job.id))
    return _start_page(form)


def _start_page(form: StartImportForm):
    recent = db.session.scalars(
        visible(ImportJob).order_by(ImportJob.id.desc()).limit(RECENT)
    ).all()
    return render_template("imports/start_import.html", form=form, kinds=KINDS, recent=recent), (
        400 if form.errors else 200
    )


@bp.route("/<int:import_id>")
@role_required(Role.LA_LEAD)
def show_import(import_id: int):
    job = get_visible_or_404(ImportJob, import_id)
    errors = shown_errors = []
    if job.status in (ImportStatus.CHECKED, ImportStatus.IMPORTED, ImportStatus.FAILED):
        errors = db.session.scalar(select(ImportJob.row_errors).where(ImportJob.id == job.id)) or []
        shown_errors = errors[:ERRORS_SHOWN]
    preview = db.session.scalar(select(ImportJob.preview).where(ImportJob.id == job.id)) or {}
    return render_template(
        "imports/show_import.html",
        job=job,
        kind=KINDS[job.kind],
        counts=job.counts or {},
        errors=shown_errors,
        error_total=len(errors),
        preview=preview,
        confirm_form=ConfirmImportForm(),
        cancel_form=CancelImportForm(),
    )


@bp.route("/<int:import_id>/confirm", methods=["POST"])
@role_required(Role.LA_LEAD)
def confirm_import(import_id: int):
    job = get_visible_or_404(ImportJob, import_id)
    db.session.refresh(job, with_for_update=True)  # a second click waits, then finds it taken
    form = ConfirmImportForm()
    if not form.validate_on_submit():
        abort(400)
    if job.status is not ImportStatus.CHECKED:  # a second click: the page says where it is
        return redirect(url_for(".show_import", import_id=job.id))
    counts = job.counts or {}
    to_write = counts.get("create", 0) + counts.get("update", 0)
    if counts.get("invalid") and not form.only_valid.data:
        form.only_valid.errors = [
            "Some rows have errors: correct them and check the file again, or choose to "
            "import only the rows without errors"
        ]
    elif not to_write:
        form.only_valid.errors = [
            "There is nothing to import: every valid row is already on "
            "the register as it is in the file"
        ]
    if form.only_valid.errors:
        return render_template(
            "imports/show_import.html",
            job=job,
            kind=KINDS[job.kind],
            counts=counts,
            errors=(
                db.session.scalar(select(ImportJob.row_errors).where(ImportJob.id == job.id)) or []
            )[:ERRORS_SHOWN],
            error_total=counts.get("invalid", 0),
            preview=db.session.scalar(select(ImportJob.preview).where(ImportJob.id == job.id))
            or {},
            confirm_form=form,
            cancel_form=CancelImportForm(),
        ), 400
    jobs.confirm(job, only_valid=bool(form.only_valid.data))
    db.session.commit()
    if jobs.in_request(job):
        jobs.run(job)
        if job.status is ImportStatus.IMPORTED:
            flash(f"{job.counts.get('written', 0):,} {KINDS[job.kind].noun}s imported")
    return redirect(url_for(".show_import", import_id=job.id))


@bp.route("/<int:import_id>/cancel", methods=["POST"])
@role_required(Role.LA_LEAD)
def cancel_import(import_id: int):
    job = get_visible_or_404(ImportJob, import_id)
    db.session.refresh(job, with_for_update=True)
    form = CancelImportForm()
    if not form.validate_on_submit():
        abort(400)
    if job.status in (
        ImportStatus.WAITING_CHECK,
        ImportStatus.CHECKED,
        ImportStatus.REFUSED,
        ImportStatus.FAILED,
    ):
        jobs.cancel(job)
        db.session.commit()
        flash("Import cancelled: nothing was imported from the file")
    return redirect(url_for(".start_import"))


@bp.route("/<int:import_id>/errors.csv")
@role_required(Role.LA_LEAD)
def download_import_errors(import_id: int):
    job = get_visible_or_404(ImportJob, import_id)
    errors = db.session.scalar(select(ImportJob.row_errors).where(ImportJob.id == job.id)) or []
    return csv_response(
        f"import-{job.id}-errors.csv", blanks.ERROR_HEADINGS, blanks.error_rows(errors)
    )


@bp.route("/templates/<kind>.<any(xlsx, csv):extension>")
@role_required(Role.LA_LEAD)
def download_import_template(kind: str, extension: str):
    chosen = KINDS.get(kind)
    if chosen is None:
        abort(404)
    if extension == "xlsx":
        response = Response(blanks.template_xlsx(chosen), mimetype=blanks.XLSX_TYPE)
    else:
        response = Response(blanks.template_csv(chosen), mimetype="text/csv; charset=utf-8")
    response.headers["Content-Disposition"] = (
        f'attachment; filename="{chosen.name}-template.{extension}"'
    )
    return response
