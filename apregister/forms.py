"""Form pieces shared by every feature."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from email_validator import EmailNotValidError, validate_email
from govuk_frontend_wtf.wtforms_widgets import GovDateInput
from sqlalchemy import Row, Select
from wtforms import Field
from wtforms.fields.choices import SelectChoice
from wtforms.validators import ValidationError

from apregister.extensions import db


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
        names = ("day", "month", "year")
        missing = [name for name, part in zip(names, parts, strict=True) if not part]
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


class EmailAddress:
    """A well-formed email address. Allows the reserved `.test` domain used by demo accounts."""

    message = "Enter an email address in the correct format, like name@example.com"

    def __call__(self, form, field):
        if not field.data:
            return
        try:
            validate_email(field.data, check_deliverability=False, test_environment=True)
        except EmailNotValidError:
            raise ValidationError(self.message) from None


def names_of(stmt: Select) -> list[Row]:
    """The (id, name) of each record an access-scoped select of named records (providers,
    schools) finds, for a form's choices: two columns, not a thousand whole records."""
    entity = stmt.column_descriptions[0]["entity"]
    return db.session.execute(
        stmt.with_only_columns(entity.id, entity.name).select_from(entity)
    ).all()


def choices(pairs: Iterable[tuple[Any, str]]) -> list[SelectChoice]:
    """(value, label) pairs as the option objects WTForms 3.3 expects."""
    return [SelectChoice(value, label) for value, label in pairs]


def int_or_zero(value: Any) -> int:
    """Coerce a posted id; anything that is not a number becomes 0, which no record has."""
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


class OneOf:
    """The posted value is one of the field's choices, with a message in plain words."""

    def __init__(self, message: str):
        self.message = message

    def __call__(self, form, field):
        allowed = {str(choice.value) for choice in field.choices}
        if str(field.data) not in allowed:
            raise ValidationError(self.message)


def strip(value):
    """Field filter: no surrounding spaces on text."""
    return value.strip() if isinstance(value, str) else value


def blank_to_none(value):
    """Field filter: an empty answer is stored as nothing, not as ''."""
    return value or None
