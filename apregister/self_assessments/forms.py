"""Forms for self-assessments: the provider's answers per area, and the LA's review.

Both have one group of fields per QA area, so they are made for the areas of the version in
hand; fields are made in page order, so the error summary lists problems in that order."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from govuk_frontend_wtf.wtforms_widgets import GovRadioInput, GovTextArea
from wtforms import RadioField, TextAreaField
from wtforms.validators import (
    InputRequired,
    Length,
    Optional,
    StopValidation,
    ValidationError,
)

from apregister.forms import FlaskForm, OneOf, choices, strip
from apregister.models import Judgement
from apregister.self_assessments.operations import RETURN_NEEDS_COMMENT, Answer

EVIDENCE_MAX = 10000
COMMENT_MAX = 5000
ACCEPT = "accept"
RETURN = "return"


@dataclass(frozen=True)
class AreaRef:
    key: str
    name: str


class RequiredToContinue:
    """Required only when the provider presses Continue; a draft may leave it blank."""

    def __init__(self, message: str):
        self.message = message

    def __call__(self, form, field):
        if form.complete and not (field.data or "").strip():
            raise StopValidation(self.message)


class AnswersFormBase(FlaskForm):
    """A self-rating and evidence per area; `answers_form` adds the fields."""

    areas: tuple[AreaRef, ...] = ()

    def __init__(self, *args, complete: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.complete = complete

    def rows(self):
        """(area, rating field, evidence field) for each area, in page order."""
        return [
            (area, self[f"rating_{index}"], self[f"evidence_{index}"])
            for index, area in enumerate(self.areas)
        ]

    def answers(self) -> dict[str, Answer]:
        return {
            area.key: Answer(
                rating=Judgement(rating.data) if rating.data else None,
                evidence=evidence.data or None,
            )
            for area, rating, evidence in self.rows()
        }


def answers_form(areas: Sequence[AreaRef], *, entries=None, **kwargs) -> AnswersFormBase:
    """The provider's form for these areas; `entries` (the stored answers) fill it on a GET."""
    fields: dict[str, object] = {"areas": tuple(areas)}
    for index, area in enumerate(areas):
        rating_message = f"Select whether {area.name} is met, partly met or not met"
        fields[f"rating_{index}"] = RadioField(
            f"Self-rating for {area.name}",
            choices=choices((judgement.value, judgement.label) for judgement in Judgement),
            widget=GovRadioInput(),
            validate_choice=False,
            validators=[RequiredToContinue(rating_message), Optional(), OneOf(rating_message)],
        )
        fields[f"evidence_{index}"] = TextAreaField(
            f"Evidence for {area.name}",
            widget=GovTextArea(),
            filters=[strip],
            validators=[
                RequiredToContinue(f"Enter your evidence for {area.name}"),
                Length(
                    max=EVIDENCE_MAX,
                    message=f"Evidence for {area.name} must be {EVIDENCE_MAX:,} characters "
                    "or fewer",
                ),
            ],
        )
    form_class = type("AnswersForm", (AnswersFormBase,), fields)
    if entries is not None:
        kwargs["data"] = {
            name: value
            for index, entry in enumerate(entries)
            for name, value in (
                (f"rating_{index}", entry.rating.value if entry.rating else None),
                (f"evidence_{index}", entry.evidence or ""),
            )
        }
    return form_class(**kwargs)


class ReviewFormBase(FlaskForm):
    """An optional comment per area, the decision and an overall comment."""

    areas: tuple[AreaRef, ...] = ()

    def comment_fields(self):
        return [(area, self[f"comment_{index}"]) for index, area in enumerate(self.areas)]

    def comments(self) -> dict[str, str | None]:
        return {area.key: field.data or None for area, field in self.comment_fields()}

    @property
    def accept(self) -> bool:
        return self.decision.data == ACCEPT

    def validate_review_comment(self, field):
        if self.decision.data == RETURN and not field.data and not any(self.comments().values()):
            raise ValidationError(RETURN_NEEDS_COMMENT)


def review_form(areas: Sequence[AreaRef], **kwargs) -> ReviewFormBase:
    fields: dict[str, object] = {"areas": tuple(areas)}
    for index, area in enumerate(areas):
        fields[f"comment_{index}"] = TextAreaField(
            f"Your comment on {area.name} (optional)",
            widget=GovTextArea(),
            filters=[strip],
            validators=[
                Length(
                    max=COMMENT_MAX,
                    message=f"Your comment on {area.name} must be {COMMENT_MAX:,} characters "
                    "or fewer",
                )
            ],
        )
    decision_message = "Select whether to accept the self-assessment or return it"
    fields["decision"] = RadioField(
        "Your decision",
        choices=choices([(ACCEPT, "Accept"), (RETURN, "Return to the provider for changes")]),
        widget=GovRadioInput(),
        validate_choice=False,
        validators=[InputRequired(message=decision_message), OneOf(decision_message)],
    )
    fields["review_comment"] = TextAreaField(
        "Overall comment",
        widget=GovTextArea(),
        description="Needed if you return it, unless you have commented on an area. "
        "The provider sees your comments",
        filters=[strip],
        validators=[
            Length(
                max=COMMENT_MAX,
                message=f"The overall comment must be {COMMENT_MAX:,} characters or fewer",
            )
        ],
    )
    form_class = type("ReviewForm", (ReviewFormBase,), fields)
    return form_class(**kwargs)
