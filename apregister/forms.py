"""Form pieces shared by every feature."""

from __future__ import annotations

from datetime import date

from govuk_frontend_wtf.wtforms_widgets import GovDateInput
from wtforms import Field
from wtforms.validators import ValidationError


class SafeGovDateInput(GovDateInput):
    """GovDateInput that does not crash when a post leaves out one of the three boxes."""

    def map_gov_params(self, field, **kwargs):
        if field.raw_data is not None and len(field.raw_data) != 3:
            field.raw_data = (list(field.raw_data) + ["", "", ""])[:3]
        return super().map_gov_params(field, **kwargs)


class DateInputField(Field):
    """A GOV.UK date input (day, month, year), with messages in plain words."""

    widget = SafeGovDateInput()

    def __init__(self, label=None, validators=None, *, what: str = "the date", **kwargs):
        super().__init__(label, validators, **kwargs)
        self.what = what

    def _value(self) -> str:
        return self.data.strftime("%d %m %Y") if self.data else ""

    def process_formdata(self, valuelist):
        parts = [str(part).strip() for part in (list(valuelist) + ["", "", ""])[:3]]
        self.raw_data = parts
        self.data = None
        if not any(parts):
            return
        missing = [name for name, part in zip(("day", "month", "year"), parts, strict=True) if not part]
        if missing:
            raise ValueError(f"{self.what.capitalize()} must include a {' and '.join(missing)}")
        if not all(part.isdigit() for part in parts) or len(parts[2]) != 4:
            raise ValueError(f"{self.what.capitalize()} must be a real date, like 27 3 2025")
        try:
            self.data = date(int(parts[2]), int(parts[1]), int(parts[0]))
        except ValueError:
            raise ValueError(f"{self.what.capitalize()} must be a real date") from None


class DateRequired:
    """Fails when no date was entered (DataRequired does not know the three boxes)."""

    def __init__(self, message: str):
        self.message = message

    def __call__(self, form, field):
        if field.data is None and not field.errors:
            raise ValidationError(self.message)
