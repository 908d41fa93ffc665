from govuk_frontend_wtf.wtforms_widgets import GovPasswordInput, GovSubmitInput, GovTextInput
from wtforms import PasswordField, StringField, SubmitField
from wtforms.validators import InputRequired, Length, ValidationError

from apregister.auth import rules
from apregister.forms import EmailAddress, FlaskForm


class SignInForm(FlaskForm):
    email = StringField(
        "Email address",
        widget=GovTextInput(),
        validators=[
            InputRequired(message="Enter your email address"),
            Length(max=254, message="Email address must be 254 characters or fewer"),
            EmailAddress(),
        ],
    )
    password = PasswordField(
        "Password",
        widget=GovPasswordInput(),
        validators=[InputRequired(message="Enter your password")],
    )
    submit = SubmitField("Sign in", widget=GovSubmitInput())


class _Shaped:
    """The code, tidied, must look like one (`check` says whether it does)."""

    def __init__(self, check, message: str) -> None:
        self.check = check
        self.message = message

    def __call__(self, form, field):
        if not self.check(rules.tidy_code(field.data or "")):
            raise ValidationError(self.message)


def _code_field(label: str, hint: str | None = None) -> StringField:
    return StringField(
        label,
        widget=GovTextInput(),
        description=hint or "",
        validators=[
            InputRequired(message="Enter the 6-digit code from your authenticator app"),
            Length(max=50, message="Enter the 6-digit code from your authenticator app"),
            _Shaped(rules.is_code, "Enter the 6-digit code from your authenticator app"),
        ],
    )


class CodeForm(FlaskForm):
    """The code from the authenticator app, at sign-in."""

    code = _code_field("Code", "The 6-digit code your authenticator app shows now")
    submit = SubmitField("Continue", widget=GovSubmitInput())

    @property
    def tidy(self) -> str:
        return rules.tidy_code(self.code.data or "")


class SetUpForm(CodeForm):
    """The first code from the app, to show it was set up right."""

    code = _code_field("Code from your app", "Enter the 6-digit code your app shows now")
    submit = SubmitField("Confirm and continue", widget=GovSubmitInput())


class RecoveryCodeForm(FlaskForm):
    message = "Enter one of your recovery codes, like abcde-fghjk"
    code = StringField(
        "Recovery code",
        widget=GovTextInput(),
        description="One of the 10 codes you saved when you set up two-factor sign-in. "
        "Each works once.",
        validators=[
            InputRequired(message="Enter one of your recovery codes"),
            Length(max=50, message=message),
            _Shaped(rules.is_recovery_code, message),
        ],
    )
    submit = SubmitField("Continue", widget=GovSubmitInput())

    @property
    def tidy(self) -> str:
        return rules.tidy_code(self.code.data or "")


class ResetTwoFactorForm(FlaskForm):
    """The la_lead's confirmation: a button only."""

    submit = SubmitField("Reset two-factor sign-in", widget=GovSubmitInput())
