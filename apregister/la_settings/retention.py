"""The la_lead's retention page: how long pupils' details are kept after their last placement,
and a preview of what the worker's next nightly run will remove (apregister/retention.py)."""

from __future__ import annotations

from datetime import date

from flask import flash, redirect, render_template, url_for
from govuk_frontend_wtf.wtforms_widgets import GovSubmitInput
from wtforms import SubmitField

from apregister.access import role_required
from apregister.extensions import db
from apregister.forms import FlaskForm
from apregister.la_settings.blueprint import bp, whole_number
from apregister.models import Role
from apregister.retention import preview
from apregister.settings import current_settings


class RetentionForm(FlaskForm):
    retention_years = whole_number(
        "Years to keep a pupil's details",
        1,
        25,
        "Counted from the end of the pupil's last placement. For example, 6",
    )
    submit = SubmitField("Save", widget=GovSubmitInput())


@bp.route("/retention", methods=["GET", "POST"])
@role_required(Role.LA_LEAD)
def edit_retention():
    settings = current_settings()
    form = RetentionForm(obj=settings)
    if form.validate_on_submit():
        settings.retention_years = form.retention_years.data
        db.session.add(settings)  # the defaults, until someone first saves settings
        db.session.commit()
        flash(f"Pupils' details are now kept for {form.retention_years.data} years")
        return redirect(url_for(".edit_retention"))
    db.session.rollback()
    return render_template("la_settings/retention.html", form=form, preview=preview(date.today()))
