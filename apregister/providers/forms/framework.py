"""The LA's framework decisions and a provider's compliance documents."""

from __future__ import annotations

from flask_wtf.file import FileField
from govuk_frontend_wtf.wtforms_widgets import (
    GovFileInput,
    GovRadioInput,
    GovSubmitInput,
    GovTextArea,
)
from wtforms import RadioField, SubmitField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional, ValidationError

from apregister.forms import DateInputField, FlaskForm, OneOf, blank_to_none, choices, strip
from apregister.models import DocumentKind, FrameworkDecision
from apregister.providers import rules
from apregister.providers.forms.fields import _text


class FrameworkDecisionForm(FlaskForm):
    decision = RadioField(
        "Decision",
        widget=GovRadioInput(),
        validate_choice=False,
        validators=[InputRequired(message="Select a decision"), OneOf("Select a decision")],
    )
    reason = TextAreaField(
        "Reason",
        widget=GovTextArea(),
        description="This is kept in the provider's framework history.",
        filters=[strip],
        validators=[
            InputRequired(message="Enter the reason for this decision"),
            Length(max=2000, message="Reason must be 2000 characters or fewer"),
        ],
    )
    override = TextAreaField(
        "Reason to approve without a complete checklist",
        widget=GovTextArea(),
        description="Only if you approve or reinstate before the checklist is complete.",
        filters=[strip, blank_to_none],
        validators=[
            Optional(),
            Length(max=2000, message="Reason must be 2000 characters or fewer"),
        ],
    )
    submit = SubmitField("Confirm decision", widget=GovSubmitInput())

    def __init__(self, *args, decisions: list[FrameworkDecision], **kwargs):
        super().__init__(*args, **kwargs)
        self.decision.choices = choices(
            (decision.value, rules.DECISION_LABELS[decision]) for decision in decisions
        )


class DocumentForm(FlaskForm):
    kind = RadioField(
        "Type of document",
        choices=choices((kind.value, kind.label) for kind in DocumentKind),
        widget=GovRadioInput(),
        validate_choice=False,
        validators=[
            InputRequired(message="Select the type of document"),
            OneOf("Select the type of document"),
        ],
    )
    title = _text(
        "Title",
        required="Enter a title for the document",
        hint="For example, Employers' and public liability insurance 2026 to 2027",
    )
    issued_on = DateInputField("Issue date (optional)", what="the issue date")
    expires_on = DateInputField(
        "Expiry date", what="the expiry date", description="Leave blank if it does not expire"
    )
    upload = FileField(
        "Upload a file",
        widget=GovFileInput(),
        description="PDF, DOCX, PNG or JPEG, smaller than 10MB",
    )
    submit = SubmitField("Upload document", widget=GovSubmitInput())

    def validate_expires_on(self, field):
        if field.data and self.issued_on.data and field.data <= self.issued_on.data:
            raise ValidationError("The expiry date must be after the issue date")
        if not field.data and self.kind.data == DocumentKind.INSURANCE:
            raise ValidationError("Enter the date the insurance expires")
