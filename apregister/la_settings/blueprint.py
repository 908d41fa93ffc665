"""The settings blueprint, which the settings page (views.py), the QA areas page (qa_areas.py)
and the retention page (retention.py) each add their routes to, and the form fields their forms
share. The app registers those modules' routes (apregister/__init__.py)."""

from __future__ import annotations

from flask import Blueprint
from govuk_frontend_wtf.wtforms_widgets import GovTextInput
from wtforms import IntegerField
from wtforms.validators import InputRequired, NumberRange, StopValidation

bp = Blueprint("la_settings", __name__, url_prefix="/settings")


class KeepIfLeftOut:
    """A setting left out of the post altogether keeps its saved value; one sent blank still
    needs an answer. (Browsers send every field; older scripted posts may not.)"""

    def __call__(self, form, field):
        if not field.raw_data:
            raise StopValidation()


class WholeNumberField(IntegerField):
    """An IntegerField whose message for text that is not a number says what to enter."""

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError:
            raise ValueError(f"Enter {self.label.text.lower()} as a whole number") from None


def whole_number(
    label: str, low: int, high: int, hint: str, *, keep_if_left_out: bool = False
) -> IntegerField:
    """A whole-number setting from `low` to `high`, with GOV.UK messages."""
    return WholeNumberField(
        label,
        widget=GovTextInput(),
        description=hint,
        validators=[
            *([KeepIfLeftOut()] if keep_if_left_out else []),
            InputRequired(message=f"Enter {label.lower()} as a whole number"),
            NumberRange(min=low, max=high, message=f"{label} must be from {low} to {high}"),
        ],
    )
