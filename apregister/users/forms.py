from flask import current_app
from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxInput,
    GovPasswordInput,
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextInput,
)
from wtforms import BooleanField, PasswordField, RadioField, SelectField, StringField, SubmitField
from wtforms.validators import InputRequired, Length, Optional, ValidationError

from apregister.auth.rules import password_problem
from apregister.forms import EmailAddress, FlaskForm, OneOf, choices, int_or_zero
from apregister.models import OrganisationKind, Role
from apregister.models.enums import ROLE_ORGANISATION_KIND
from apregister.users.rules import role_fits_organisation

ROLE_CHOICES = choices((role.value, role.label) for role in Role)
ROLE_VALUES = frozenset(role.value for role in Role)
KIND_WORDS = {
    OrganisationKind.LA: "the local authority",
    OrganisationKind.SCHOOL: "a school",
    OrganisationKind.PROVIDER: "a provider",
}


class _PasswordPolicy:
    def __call__(self, form, field):
        if not field.data:
            return
        problem = password_problem(
            field.data,
            min_length=current_app.config["PASSWORD_MIN_LENGTH"],
            user_inputs=[form.email.data or "", form.name.data or ""],
        )
        if problem:
            raise ValidationError(problem)


class UserForm(FlaskForm):
    """Add or change an account. `organisations` maps id -> organisation for the choices."""

    name = StringField(
        "Full name",
        widget=GovTextInput(),
        validators=[
            InputRequired(message="Enter the person's full name"),
            Length(max=200, message="Full name must be 200 characters or fewer"),
        ],
    )
    email = StringField(
        "Email address",
        widget=GovTextInput(),
        validators=[
            InputRequired(message="Enter the person's email address"),
            Length(max=254, message="Email address must be 254 characters or fewer"),
            EmailAddress(),
        ],
    )
    role = RadioField(
        "Role",
        choices=ROLE_CHOICES,
        widget=GovRadioInput(),
        validate_choice=False,
        validators=[InputRequired(message="Select a role"), OneOf("Select a role")],
    )
    organisation_id = SelectField(
        "Organisation",
        coerce=int_or_zero,
        widget=GovSelect(),
        validate_choice=False,
        validators=[InputRequired(message="Select the organisation the person works for")],
    )
    password = PasswordField(
        "Password",
        widget=GovPasswordInput(),
        description="At least 12 characters. Three random words work well.",
        validators=[_PasswordPolicy()],
    )
    active = BooleanField("Account is active", widget=GovCheckboxInput(), default=True)
    submit = SubmitField("Save", widget=GovSubmitInput())

    def __init__(self, *args, organisations=None, new=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisations = organisations or {}
        self.organisation_id.choices = choices(
            [(0, "Select an organisation")]
            + [(org.id, org.name) for org in self.organisations.values()]
        )
        if new:
            self.password.validators = [
                InputRequired(message="Enter a password for the new account"),
                _PasswordPolicy(),
            ]
            del self.active
        else:
            self.password.label.text = "New password (optional)"
            self.password.validators = [Optional(), _PasswordPolicy()]

    def validate_organisation_id(self, field):
        organisation = self.organisations.get(field.data)
        if organisation is None:
            raise ValidationError("Select the organisation the person works for")
        if self.role.data in ROLE_VALUES:
            role = Role(self.role.data)
            if not role_fits_organisation(role, organisation.kind):
                expected = KIND_WORDS[ROLE_ORGANISATION_KIND[role]]
                raise ValidationError(f"A {role.label} account must belong to {expected}")
