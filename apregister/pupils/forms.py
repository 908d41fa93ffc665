"""The pupil form: only the fields DESIGN.md lists, with messages in plain words."""

from __future__ import annotations

from datetime import date

from govuk_frontend_wtf.wtforms_widgets import GovRadioInput, GovSubmitInput, GovTextInput
from wtforms import RadioField, StringField, SubmitField
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError

from apregister.forms import (
    DateInputField,
    DateRequired,
    FlaskForm,
    OneOf,
    blank_to_none,
    choices,
    strip,
)
from apregister.models import SenStatus, Sex
from apregister.pupils import rules
from apregister.pupils.operations import PupilDetails

UPN_TAKEN = "A pupil with this UPN is already recorded"
NOT_OF_SCHOOL_AGE = "The pupil must be of compulsory school age (5 to 16)"
UPN_CONFIRMED_LABEL = "This UPN is right"
YES, NO = "yes", "no"


def _yes_no(value) -> str | None:
    """A stored bool as the radio's value; a posted value as it came."""
    if isinstance(value, bool):
        return YES if value else NO
    return None if value is None else str(value)


def _text(label: str, required: str, max_length: int = 100) -> StringField:
    return StringField(
        label,
        widget=GovTextInput(),
        filters=[strip],
        # DataRequired (not InputRequired) so that spaces alone count as blank
        validators=[
            DataRequired(message=required),
            Length(max=max_length, message=f"{label} must be {max_length} characters or fewer"),
        ],
    )


def _radios(label: str, pairs, message: str, *, coerce=str, hint=None) -> RadioField:
    return RadioField(
        label,
        description=hint,
        choices=choices(pairs),
        coerce=coerce,
        widget=GovRadioInput(),
        validate_choice=False,
        validators=[InputRequired(message=message), OneOf(message)],
    )


def unknown_la_message(la: str) -> str:
    return (
        f"The UPN's local authority number ({la}) is not one we know. "
        "Check the UPN, or confirm it is right"
    )


class UpnCheck:
    """Runs the DfE UPN check and keeps the UPN in its normal form (no spaces, capitals).

    A wrong length, format or check letter is refused. An LA number not on our list (it may be
    a council newer than the list) is a warning the user can accept by ticking "This UPN is
    right"; the tick names the LA number it accepts, so changing the UPN to another unknown
    number asks again. A pupil's own recorded UPN is not questioned again."""

    def __call__(self, form, field):
        if not field.data:
            return
        finding = rules.check_upn(field.data)
        if finding.error:
            raise ValidationError(finding.error)
        field.data = rules.normalise_upn(field.data)
        if finding.unknown_la is None or field.data == form.current_upn:
            return
        form.unknown_la = finding.unknown_la
        if form.upn_confirmed_la.data != finding.unknown_la:
            raise ValidationError(unknown_la_message(finding.unknown_la))


class PupilForm(FlaskForm):
    upn = StringField(
        "Unique pupil number (UPN)",
        widget=GovTextInput(),
        description="Leave blank if the pupil does not have one yet",
        filters=[strip, blank_to_none],
        validators=[Optional(), UpnCheck()],
    )
    # A checkbox, shown only beside an unknown LA number; its value is that LA number.
    upn_confirmed_la = StringField(UPN_CONFIRMED_LABEL, filters=[strip, blank_to_none])
    first_name = _text("First name", "Enter the pupil's first name")
    last_name = _text("Last name", "Enter the pupil's last name")
    date_of_birth = DateInputField(
        "Date of birth",
        what="the date of birth",
        validators=[DateRequired("Enter the pupil's date of birth")],
    )
    sex = _radios(
        "Sex",
        ((member.value, member.label) for member in Sex),
        "Select the pupil's sex",
        hint="As recorded in the school census",
    )
    sen_status = _radios(
        "Special educational needs (SEN)",
        ((member.value, member.label) for member in SenStatus),
        "Select the pupil's SEN status",
    )
    looked_after = _radios(
        "Is the pupil looked after?",
        ((YES, "Yes"), (NO, "No")),
        "Select yes if the pupil is looked after",
        coerce=_yes_no,
        hint="In the care of a local authority",
    )
    disadvantaged = _radios(
        "Is the pupil disadvantaged?",
        ((YES, "Yes"), (NO, "No")),
        "Select yes if the pupil is disadvantaged",
        coerce=_yes_no,
        hint="Eligible for free school meals or the pupil premium",
    )
    submit = SubmitField("Save", widget=GovSubmitInput())

    def __init__(
        self,
        *args,
        today: date,
        current_dob: date | None = None,
        current_upn: str | None = None,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.today = today
        # A recorded pupil who has since left school age can still be corrected; only a new or
        # changed date of birth must put the pupil in compulsory school age.
        self.current_dob = current_dob
        # Likewise a recorded UPN whose LA number was accepted once is not questioned again.
        self.current_upn = current_upn
        # The UPN's LA number when it is not on our list (set while validating)
        self.unknown_la: str | None = None

    def validate_date_of_birth(self, field):
        if field.data is None or field.data == self.current_dob:
            return
        if field.data >= self.today:
            raise ValidationError("The date of birth must be in the past")
        if not rules.is_compulsory_school_age(field.data, self.today):
            raise ValidationError(NOT_OF_SCHOOL_AGE)

    def details(self) -> PupilDetails:
        """The validated answers, typed for the operations."""
        return PupilDetails(
            upn=self.upn.data,
            first_name=self.first_name.data,
            last_name=self.last_name.data,
            date_of_birth=self.date_of_birth.data,
            sex=Sex(self.sex.data),
            sen_status=SenStatus(self.sen_status.data),
            looked_after=self.looked_after.data == YES,
            disadvantaged=self.disadvantaged.data == YES,
        )
