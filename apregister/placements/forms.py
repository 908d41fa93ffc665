"""The form for adding a placement, and the list filters."""

from __future__ import annotations

from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxesInput,
    GovCheckboxInput,
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
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)

from apregister.forms import (
    DateInputField,
    DateRequired,
    FlaskForm,
    OneOf,
    choices,
    int_or_zero,
    strip,
)
from apregister.models import OffFrameworkKind, PlacementReason, PlacementStatus
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
        description=(
            "Every provider on the register is listed. A provider that is not approved on "
            "the framework is marked as such, and the LA reviews the placement"
        ),
        validators=[OneOf("Select the provider")],
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
    # asked on the check page, when they apply
    off_framework_reason = TextAreaField(
        "Why are you placing the pupil with a provider that is not approved?",
        widget=GovTextArea(),
        description="The LA reviews every placement made off the framework",
        filters=[strip],
        validators=[Length(max=2000, message="The reason must be 2000 characters or fewer")],
    )
    confirmed_status = BooleanField(
        "I know the provider's status and still want to place the pupil there",
        widget=GovCheckboxInput(),
    )
    warnings_reason = TextAreaField(
        "Why should the placement go ahead despite the warnings?",
        widget=GovTextArea(),
        description="Your reason is kept with the placement, and the LA sees it",
        filters=[strip],
        validators=[Length(max=2000, message="The reason must be 2000 characters or fewer")],
    )
    confirmed = HiddenField()
    submit = SubmitField("Continue", widget=GovSubmitInput())

    # the check page's own questions: shown there, not carried as hidden fields
    CHECK_FIELDS = ("off_framework_reason", "confirmed_status", "warnings_reason")

    def __init__(self, *args, pupils=(), providers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.pupil_id.choices = choices(
            [(0, "Select a pupil")] + [(pupil.id, pupil_label(pupil)) for pupil in pupils]
        )
        self.provider_id.choices = choices(
            [(0, "Select a provider")]
            + [(provider.id, provider_label(provider)) for provider in providers]
        )

    def validate_pupil_id(self, field):
        if not field.data:
            raise ValidationError("Select the pupil")

    def validate_provider_id(self, field):
        if not field.data:
            raise ValidationError("Select the provider")

    def validate_sessions(self, field):
        allowed = {value for value, _ in SLOT_CHOICES}
        if not field.data:
            raise ValidationError("Select at least one session")
        if any(value not in allowed for value in field.data):
            raise ValidationError("Select sessions from the list")

    def validate_planned_end(self, field):
        if field.data and self.start_date.data and field.data <= self.start_date.data:
            raise ValidationError("The planned end date must be after the start date")


def provider_label(provider) -> str:
    """The provider's name, and its framework status when it is not approved."""
    kind = provider.framework_status.off_framework_kind
    if kind is None:
        return provider.name
    if kind is OffFrameworkKind.NOT_ON_FRAMEWORK:
        return f"{provider.name} (not on the framework)"
    return f"{provider.name} ({provider.framework_status.label.lower()})"


def pupil_label(pupil) -> str:
    return f"{pupil.last_name}, {pupil.first_name} ({pupil.owner.name})"


class PlacementFilterForm(FlaskForm):
    class Meta:
        csrf = False

    status = SelectField("Status", widget=GovSelect(), validate_choice=False)
    # A name typed (an accessible autocomplete where JavaScript runs), and the id of the one
    # chosen: organisation_filter.resolve. No list of a thousand options.
    provider = StringField(
        "Provider", widget=GovTextInput(), filters=[strip], description="Type part of its name"
    )
    provider_id = HiddenField(filters=[int_or_zero])
    school = StringField(
        "School", widget=GovTextInput(), filters=[strip], description="Type part of its name"
    )
    school_id = HiddenField(filters=[int_or_zero])
    reason = SelectField("Reason", widget=GovSelect(), validate_choice=False)
    past_12_weeks = BooleanField("Past 12 weeks")
    overrunning = BooleanField("Overrunning: past the planned end, not ended")
    review_overdue = BooleanField("Review overdue")
    review_due = BooleanField("Review due within a week, or overdue")
    extension_pending = BooleanField("Extension waiting for a decision")
    extension_decided = BooleanField("Extension decided in the last 30 days")
    off_framework = SelectField("Off framework", widget=GovSelect(), validate_choice=False)
    provider_lapsed = BooleanField("At a provider since suspended or removed")
    unregistered_breach = BooleanField("Beyond the DfE limits for unregistered provision")
    started_without_checks = BooleanField("Running without its checks before the start")
    submit = SubmitField("Apply filters", widget=GovSubmitInput())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.status.choices = choices(
            [("", "Any")] + [(status.value, status.label) for status in PlacementStatus]
        )
        self.reason.choices = choices(
            [("", "Any")] + [(reason.value, reason.label) for reason in PlacementReason]
        )
        self.off_framework.choices = choices(OFF_FRAMEWORK_CHOICES)


OFF_FRAMEWORK_CHOICES = [
    ("", "Any"),
    ("yes", "Off framework"),
    ("to_review", "Off framework, not yet reviewed by the LA"),
    ("no", "On the framework"),
]


class OffFrameworkReviewForm(FlaskForm):
    note = TextAreaField(
        "What did you find, and what happens next?",
        widget=GovTextArea(),
        description=(
            "For example, the checks you made on the setting, whether the placement may go "
            "on, and anything the school must do. The school sees this on the placement"
        ),
        filters=[strip],
        validators=[
            DataRequired(message="Enter what you found and what happens next"),
            Length(max=2000, message="The review must be 2000 characters or fewer"),
        ],
    )
    submit = SubmitField("Record the review", widget=GovSubmitInput())
