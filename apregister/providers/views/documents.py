"""A provider's own profile and compliance documents (the LA may do the same for any)."""

from __future__ import annotations

from flask import Response, abort, flash, redirect, render_template, url_for
from flask_login import current_user

from apregister.access import get_visible_or_404, managed_providers, role_required, visible
from apregister.extensions import db
from apregister.models import ComplianceDocument, DocumentKind, Provider, Role
from apregister.providers import operations
from apregister.providers.forms import DocumentForm, ProfileForm
from apregister.providers.views import bp
from apregister.uploads import CheckedFile, check_upload

MANAGERS = (Role.LA_LEAD, Role.LA_OFFICER, Role.PROVIDER)


@bp.route("/<int:provider_id>/profile", methods=["GET", "POST"])
@role_required(Role.PROVIDER)
def edit_own_profile(provider_id: int):
    provider = get_visible_or_404(Provider, provider_id, scope=managed_providers)
    form = ProfileForm(obj=provider)
    if form.validate_on_submit():
        values = {name: field.data for name, field in form._fields.items()}
        operations.update_own_profile(provider, values)
        db.session.commit()
        flash("Your details have been updated")
        return redirect(url_for(".show_provider", provider_id=provider.id))
    return render_template("providers/edit_own_profile.html", form=form, provider=provider)


@bp.route("/<int:provider_id>/documents/new", methods=["GET", "POST"])
@role_required(*MANAGERS)
def add_document(provider_id: int):
    provider = get_visible_or_404(Provider, provider_id, scope=managed_providers)
    form = DocumentForm()
    if form.validate_on_submit():
        upload = form.upload.data
        checked = (
            check_upload(upload.read(), stem=DocumentKind(form.kind.data).value.replace("_", "-"))
            if upload
            else "Select a file to upload"
        )
        if isinstance(checked, CheckedFile):
            operations.add_document(
                provider,
                kind=DocumentKind(form.kind.data),
                title=form.title.data,
                issued_on=form.issued_on.data,
                expires_on=form.expires_on.data,
                upload=checked,
                by=current_user,
            )
            db.session.commit()
            flash(f"{form.title.data} uploaded")
            return redirect(url_for(".show_provider", provider_id=provider.id))
        form.upload.errors = [checked]
    return render_template("providers/add_document.html", form=form, provider=provider)


@bp.route("/<int:provider_id>/documents/<int:document_id>")
@role_required(*MANAGERS)
def download_document(provider_id: int, document_id: int):
    document = get_visible_or_404(ComplianceDocument, document_id)
    if document.provider_id != provider_id:
        abort(404)
    content = db.session.scalar(
        visible(ComplianceDocument)
        .with_only_columns(ComplianceDocument.content)
        .where(ComplianceDocument.id == document.id)
    )
    return Response(
        content,
        mimetype=document.content_type,
        headers={
            "Content-Disposition": f'attachment; filename="{document.file_name}"',
            "X-Content-Type-Options": "nosniff",
        },
    )
