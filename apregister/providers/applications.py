"""Public pages: apply to join the framework, and accept an invitation to the service."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, abort, flash, redirect, render_template, url_for

from apregister.extensions import db
from apregister.models.base import utcnow
from apregister.providers import invitations, operations
from apregister.providers.forms import ApplicationForm, SetPasswordForm
from apregister.providers.views.common import commit_or_clash, details_from, found_clashes

bp = Blueprint("applications", __name__)


@bp.route("/apply", methods=["GET", "POST"])
def apply_to_join():
    form = ApplicationForm()
    if form.validate_on_submit() and not found_clashes(form):
        operations.apply_to_join(details_from(form), today=date.today())
        if commit_or_clash(form):
            return redirect(url_for(".application_sent"))
    return render_template("providers/apply_to_join.html", form=form)


@bp.route("/apply/sent")
def application_sent():
    return render_template("providers/application_sent.html")


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
