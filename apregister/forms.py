"""Form pieces shared by every feature."""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Iterator
from datetime import date
from decimal import Decimal
from typing import Any

import flask_wtf
from email_validator import EmailNotValidError, validate_email
from govuk_frontend_wtf.wtforms_widgets import GovDateInput
from sqlalchemy import Row, Select
from wtforms import (
    DecimalField,
    Field,
    FieldList,
    FloatField,
    FormField,
    IntegerField,
    SelectFieldBase,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import ValidationError

from apregister.extensions import db

# The largest whole number a database integer column holds (PostgreSQL's integer, 2**31 - 1).
MAX_INT = 2**31 - 1
# No decimal the service stores (money, hours, targets) comes anywhere near this.
MAX_DECIMAL = Decimal(10) ** 9
# Dates outside these years are typing mistakes, and some would not fit the database.
FIRST_YEAR, LAST_YEAR = 1900, 2100
# Line breaks and tabs are allowed in multi-line answers (text areas) only.
TEXT_AREA_CONTROLS = frozenset("\n\r\t")


# Unicode category Cc, exactly: C0 controls (NUL among them), DEL and the C1 controls.
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")


def control_characters(text: str, allowed: frozenset[str] = frozenset()) -> bool:
    """True if the text holds a control character other than the allowed ones. They break
    exports (XML cannot hold most of them), and PostgreSQL refuses NUL."""
    return any(char not in allowed for char in _CONTROL.findall(text))


def without_control_characters(text: str, allowed: frozenset[str] = frozenset()) -> str:
    return _CONTROL.sub(lambda match: match[0] if match[0] in allowed else "", text)


def _label(field: Field) -> str:
    text = (field.label.text if field.label else "") or field.name.replace("_", " ")
    return text[:1].upper() + text[1:]


def _refuse_text(field: Field) -> str | None:
    """Refuse a text answer holding control characters (kept without them for redisplay, so
    no later check or query ever sees them)."""
    allowed = TEXT_AREA_CONTROLS if isinstance(field, TextAreaField) else frozenset()
    if isinstance(field.data, str) and control_characters(field.data, allowed):
        field.data = without_control_characters(field.data, allowed)
        return f"{_label(field)} must not contain special characters such as tabs or control codes"
    return None


def _refuse_number(field: Field) -> str | None:
    """Refuse a number no form means: not a number at all (NaN, sNaN, Infinity) or too large
    for the database. The field is left empty, as for text that is not a number."""
    value = field.data
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, Decimal):
        finite = value.is_finite()  # never compare a Decimal sNaN: that raises
        limit: int | Decimal = MAX_DECIMAL
    elif isinstance(value, float):
        finite = math.isfinite(value)
        limit = MAX_DECIMAL
    else:
        finite, limit = True, MAX_INT
    if finite and -limit <= value <= limit:
        return None
    field.data = None
    if not finite:
        return f"{_label(field)} must be a number, like 12"
    return f"{_label(field)} must be a number from -{limit:,} to {limit:,}"


def _check_choice(field: Field) -> None:
    """A choice holding control characters is no choice at all (filters ignore it)."""
    raw = getattr(field, "raw_data", None) or []
    if not any(isinstance(part, str) and control_characters(part) for part in raw):
        return
    if isinstance(field, SelectMultipleField):
        field.data = [
            value
            for value in field.data or []
            if not (isinstance(value, str) and control_characters(value))
        ]
    else:
        field.data = None


class FlaskForm(flask_wtf.FlaskForm):
    """The project's form base: every form refuses, with a message on the field, posted text
    holding control characters and numbers no database column holds, whatever its fields."""

    def process(self, formdata=None, obj=None, data=None, extra_filters=None, **kwargs):
        super().process(formdata, obj, data=data, extra_filters=extra_filters, **kwargs)
        self._refused: dict[str, str] = {}
        for field in _walk(self):
            if getattr(field, "raw_data", None) is None:
                continue  # nothing was posted to it (the values come from a record)
            if isinstance(field, StringField):
                message = _refuse_text(field)
            elif isinstance(field, DecimalField | FloatField | IntegerField):
                message = _refuse_number(field)
            else:
                if isinstance(field, SelectFieldBase):
                    _check_choice(field)
                message = None
            if message:
                field.process_errors.append(message)
                self._refused[field.name] = message

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        for field in _walk(self):
            if field.name in self._refused:
                field.errors = [self._refused[field.name]]  # the one message that matters
        return valid


def _walk(fields: Iterable[Field]) -> Iterator[Field]:
    """Every field of a form, those inside FormFields and FieldLists too."""
    for field in fields:
        if isinstance(field, FormField):
            yield from _walk(field.form)
        elif isinstance(field, FieldList):
            yield from _walk(field.entries)
        else:
            yield field


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
        if (
            not all(part.isascii() and part.isdigit() for part in parts)
            or len(parts[0]) > 2
            or len(parts[1]) > 2
            or len(parts[2]) != 4
        ):
            raise ValueError(f"{self.what.capitalize()} must be a real date, like 27 3 2025")
        year = int(parts[2])
        if not FIRST_YEAR <= year <= LAST_YEAR:
            raise ValueError(
                f"{self.what.capitalize()} must be a year from {FIRST_YEAR} to {LAST_YEAR}"
            )
        try:
            self.data = date(year, int(parts[1]), int(parts[0]))
        except (ValueError, OverflowError):
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
    """Coerce a posted id; anything that is not a number, or too large for an id, becomes 0,
    which no record has."""
    try:
        number = int(value)
    except (TypeError, ValueError, OverflowError):
        return 0
    return number if -MAX_INT <= number <= MAX_INT else 0


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
