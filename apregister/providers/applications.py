"""Public pages: apply to join the framework, and accept an invitation to the service."""

from __future__ import annotations

from datetime import date

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)

from apregister.extensions import db
from apregister.models.base import utcnow
from apregister.providers import invitations, operations
from apregister.providers.application_forms import ApplyForm
from apregister.providers.applying import APPLICATION_DOCUMENTS, is_reference
from apregister.providers.forms import SetPasswordForm
from apregister.providers.views.common import commit_or_clash, details_from, found_clashes
from apregister.uploads import MAX_UPLOAD_BYTES

bp = Blueprint("applications", __name__)

# The confirmation page reads the applicant's own reference from their session: there is no
# id in its address to change.
SENT_KEY = "application_sent"


@bp.url_value_preprocessor
def _room_for_documents(endpoint: str | None, values: dict | None) -> None:
    """An application may carry one file of each kind: the request limit grows by one upload
    per extra file. Set before any request hook reads the form (CSRF, the rate limit)."""
    if endpoint == "applications.apply_to_join":
        extra = (len(APPLICATION_DOCUMENTS) - 1) * MAX_UPLOAD_BYTES
        request.max_content_length = current_app.config["MAX_CONTENT_LENGTH"] + extra


@bp.route("/apply", methods=["GET", "POST"])
def apply_to_join():
    form = ApplyForm()
    if form.validate_on_submit() and not found_clashes(form):
        provider = operations.apply_to_join(
            details_from(form), today=date.today(), documents=form.documents
        )
        sent = {
            "reference": provider.application_reference,
            "documents": [document.kind.value for document in form.documents],
        }
        if commit_or_clash(form):
            session[SENT_KEY] = sent
            return redirect(url_for(".application_sent"))
    return render_template("providers/apply_to_join.html", form=form)


@bp.route("/apply/sent")
def application_sent():
    sent = session.get(SENT_KEY)
    if not isinstance(sent, dict) or not is_reference(str(sent.get("reference", ""))):
        # nothing sent from this browser: never anyone else's confirmation
        return render_template("providers/application_not_found.html"), 404
    kinds = {str(value) for value in sent.get("documents", [])}
    return render_template(
        "providers/application_sent.html",
        reference=sent["reference"],
        sent=[kind for kind in APPLICATION_DOCUMENTS if kind.value in kinds],
        missing=[kind for kind in APPLICATION_DOCUMENTS if kind.value not in kinds],
    )


@bp.route("/invitations/<token>", methods=["GET", "POST"])
def accept_invitation(token: str):
    invitation = invitations.find_invitation(token, utcnow())
    if invitation is None:
        abort(404)
    user = invitation.user
    form = SetPasswordForm(user_inputs=[user.email, user.name])
    if form.validate_on_submit():
        invitations.accept_invitation(invitation, password=form.password.data, now=utcnow())
        db.session.commit()
        flash("Your password has been set. Sign in to continue")
        return redirect(url_for("auth.sign_in"))
    return render_template("providers/accept_invitation.html", form=form, user=user)
