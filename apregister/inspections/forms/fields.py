"""The field builders the inspection forms share."""

from __future__ import annotations

from govuk_frontend_wtf.wtforms_widgets import GovRadioInput, GovSelect, GovTextArea
from wtforms import RadioField, SelectField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError

from apregister.forms import OneOf, blank_to_none, choices, int_or_zero, strip


def _optional_text(label, *, max_length=5000, hint=None, what=None):
    return TextAreaField(
        label,
        widget=GovTextArea(),
        description=hint,
        filters=[strip, blank_to_none],
        validators=[
            Optional(),
            Length(
                max=max_length,
                message=f"{what or label} must be {max_length} characters or fewer",
            ),
        ],
    )


def _required_text(label, message, *, max_length=2000, hint=None, what=None):
    return TextAreaField(
        label,
        widget=GovTextArea(),
        description=hint,
        filters=[strip],
        validators=[
            DataRequired(message=message),
            Length(
                max=max_length,
                message=f"{what or label} must be {max_length} characters or fewer",
            ),
        ],
    )


def _radios(label, pairs, message, *, required=True):
    checks = [InputRequired(message=message), OneOf(message)] if required else []
    return RadioField(
        label,
        choices=choices(pairs),
        widget=GovRadioInput(),
        validate_choice=False,
        validators=checks,
    )


class Chosen:
    """A select's value is one of its real options, not the "Select ..." prompt."""

    def __init__(self, message: str):
        self.message = message

    def __call__(self, form, field):
        allowed = {choice.value for choice in field.choices if choice.value}
        if field.data not in allowed:
            raise ValidationError(self.message)


def _select(label, message, *, hint=None):
    return SelectField(
        label,
        coerce=int_or_zero,
        widget=GovSelect(),
        description=hint,
        validate_choice=False,
        validators=[Chosen(message)],
    )


def _people(prompt: str, users) -> list:
    return choices([(0, prompt)] + [(user.id, user.name) for user in users])
