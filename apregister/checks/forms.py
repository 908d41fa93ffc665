"""Forms for the pre-start checks, the agreement's contacts and its confirmation."""

from __future__ import annotations

from govuk_frontend_wtf.wtforms_widgets import GovSubmitInput, GovTextArea, GovTextInput
from wtforms import StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from apregister.forms import (
    DateInputField,
    DateRequired,
    EmailAddress,
    FlaskForm,
    blank_to_none,
    strip,
)
from apregister.models import CheckItem
from apregister.providers.forms import Normalise
from apregister.providers.rules import normalise_phone


def _details(label: str, message: str, hint: str | None = None) -> TextAreaField:
    return TextAreaField(
        label,
        widget=GovTextArea(),
        description=hint,
        filters=[strip],
        validators=[
            DataRequired(message=message),
            Length(max=5000, message=f"{label} must be 5000 characters or fewer"),
        ],
    )


def _line(label: str, message: str, hint: str | None = None) -> StringField:
    return StringField(
        label,
        widget=GovTextInput(),
        description=hint,
        filters=[strip],
        validators=[
            DataRequired(message=message),
            Length(max=200, message=f"{label} must be 200 characters or fewer"),
        ],
    )


def _date(label: str, what: str, message: str) -> DateInputField:
    return DateInputField(label, what=what, validators=[DateRequired(message)])


class StaffChecksForm(FlaskForm):
    given_by = _line(
        "Who at the provider confirmed the checks",
        "Enter who at the provider confirmed the checks",
        "Name and role, for example Jo Smith, head of centre",
    )
    given_on = _date(
        "Date of the written confirmation",
        "the date of the written confirmation",
        "Enter the date of the written confirmation",
    )
    details = _details(
        "What the confirmation covers",
        "Enter what the confirmation covers",
        "For example: enhanced DBS with barred list checks for every member of staff working "
        "with the pupil, as Keeping children safe in education requires",
    )
    submit = SubmitField("Save", widget=GovSubmitInput())


class RiskAssessmentForm(FlaskForm):
    details = _details(
        "Summary of the risk assessment",
        "Enter a summary of the risk assessment",
        "The main risks, what will be done about them, and where the full assessment is kept",
    )
    submit = SubmitField("Save", widget=GovSubmitInput())


class ParentAgreementForm(FlaskForm):
    given_by = _line(
        "Who agreed", "Enter who agreed", "Name and relationship, for example Ann Lee, mother"
    )
    given_on = _date("When they agreed", "the date they agreed", "Enter the date they agreed")
    given_how = _line(
        "How they agreed", "Enter how they agreed", "For example, in a meeting at school"
    )
    details = _details("What they agreed to", "Enter what they agreed to")
    submit = SubmitField("Save", widget=GovSubmitInput())


class PupilViewsForm(FlaskForm):
    details = _details(
        "The pupil's views",
        "Enter the pupil's views",
        "In the pupil's own words where you can",
    )
    submit = SubmitField("Save", widget=GovSubmitInput())


class TransportLunchForm(FlaskForm):
    details = _details(
        "Transport and lunch arrangements",
        "Enter the transport and lunch arrangements",
        "How the pupil gets there and back, who pays, and what they do for lunch",
    )
    submit = SubmitField("Save", widget=GovSubmitInput())


FORMS = {
    CheckItem.STAFF_CHECKS: StaffChecksForm,
    CheckItem.RISK_ASSESSMENT: RiskAssessmentForm,
    CheckItem.PARENT_AGREEMENT: ParentAgreementForm,
    CheckItem.PUPIL_VIEWS: PupilViewsForm,
    CheckItem.TRANSPORT_LUNCH: TransportLunchForm,
}


class ConfirmByCommissionerForm(FlaskForm):
    details = _details(
        "Who does what",
        "Enter who does what",
        "Who takes the register, who follows up absence, who the pupil tells if worried, "
        "who reviews the placement and how progress is shared",
    )
    submit = SubmitField("Confirm the agreement", widget=GovSubmitInput())


class ConfirmByProviderForm(FlaskForm):
    submit = SubmitField("Confirm the agreement", widget=GovSubmitInput())


def _optional(label: str, max_length: int, extra=()) -> StringField:
    return StringField(
        label,
        widget=GovTextInput(),
        filters=[strip, blank_to_none],
        validators=[
            Optional(),
            Length(max=max_length, message=f"{label} must be {max_length} characters or fewer"),
            *extra,
        ],
    )


def _contact(who: str):
    phone = Normalise(normalise_phone, "Enter a UK telephone number, like 01632 960 001")
    return (
        _optional(f"{who}: name", 200),
        _optional(f"{who}: telephone", 20, [phone]),
        _optional(f"{who}: email", 254, [EmailAddress()]),
    )


class ContactsForm(FlaskForm):
    dsl_name, dsl_phone, dsl_email = _contact("Home school's designated safeguarding lead")
    lead_name, lead_phone, lead_email = _contact("Home school's placement lead")
    provider_contact_name, provider_contact_phone, provider_contact_email = _contact(
        "Provider's contact"
    )
    submit = SubmitField("Save contacts", widget=GovSubmitInput())
