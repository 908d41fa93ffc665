"""The field builders and checks the provider forms share."""

from __future__ import annotations

from collections.abc import Callable

from govuk_frontend_wtf.wtforms_widgets import GovCheckboxesInput, GovTextInput
from wtforms import SelectMultipleField, StringField
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from apregister.forms import EmailAddress, blank_to_none, choices, strip
from apregister.providers import rules


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
