"""Each user chooses which kinds of message they get by email; safeguarding ones cannot be
switched off, so they are listed but not offered."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import select

from apregister.access import role_required
from apregister.extensions import db
from apregister.messages.kinds import KINDS, switchable
from apregister.models import MessagePreference, Role

bp = Blueprint("account", __name__, url_prefix="/account")

STAFF = (Role.LA_LEAD, Role.LA_OFFICER, Role.SCHOOL, Role.PROVIDER)


@bp.route("/messages", methods=["GET", "POST"])
@role_required(*STAFF)
def edit_message_preferences():
    offered = switchable(current_user.role)
    always = [k for k in KINDS.values() if current_user.role in k.roles and k.safeguarding]
    form = FlaskForm()
    if form.validate_on_submit():
        wanted = set(request.form.getlist("kinds"))
        off = {kind.key for kind in offered} - wanted  # unknown values are simply ignored
        # Through the ORM, one row per kind switched on or off, so the audit log records each.
        saved = {
            row.kind: row
            for row in db.session.scalars(
                select(MessagePreference).where(MessagePreference.user_id == current_user.id)
            )
        }
        for kind, row in saved.items():
            if kind not in off:
                db.session.delete(row)
        db.session.add_all(
            MessagePreference(user_id=current_user.id, kind=key) for key in off - saved.keys()
        )
        db.session.commit()
        flash("Your email choices are saved")
        return redirect(url_for(".edit_message_preferences"))
    off = set(
        db.session.scalars(
            select(MessagePreference.kind).where(MessagePreference.user_id == current_user.id)
        )
    )
    return render_template(
        "account/edit_message_preferences.html",
        form=form,
        offered=offered,
        always=always,
        off=off,
    )
