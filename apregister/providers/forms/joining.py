"""Joining the register: the invitation and the new account's password."""

from __future__ import annotations

from flask import current_app
from govuk_frontend_wtf.wtforms_widgets import GovPasswordInput, GovSubmitInput
from wtforms import PasswordField, SubmitField
from wtforms.validators import InputRequired, ValidationError

from apregister.auth.rules import password_problem
from apregister.forms import FlaskForm
from apregister.providers.forms.fields import _email, _text


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
