"""The LA's settings page: thresholds and working rules, changed by the la_lead only."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxInput,
    GovRadioInput,
    GovSubmitInput,
    GovTextInput,
)
from wtforms import BooleanField, DecimalField, IntegerField, RadioField, SubmitField
from wtforms.validators import InputRequired, NumberRange

from apregister.access import role_required
from apregister.extensions import db
from apregister.forms import OneOf, choices
from apregister.models import Role, ThresholdWording
from apregister.settings import current_settings

bp = Blueprint("la_settings", __name__, url_prefix="/settings")


def _whole(label: str, low: int, high: int, hint: str) -> IntegerField:
    return IntegerField(
        label,
        widget=GovTextInput(),
        description=hint,
        validators=[
            InputRequired(message=f"Enter {label.lower()} as a whole number"),
            NumberRange(min=low, max=high, message=f"{label} must be from {low} to {high}"),
        ],
    )


class SettingsForm(FlaskForm):
    full_time_hours = DecimalField(
        "Full-time hours each week",
        places=1,
        widget=GovTextInput(),
        description="The law sets no hours; 18 a week is the working guide DfE and LAs use",
        validators=[
            InputRequired(message="Enter the full-time hours, like 18"),
            NumberRange(min=1, max=50, message="Full-time hours must be from 1 to 50"),
        ],
    )
    threshold_pupils = _whole(
        "Full-time pupils that require registration",
        1,
        100,
        "Education and Skills Act 2008 s92: 5 or more pupils of compulsory school age",
    )
    threshold_vulnerable_pupils = _whole(
        "Full-time pupils with an EHC plan (or SEN) or looked after that require registration",
        1,
        100,
        "In force: 1 or more",
    )
    threshold_wording = RadioField(
        "Which pupils count singly",
        choices=choices((wording.value, wording.label) for wording in ThresholdWording),
        widget=GovRadioInput(),
        validate_choice=False,
        validators=[
            InputRequired(message="Select which pupils count"),
            OneOf("Select which pupils count"),
        ],
    )
    placement_weeks = _whole("Weeks a placement is planned for", 1, 52, "DfE: usually 12")
    unregistered_max_weeks = _whole(
        "Longest short placement at an unregistered provider, in weeks", 1, 52, "DfE: 12"
    )
    unregistered_max_sessions = _whole(
        "Most sessions a week for a longer placement at an unregistered provider",
        1,
        10,
        "DfE: 4 sessions (2 days)",
    )
    review_interval_days = _whole(
        "Days between reviews", 7, 120, "Reviews at least every half term: about 42 days"
    )
    allow_registered_off_framework = BooleanField(
        "Allow placements at registered schools and PRUs that are not on the framework",
        widget=GovCheckboxInput(),
    )
    submit = SubmitField("Save settings", widget=GovSubmitInput())


@bp.route("", methods=["GET", "POST"])
@role_required(Role.LA_LEAD)
def edit_settings():
    settings = current_settings()
    form = SettingsForm(obj=settings)
    if form.validate_on_submit():
        form.populate_obj(settings)
        settings.threshold_wording = ThresholdWording(form.threshold_wording.data)
        db.session.add(settings)
        db.session.commit()
        flash("Settings saved")
        return redirect(url_for(".edit_settings"))
    return render_template("la_settings/edit_settings.html", form=form)
