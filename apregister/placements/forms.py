"""The form for adding a placement, and the list filters."""

from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxesInput,
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import (
    BooleanField,
    DecimalField,
    HiddenField,
    RadioField,
    SelectField,
    SelectMultipleField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, NumberRange, Optional, ValidationError

from apregister.forms import DateInputField, DateRequired, OneOf, choices, int_or_zero, strip
from apregister.models import PlacementReason, PlacementStatus
from apregister.placements.rules import SLOT_CHOICES


class PlacementForm(FlaskForm):
    submission_key = HiddenField()
    pupil_id = SelectField(
        "Pupil",
        coerce=int_or_zero,
        widget=GovSelect(),
        validate_choice=False,
        validators=[OneOf("Select the pupil")],
    )
    provider_id = SelectField(
        "Provider",
        coerce=int_or_zero,
        widget=GovSelect(),
        validate_choice=False,
        description="Only providers approved on the framework are listed",
        validators=[OneOf("Select a provider approved on the framework")],
    )
    reason = RadioField(
        "Reason for the placement",
        choices=choices((reason.value, reason.label) for reason in PlacementReason),
        widget=GovRadioInput(),
        validate_choice=False,
        validators=[
            InputRequired(message="Select the reason for the placement"),
            OneOf("Select the reason for the placement"),
        ],
    )
    start_date = DateInputField(
        "Start date",
        what="the start date",
        validators=[DateRequired("Enter the start date")],
    )
    planned_end = DateInputField(
        "Planned end date (optional)",
        what="the planned end date",
        description="Leave blank for 12 weeks after the start",
    )
    sessions = SelectMultipleField(
        "Sessions each week",
        choices=choices(SLOT_CHOICES),
        widget=GovCheckboxesInput(),
        validate_choice=False,
        description="Select every session the pupil attends",
    )
    hours_per_week = DecimalField(
        "Hours each week",
        places=1,
        widget=GovTextInput(),
        validators=[
            InputRequired(message="Enter the hours each week, like 12.5"),
            NumberRange(min=0.5, max=50, message="Hours each week must be from 0.5 to 50"),
        ],
    )
    full_time = RadioField(
        "Full time or part time",
        choices=choices([("full", "Full time"), ("part", "Part time")]),
        widget=GovRadioInput(),
        validate_choice=False,
        validators=[
            InputRequired(message="Select full time or part time"),
            OneOf("Select full time or part time"),
        ],
    )
    cost_per_week = DecimalField(
        "Cost each week (£, optional)",
        places=2,
        widget=GovTextInput(),
        validators=[
            Optional(),
            NumberRange(min=0, max=100000, message="Cost must be an amount in pounds, like 450"),
        ],
    )
    objectives = TextAreaField(
        "Objectives",
        widget=GovTextArea(),
        description="One objective on each line. They must be agreed before the placement starts",
        filters=[strip],
        validators=[
            InputRequired(message="Enter the placement's objectives"),
            Length(max=4000, message="Objectives must be 4000 characters or fewer"),
        ],
    )
    reintegration_plan = TextAreaField(
        "Reintegration plan and timeline",
        widget=GovTextArea(),
        description="How and when the pupil returns to school full time",
        filters=[strip],
        validators=[
            InputRequired(message="Enter the reintegration plan and timeline"),
            Length(max=4000, message="The plan must be 4000 characters or fewer"),
        ],
    )
    confirmed = HiddenField()
    submit = SubmitField("Continue", widget=GovSubmitInput())

    def __init__(self, *args, pupils=(), providers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.pupil_id.choices = choices(
            [(0, "Select a pupil")] + [(pupil.id, pupil_label(pupil)) for pupil in pupils]
        )
        self.provider_id.choices = choices(
            [(0, "Select a provider")] + [(provider.id, provider.name) for provider in providers]
        )

    def validate_pupil_id(self, field):
        if not field.data:
            raise ValidationError("Select the pupil")

    def validate_provider_id(self, field):
        if not field.data:
            raise ValidationError("Select a provider approved on the framework")

    def validate_sessions(self, field):
        allowed = {value for value, _ in SLOT_CHOICES}
        if not field.data:
            raise ValidationError("Select at least one session")
        if any(value not in allowed for value in field.data):
            raise ValidationError("Select sessions from the list")

    def validate_planned_end(self, field):
        if field.data and self.start_date.data and field.data <= self.start_date.data:
            raise ValidationError("The planned end date must be after the start date")


def pupil_label(pupil) -> str:
    return f"{pupil.last_name}, {pupil.first_name} ({pupil.owner.name})"


class PlacementFilterForm(FlaskForm):
    class Meta:
        csrf = False

    status = SelectField("Status", widget=GovSelect(), validate_choice=False)
    provider_id = SelectField(
        "Provider", coerce=int_or_zero, widget=GovSelect(), validate_choice=False
    )
    school_id = SelectField("School", coerce=int_or_zero, widget=GovSelect(), validate_choice=False)
    reason = SelectField("Reason", widget=GovSelect(), validate_choice=False)
    past_12_weeks = BooleanField("Past 12 weeks")
    review_overdue = BooleanField("Review overdue")
    extension_pending = BooleanField("Extension waiting for a decision")
    submit = SubmitField("Apply filters", widget=GovSubmitInput())

    def __init__(self, *args, providers=(), schools=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.status.choices = choices(
            [("", "Any")] + [(status.value, status.label) for status in PlacementStatus]
        )
        self.provider_id.choices = choices([(0, "Any")] + [(p.id, p.name) for p in providers])
        self.school_id.choices = choices([(0, "Any")] + [(s.id, s.name) for s in schools])
        self.reason.choices = choices(
            [("", "Any")] + [(reason.value, reason.label) for reason in PlacementReason]
        )
