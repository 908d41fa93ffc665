"""Planning a visit."""

from __future__ import annotations

from datetime import date

from govuk_frontend_wtf.wtforms_widgets import GovSubmitInput
from wtforms import SubmitField
from wtforms.validators import ValidationError

from apregister.forms import DateInputField, DateRequired, FlaskForm, choices
from apregister.inspections.forms.fields import _people, _select


class PlanInspectionForm(FlaskForm):
    provider_id = _select(
        "Provider",
        "Select a provider on the framework",
        hint="Only approved and suspended providers are listed",
    )
    planned_date = DateInputField(
        "Date of the visit",
        what="the date of the visit",
        validators=[DateRequired("Enter the date of the visit")],
    )
    inspector_id = _select("Inspector", "Select the inspector")
    submit = SubmitField("Plan the visit", widget=GovSubmitInput())

    def __init__(self, *args, providers=(), inspectors=(), today: date, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        self.provider_id.choices = choices(
            [(0, "Select a provider")] + [(provider.id, provider.name) for provider in providers]
        )
        self.inspector_id.choices = _people("Select an inspector", inspectors)

    def validate_planned_date(self, field):
        if field.data is not None and field.data < self.today:
            raise ValidationError("The date of the visit must be today or in the future")
