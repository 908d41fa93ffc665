"""Provider forms. Each block of fields is written once and combined per form."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from flask import current_app
from flask_wtf.file import FileField
from govuk_frontend_wtf.wtforms_widgets import (
    GovCharacterCount,
    GovCheckboxesInput,
    GovFileInput,
    GovPasswordInput,
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import (
    DecimalField,
    IntegerField,
    PasswordField,
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

from apregister.auth.rules import password_problem
from apregister.forms import (
    DateInputField,
    EmailAddress,
    FlaskForm,
    OneOf,
    blank_to_none,
    choices,
    strip,
)
from apregister.models import (
    DocumentKind,
    FrameworkDecision,
    FrameworkStatus,
    KeyStage,
    OfstedJudgement,
    ProvisionType,
    RegistrationType,
    Specialism,
)
from apregister.providers import rules
from apregister.providers.queries import QA_FILTERS, RegisterFilters


class Check:
    """Runs a rule that returns a problem in plain words, or None."""

    def __init__(self, problem: Callable[[str], str | None]):
        self.problem = problem

    def __call__(self, form, field):
        if field.data:
            message = self.problem(field.data)
            if message:
                raise ValidationError(message)


class Normalise:
    """Replaces the value with its normal form, or fails with `message`."""

    def __init__(self, normalise: Callable[[str], str | None], message: str):
        self.normalise = normalise
        self.message = message

    def __call__(self, form, field):
        if field.data:
            normal = self.normalise(field.data)
            if normal is None:
                raise ValidationError(self.message)
            field.data = normal


def _text(label, *, max_length=200, required=None, hint=None, extra=()):
    # DataRequired, not InputRequired: a name of spaces is no name
    validators = [DataRequired(message=required)] if required else [Optional()]
    validators.append(
        Length(max=max_length, message=f"{label} must be {max_length} characters or fewer")
    )
    return StringField(
        label,
        widget=GovTextInput(),
        description=hint,
        filters=[strip, blank_to_none],
        validators=[*validators, *extra],
    )


def _email(label, required=None):
    return _text(label, max_length=254, required=required, extra=[EmailAddress()])


def _phone(label):
    return _text(
        label,
        max_length=20,
        extra=[Normalise(rules.normalise_phone, "Enter a UK telephone number, like 01632 960 001")],
    )


def _tags(label, enum, hint=None):
    return SelectMultipleField(
        label,
        choices=choices((member.value, member.label) for member in enum),
        widget=GovCheckboxesInput(),
        description=hint,
        validate_choice=False,
        validators=[OneOfEach(enum, f"Select {label.lower()} from the list")],
    )


class OneOfEach:
    def __init__(self, enum, message):
        self.allowed = {member.value for member in enum}
        self.message = message

    def __call__(self, form, field):
        if any(value not in self.allowed for value in field.data or []):
            raise ValidationError(self.message)


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


class InviteForm(FlaskForm):
    name = _text("Full name", required="Enter the person's full name")
    email = _email("Email address", required="Enter the person's email address")
    submit = SubmitField("Send invitation", widget=GovSubmitInput())


class SetPasswordForm(FlaskForm):
    password = PasswordField(
        "Choose a password",
        widget=GovPasswordInput(),
        description="At least 12 characters. Three random words work well.",
        validators=[InputRequired(message="Enter a password")],
    )
    submit = SubmitField("Set password", widget=GovSubmitInput())

    def __init__(self, *args, user_inputs=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.user_inputs = list(user_inputs)

    def validate_password(self, field):
        problem = password_problem(
            field.data,
            min_length=current_app.config["PASSWORD_MIN_LENGTH"],
            user_inputs=self.user_inputs,
        )
        if problem:
            raise ValidationError(problem)


class RegisterFilterForm(FlaskForm):
    """Search and filters on the register, from the query string."""

    class Meta:
        csrf = False

    q = StringField("Search by name", widget=GovTextInput(), filters=[strip, blank_to_none])
    registration = SelectField("Registration", widget=GovSelect(), validate_choice=False)
    status = SelectField("Framework status", widget=GovSelect(), validate_choice=False)
    qa = SelectField(
        "Quality assurance",
        widget=GovSelect(),
        validate_choice=False,
        choices=choices([("", "Any"), *QA_FILTERS.items()]),
    )
    provision_type = SelectField("Type of provision", widget=GovSelect(), validate_choice=False)
    specialism = SelectField("Specialism", widget=GovSelect(), validate_choice=False)
    key_stage = SelectField("Key stage", widget=GovSelect(), validate_choice=False)
    area = SelectField("Area", widget=GovSelect(), validate_choice=False)
    sort = SelectField(
        "Sort by",
        widget=GovSelect(),
        validate_choice=False,
        choices=choices(
            [("name", "Name"), ("status", "Framework status"), ("updated", "Recently changed")]
        ),
    )
    submit = SubmitField("Apply filters", widget=GovSubmitInput())

    def __init__(self, *args, areas=(), with_status=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.registration.choices = choices(
            [("", "Any"), ("registered", "Registered settings"), ("unregistered", "Unregistered")]
            + [(member.value, member.label) for member in RegistrationType]
        )
        self.status.choices = choices(
            [("", "Any")] + [(member.value, member.label) for member in FrameworkStatus]
        )
        for field, enum in (
            (self.provision_type, ProvisionType),
            (self.specialism, Specialism),
            (self.key_stage, KeyStage),
        ):
            field.choices = choices([("", "Any")] + [(m.value, m.label) for m in enum])
        self.area.choices = choices([("", "Any")] + [(area, area) for area in areas])
        if not with_status:  # the framework status and QA filters are for LA roles only
            del self.status
            del self.qa

    def filters(self) -> RegisterFilters:
        def pick(name: str, enum=None):
            field = getattr(self, name, None)
            value = field.data if field is not None else None
            if not value or field.process_errors:  # control characters: no filter at all
                return None
            if enum is not None:
                return enum(value) if value in {m.value for m in enum} else None
            return value

        return RegisterFilters(
            q=pick("q"),
            registration=pick("registration"),
            status=pick("status", FrameworkStatus),
            qa=pick("qa"),
            provision_type=pick("provision_type", ProvisionType),
            specialism=pick("specialism", Specialism),
            key_stage=pick("key_stage", KeyStage),
            area=pick("area"),
            sort=self.sort.data or "name",
        )
