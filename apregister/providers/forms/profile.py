"""A provider's details: its identity, what it offers and how to reach it."""

from __future__ import annotations

from datetime import date

from govuk_frontend_wtf.wtforms_widgets import (
    GovCharacterCount,
    GovSelect,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import DecimalField, IntegerField, SelectField, SubmitField, TextAreaField
from wtforms.validators import InputRequired, Length, NumberRange, Optional, ValidationError

from apregister.forms import DateInputField, FlaskForm, OneOf, blank_to_none, choices, strip
from apregister.models import KeyStage, OfstedJudgement, ProvisionType, RegistrationType, Specialism
from apregister.providers import rules
from apregister.providers.forms.fields import Check, Normalise, _email, _phone, _tags, _text


class IdentityFields(FlaskForm):
    name = _text("Provider name", required="Enter the provider's name")
    registration_type = SelectField(
        "Type of setting",
        choices=choices(
            [("", "Select the type of setting")]
            + [(member.value, member.label) for member in RegistrationType]
        ),
        widget=GovSelect(),
        validate_choice=False,
        description="Registered settings are inspected by Ofsted; unregistered ones are not.",
        validators=[
            InputRequired(message="Select the type of setting"),
            OneOf("Select the type of setting"),
        ],
    )
    legal_name = _text("Legal entity name", hint="The company, charity or person that runs it")
    company_number = _text(
        "Company number",
        max_length=8,
        extra=[Check(rules.company_number_problem)],
    )
    charity_number = _text(
        "Charity number", max_length=8, extra=[Check(rules.charity_number_problem)]
    )
    urn = _text(
        "URN",
        max_length=6,
        hint="The unique reference number on Get Information about Schools, if it has one",
        extra=[Check(rules.urn_problem)],
    )
    ukprn = _text(
        "UKPRN",
        max_length=8,
        hint="UK provider reference number, if it has one",
        extra=[Check(rules.ukprn_problem)],
    )
    ofsted_judgement = SelectField(
        "Latest Ofsted judgement",
        choices=choices(
            [("", "None or not applicable")]
            + [(member.value, member.label) for member in OfstedJudgement]
        ),
        widget=GovSelect(),
        validate_choice=False,
        filters=[blank_to_none],
        validators=[Optional(), OneOf("Select the latest Ofsted judgement from the list")],
    )
    ofsted_date = DateInputField(
        "Date of the latest Ofsted judgement", what="the date of the Ofsted judgement"
    )

    def validate_ofsted_date(self, field):
        if field.data and field.data > date.today():
            raise ValidationError("The date of the Ofsted judgement must be today or in the past")
        if field.data and not self.ofsted_judgement.data:
            raise ValidationError("Select the judgement given on this date, or clear the date")


class OfferFields(FlaskForm):
    description = TextAreaField(
        "What the provision offers",
        widget=GovCharacterCount(),
        filters=[strip, blank_to_none],
        validators=[
            Optional(),
            Length(max=2000, message="Description must be 2000 characters or fewer"),
        ],
    )
    provision_types = _tags("Types of provision", ProvisionType, hint="Select all that apply")
    specialisms = _tags("Specialisms", Specialism, hint="Select all that apply")
    key_stages = _tags("Key stages served", KeyStage, hint="Select all that apply")
    capacity = IntegerField(
        "Places available",
        widget=GovTextInput(),
        validators=[
            Optional(),
            NumberRange(min=0, max=10000, message="Places must be a whole number from 0 to 10000"),
        ],
    )
    address_line_1 = _text("Address line 1")
    address_line_2 = _text("Address line 2 (optional)")
    town = _text("Town or city", max_length=100)
    postcode = _text(
        "Postcode",
        max_length=10,
        extra=[Normalise(rules.normalise_postcode, "Enter a real postcode, like SW1A 1AA")],
    )
    website = _text("Website", max_length=300)


class ContactFields(FlaskForm):
    contact_name = _text("Contact name")
    contact_email = _email("Contact email address")
    contact_phone = _phone("Contact telephone number")
    safeguarding_lead_name = _text("Designated safeguarding lead")
    safeguarding_lead_email = _email("Safeguarding lead's email address")
    safeguarding_lead_phone = _phone("Safeguarding lead's telephone number")


class ProviderForm(IdentityFields, OfferFields, ContactFields):
    """The LA's form: the whole profile, including what only the LA sees."""

    area = _text("Area", max_length=100, hint="The locality of the LA it serves, like North")
    daily_rate = DecimalField(
        "Daily rate (£)",
        places=2,
        widget=GovTextInput(),
        validators=[
            Optional(),
            NumberRange(
                min=0, max=100000, message="Daily rate must be an amount in pounds, like 85.50"
            ),
        ],
    )
    internal_notes = TextAreaField(
        "Internal notes",
        widget=GovTextArea(),
        description="Only LA staff see these",
        filters=[strip, blank_to_none],
        validators=[Optional(), Length(max=5000, message="Notes must be 5000 characters or fewer")],
    )
    submit = SubmitField("Save", widget=GovSubmitInput())


class ApplicationForm(IdentityFields, OfferFields, ContactFields):
    """The public form for a provider applying to join the framework."""

    contact_name = _text("Your name", required="Enter your name")
    contact_email = _email("Your email address", required="Enter your email address")
    submit = SubmitField("Send application", widget=GovSubmitInput())


class ProfileForm(OfferFields, ContactFields):
    """What a provider may change about itself."""

    submit = SubmitField("Save changes", widget=GovSubmitInput())
