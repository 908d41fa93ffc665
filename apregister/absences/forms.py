"""The school's follow-up of an absence, and closing an escalation."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from govuk_frontend_wtf.wtforms_widgets import (
    GovRadioInput,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import RadioField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, ValidationError

from apregister.absences.rules import UK, parse_cutoff
from apregister.forms import DateInputField, DateRequired, FlaskForm, OneOf, choices, strip
from apregister.models import Escalation

PRESENT = "present"
# DfE school attendance codes (August 2024) a followed-up absence is recorded under.
ABSENCE_CODES = (
    (PRESENT, "At the provision after all (K or B)"),
    ("I", "I: Illness"),
    ("M", "M: Medical or dental appointment"),
    ("C", "C: Leave of absence, exceptional circumstances"),
    ("E", "E: Suspended or permanently excluded"),
    ("R", "R: Religious observance"),
    ("T", "T: Mobile child, travelling"),
    ("G", "G: Holiday not granted"),
    ("U", "U: Arrived after the register closed"),
    ("O", "O: Absent in other or unknown circumstances"),
    ("N", "N: Reason not yet provided"),
)
NO_ESCALATION = "none"
CLOCK_GRACE = timedelta(minutes=5)  # a watch a little ahead of the server's clock


def _text(label: str, message: str, *, area: bool = False, hint: str | None = None):
    field = TextAreaField if area else StringField
    return field(
        label,
        widget=GovTextArea() if area else GovTextInput(),
        description=hint,
        filters=[strip],
        validators=[
            DataRequired(message=message),
            Length(max=2000, message=f"{label} must be 2000 characters or fewer"),
        ],
    )


class FollowUpForm(FlaskForm):
    contacted_whom = _text(
        "Who did you contact, and how?",
        "Enter who you contacted, and how",
        hint="For example, the pupil's mother, by telephone",
    )
    contact_date = DateInputField(
        "What day did you make contact?",
        validators=[DateRequired("Enter the day you made contact")],
        what="the day you made contact",
        description="For example, 27 3 2026",
    )
    contact_time = StringField(
        "What time did you make contact?",
        widget=GovTextInput(),
        description="In 24-hour time, like 09:45",
        filters=[strip],
        validators=[InputRequired(message="Enter the time you made contact, like 09:45")],
    )
    safe_and_well = RadioField(
        "Was the pupil seen or confirmed safe and well?",
        choices=choices([("yes", "Yes"), ("no", "No")]),
        widget=GovRadioInput(),
        validate_choice=False,
        validators=[
            InputRequired(message="Select whether the pupil is safe and well"),
            OneOf("Select whether the pupil is safe and well"),
        ],
    )
    reason = _text("Reason for the absence", "Enter the reason for the absence", area=True)
    dfe_code = RadioField(
        "Code the session is recorded under",
        choices=choices(ABSENCE_CODES),
        widget=GovRadioInput(),
        validate_choice=False,
        validators=[
            InputRequired(message="Select the code the session is recorded under"),
            OneOf("Select the code the session is recorded under"),
        ],
    )
    escalation = RadioField(
        "Does this need escalating?",
        choices=choices(
            [(NO_ESCALATION, "No")] + [(kind.value, kind.label) for kind in Escalation]
        ),
        widget=GovRadioInput(),
        validate_choice=False,
        default=NO_ESCALATION,
        validators=[
            InputRequired(message="Select whether this needs escalating"),
            OneOf("Select whether this needs escalating"),
        ],
    )
    escalation_note = TextAreaField(
        "What you have done, and who you told",
        widget=GovTextArea(),
        filters=[strip],
        validators=[Length(max=2000, message="The note must be 2000 characters or fewer")],
    )
    submit = SubmitField("Save the follow-up", widget=GovSubmitInput())

    def __init__(self, *args, absence_date: date | None = None, now: datetime, **kwargs):
        super().__init__(*args, **kwargs)
        self.absence_date = absence_date
        self.now = now.astimezone(UK)
        if not self.is_submitted():
            self.contact_date.data = self.now.date()

    def contacted_at(self) -> datetime:
        when = parse_cutoff(self.contact_time.data)
        return datetime.combine(self.contact_date.data, when, tzinfo=UK)

    def validate_contact_date(self, field):
        if field.data is None:
            return
        if field.data > self.now.date():
            raise ValidationError("The day you made contact must be today or in the past")
        if self.absence_date and field.data < self.absence_date:
            raise ValidationError("The day you made contact must be on or after the absence")

    def validate_contact_time(self, field):
        if field.data and parse_cutoff(field.data) is None:
            raise ValidationError("Enter the time in 24-hour time, like 09:45")
        known = self.contact_date.data and not self.contact_date.errors
        if known and field.data and self.contacted_at() > self.now + CLOCK_GRACE:
            raise ValidationError("The time you made contact must be now or in the past")

    def validate_escalation_note(self, field):
        if self.escalation.data not in (None, "", NO_ESCALATION) and not field.data:
            raise ValidationError("Enter what you have done, and who you told")


class CloseEscalationForm(FlaskForm):
    note = _text("How was it resolved?", "Enter how the escalation was resolved", area=True)
    submit = SubmitField("Close the escalation", widget=GovSubmitInput())
