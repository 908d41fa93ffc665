"""Forms for what happens during a placement: reviews, extensions, ending and cancelling."""

from __future__ import annotations

from datetime import date

from govuk_frontend_wtf.wtforms_widgets import GovRadioInput, GovSubmitInput, GovTextArea
from wtforms import HiddenField, RadioField, SubmitField, TextAreaField
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
from apregister.models import PlacementOutcome, ReviewDecision
from apregister.templating import govuk_date

APPROVE = "approve"
DECLINE = "decline"


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


def _optional_text(label, *, max_length=5000, hint=None):
    return TextAreaField(
        label,
        widget=GovTextArea(),
        description=hint,
        filters=[strip, blank_to_none],
        validators=[
            Optional(),
            Length(max=max_length, message=f"{label} must be {max_length} characters or fewer"),
        ],
    )


def _radios(label, pairs, message, *, hint=None):
    return RadioField(
        label,
        choices=choices(pairs),
        widget=GovRadioInput(),
        description=hint,
        validate_choice=False,
        validators=[InputRequired(message=message), OneOf(message)],
    )


class DatedForm(FlaskForm):
    """A form about one placement that knows its start and today's date."""

    def __init__(self, *args, start: date, today: date, **kwargs):
        super().__init__(*args, **kwargs)
        self.start = start
        self.today = today

    def check_date(self, field, what: str, latest: date | None = None) -> None:
        """Between the placement's start and today (or `latest`, if earlier)."""
        if field.data is None:
            return
        if field.data > self.today:
            raise ValidationError(f"{what} must be today or in the past")
        if latest is not None and field.data > latest:
            raise ValidationError(f"{what} must be on or before {govuk_date(latest)}")
        if field.data < self.start:
            raise ValidationError(
                f"{what} must be on or after the placement's start date, {govuk_date(self.start)}"
            )


class ReviewFormBase(DatedForm):
    """The fields every review has; `review_form` adds one progress box per objective."""

    progress_names: tuple[str, ...] = ()
    objectives: tuple[str, ...] = ()

    def __init__(self, *args, ended: date | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.ended = ended

    def validate_review_date(self, field):
        self.check_date(field, "The review date", latest=self.ended)

    def progress(self) -> list[dict[str, str]]:
        """What was said about each objective, in the placement's order."""
        return [
            {"objective": objective, "progress": self[name].data}
            for objective, name in zip(self.objectives, self.progress_names, strict=True)
        ]

    def progress_fields(self):
        return [self[name] for name in self.progress_names]


def review_form(objectives: list[str], **kwargs) -> ReviewFormBase:
    """A review form for these objectives. Fields are made here, in page order, so the error
    summary lists problems in the order the page shows them."""
    names = tuple(f"progress_{index}" for index in range(len(objectives)))
    fields: dict[str, object] = {
        "review_date": DateInputField(
            "Date of the review",
            what="the review date",
            validators=[DateRequired("Enter the date of the review")],
        ),
    }
    for name, objective in zip(names, objectives, strict=True):
        fields[name] = _required_text(
            objective,
            "Enter the progress against this objective",
            what="Progress against an objective",
        )
    fields |= {
        "notes": _optional_text("Other notes (optional)"),
        "decision": _radios(
            "What happens next",
            [(decision.value, decision.label) for decision in ReviewDecision],
            "Select what happens next",
            hint="To request an extension or end the placement, you go on to that step next",
        ),
        "submit": SubmitField("Save review", widget=GovSubmitInput()),
        "progress_names": names,
        "objectives": tuple(objectives),
    }
    form_class = type("ReviewForm", (ReviewFormBase,), fields)
    return form_class(**kwargs)


class ExtensionRequestForm(FlaskForm):
    new_end = DateInputField(
        "New planned end date",
        what="the new end date",
        validators=[DateRequired("Enter the new end date")],
    )
    reason = _required_text(
        "Reason for the extension",
        "Enter the reason for the extension",
        hint="Why the pupil needs longer, and how the extra weeks lead back to school",
    )
    submit = SubmitField("Request extension", widget=GovSubmitInput())

    def __init__(self, *args, planned_end: date, **kwargs):
        super().__init__(*args, **kwargs)
        self.planned_end = planned_end

    def validate_new_end(self, field):
        if field.data is not None and field.data <= self.planned_end:
            raise ValidationError(
                "The new end date must be after the current planned end date, "
                f"{govuk_date(self.planned_end)}"
            )


class ExtensionDecisionForm(FlaskForm):
    decision = _radios(
        "Decision",
        [(APPROVE, "Approve"), (DECLINE, "Decline")],
        "Select approve or decline",
        hint="If you approve, the placement's planned end date becomes the requested date",
    )
    reason = _required_text(
        "Reason for the decision",
        "Enter the reason for the decision",
        hint="The school sees this on the placement",
    )
    submit = SubmitField("Confirm decision", widget=GovSubmitInput())


class EndPlacementForm(DatedForm):
    actual_end = DateInputField(
        "End date",
        what="the end date",
        validators=[DateRequired("Enter the date the placement ended")],
    )
    outcome = _radios(
        "Outcome",
        [(outcome.value, outcome.label) for outcome in PlacementOutcome],
        "Select the outcome of the placement",
        hint="Where the pupil went when the placement ended",
    )
    outcome_notes = _optional_text("Notes about the outcome (optional)")
    confirmed = HiddenField()
    submit = SubmitField("Continue", widget=GovSubmitInput())

    def validate_actual_end(self, field):
        self.check_date(field, "The end date")

    def outcome_label(self) -> str:
        return PlacementOutcome(self.outcome.data).label


class CancelPlacementForm(FlaskForm):
    reason = _required_text("Reason for cancelling", "Enter the reason for cancelling")
    submit = SubmitField("Cancel placement", widget=GovSubmitInput())
