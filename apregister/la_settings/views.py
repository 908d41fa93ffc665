"""The LA's settings page: thresholds and working rules, changed by the la_lead only."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxesInput,
    GovRadioInput,
    GovSubmitInput,
    GovTextInput,
)
from wtforms import (
    DecimalField,
    HiddenField,
    RadioField,
    SelectMultipleField,
    StringField,
    SubmitField,
)
from wtforms.validators import InputRequired, NumberRange, ValidationError

from apregister.absences.rules import parse_cutoff
from apregister.access import role_required
from apregister.checks.rules import format_required, parse_required
from apregister.extensions import db
from apregister.forms import FlaskForm, OneOf, choices, strip
from apregister.la_settings.blueprint import KeepIfLeftOut, bp, whole_number
from apregister.models import (
    CheckItem,
    OffFrameworkKind,
    OffFrameworkPolicy,
    Role,
    ThresholdWording,
)
from apregister.settings import current_settings


class CutoffTime:
    def __call__(self, form, field):
        if field.data and parse_cutoff(field.data) is None:
            what = field.label.text.lower()
            raise ValidationError(f"Enter the {what} in 24-hour time, like 10:30")


def _cutoff(label: str, hint: str) -> StringField:
    return StringField(
        label,
        widget=GovTextInput(),
        description=f"{hint}. In 24-hour time, like 10:30",
        filters=[strip],
        validators=[
            KeepIfLeftOut(),
            InputRequired(message=f"Enter the {label.lower()}, like 10:30"),
            CutoffTime(),
        ],
    )


def _policy(kind: OffFrameworkKind) -> RadioField:
    return RadioField(
        f"Placements at {kind.label[0].lower()}{kind.label[1:]}",
        choices=choices((policy.value, policy.label) for policy in OffFrameworkPolicy),
        widget=GovRadioInput(),
        validate_choice=False,
        default=OffFrameworkPolicy.ALLOW.value,
        validators=[
            KeepIfLeftOut(),
            InputRequired(message="Select whether to allow or refuse these placements"),
            OneOf("Select whether to allow or refuse these placements"),
        ],
    )


class OneOfEachCheck:
    def __call__(self, form, field):
        known = {item.value for item in CheckItem}
        if any(value not in known for value in field.data or []):
            raise ValidationError("Select checks from the list")


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
    threshold_pupils = whole_number(
        "Full-time pupils that require registration",
        1,
        100,
        "Education and Skills Act 2008 s92: 5 or more pupils of compulsory school age",
    )
    threshold_vulnerable_pupils = whole_number(
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
    placement_weeks = whole_number("Weeks a placement is planned for", 1, 52, "DfE: usually 12")
    unregistered_max_weeks = whole_number(
        "Longest short placement at an unregistered provider, in weeks", 1, 52, "DfE: 12"
    )
    unregistered_max_sessions = whole_number(
        "Most sessions a week for a longer placement at an unregistered provider",
        1,
        10,
        "DfE: 4 sessions (2 days)",
    )
    unregistered_max_days = whole_number(
        "Most days a week for a longer placement at an unregistered provider",
        1,
        5,
        "DfE: 2 days",
        keep_if_left_out=True,
    )
    review_interval_days = whole_number(
        "Days between reviews", 7, 120, "Reviews at least every half term: about 42 days"
    )
    first_inspection_months = whole_number(
        "Months from approval to a new provider's first inspection",
        1,
        24,
        "Then every 12 months after the last visit",
        keep_if_left_out=True,
    )
    first_self_assessment_months = whole_number(
        "Months from approval to a new provider's first self-assessment",
        1,
        24,
        "Then every 12 months after the last accepted one",
        keep_if_left_out=True,
    )
    reminder_days = whole_number(
        "Days before a due date that reminders start",
        1,
        90,
        "Inspections, self-assessments and actions show as due soon from then",
        keep_if_left_out=True,
    )
    am_cutoff = _cutoff(
        "Morning cut-off time", "A morning session not recorded by then goes to the school"
    )
    pm_cutoff = _cutoff(
        "Afternoon cut-off time", "An afternoon session not recorded by then goes to the school"
    )
    absence_pattern_count = whole_number(
        "Absences that prompt an early review",
        1,
        20,
        "Absences followed up within the days below: 3, for example",
        keep_if_left_out=True,
    )
    absence_pattern_days = whole_number(
        "Within this many school days",
        1,
        60,
        "10, for example",
        keep_if_left_out=True,
    )
    not_on_framework_policy = _policy(OffFrameworkKind.NOT_ON_FRAMEWORK)
    suspended_policy = _policy(OffFrameworkKind.SUSPENDED)
    removed_policy = _policy(OffFrameworkKind.REMOVED)
    required_checks = SelectMultipleField(
        "Checks a placement needs before it starts",
        choices=choices((item.value, item.label) for item in CheckItem),
        widget=GovCheckboxesInput(),
        validate_choice=False,
        description="A placement is ready to start when every check selected here is done",
        validators=[OneOfEachCheck()],
    )
    # sent by the page with the checkboxes, so that an older post without them (none ticked
    # looks the same as left out) keeps the saved choice
    required_checks_shown = HiddenField(default="1")
    require_two_factor_for_all = RadioField(
        "Who must sign in with two-factor sign-in",
        choices=choices(
            [
                ("la", "LA staff only"),
                ("all", "Everyone: LA staff, schools, providers and the improvement board"),
            ]
        ),
        widget=GovRadioInput(),
        validate_choice=False,
        description="LA staff always sign in with a code from an authenticator app as well "
        "as a password. Everyone else is asked to set it up at their next sign-in",
        validators=[
            KeepIfLeftOut(),
            InputRequired(message="Select who must use two-factor sign-in"),
            OneOf("Select who must use two-factor sign-in"),
        ],
    )
    submit = SubmitField("Save settings", widget=GovSubmitInput())


@bp.route("", methods=["GET", "POST"])
@role_required(Role.LA_LEAD)
def edit_settings():
    settings = current_settings()
    form = SettingsForm(obj=settings)
    two_factor_for_all = settings.require_two_factor_for_all
    if not form.is_submitted():
        form.required_checks.data = sorted(parse_required(settings.required_checks))
        form.require_two_factor_for_all.data = "all" if two_factor_for_all else "la"
    if form.validate_on_submit():
        saved_checks = settings.required_checks
        form.populate_obj(settings)
        settings.require_two_factor_for_all = (
            form.require_two_factor_for_all.data == "all"
            if form.require_two_factor_for_all.raw_data
            else two_factor_for_all
        )
        settings.required_checks = (
            format_required(form.required_checks.data or [])
            if form.required_checks_shown.raw_data
            else saved_checks
        )
        for name in ("am_cutoff", "pm_cutoff"):  # kept as HH:MM
            at = parse_cutoff(getattr(settings, name))
            setattr(settings, name, f"{at:%H:%M}")
        settings.threshold_wording = ThresholdWording(form.threshold_wording.data)
        for kind in OffFrameworkKind:
            setattr(
                settings,
                f"{kind.value}_policy",
                OffFrameworkPolicy(getattr(settings, f"{kind.value}_policy")),
            )
        db.session.add(settings)
        db.session.commit()
        flash("Settings saved")
        return redirect(url_for(".edit_settings"))
    return render_template("la_settings/edit_settings.html", form=form)
