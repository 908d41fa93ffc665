"""Recording an inspection report: a judgement and findings for each area, and its actions,
in rows."""

from __future__ import annotations

from datetime import date

from govuk_frontend_wtf.wtforms_widgets import GovSubmitInput
from wtforms import HiddenField, SubmitField
from wtforms.validators import ValidationError

from apregister.forms import DateInputField, DateRequired, FlaskForm, int_or_zero
from apregister.inspections.forms.fields import _optional_text, _people, _radios, _select
from apregister.inspections.operations import ActionDetails, AreaJudgement, ReportDetails
from apregister.models import ActionOwner, InspectionOutcome, Judgement
from apregister.qa.status import Area

# The report form starts with this many blank action rows; "Add another action" adds one more.
ACTION_ROWS = 3
MAX_ACTION_ROWS = 20
# A judgement below "met" needs findings that say why.
NEEDS_FINDINGS = frozenset({Judgement.PARTLY_MET, Judgement.NOT_MET})


# ---- recording the report ---------------------------------------------------------------


class ReportFormBase(FlaskForm):
    """The fields every report has; `report_form` adds one judgement per area and the
    action rows, in page order."""

    areas: tuple[Area, ...] = ()
    action_count = 0
    max_action_count = MAX_ACTION_ROWS

    def __init__(self, *args, inspectors=(), today: date, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        self.inspector_id.choices = _people("Select an inspector", inspectors)

    # field names, so templates and the check page walk them in order
    @staticmethod
    def judgement_name(area: Area) -> str:
        return f"judgement_{area.key}"

    @staticmethod
    def findings_name(area: Area) -> str:
        return f"findings_{area.key}"

    def area_fields(self):
        """(area, judgement field, findings field) for each area, in order."""
        return [
            (area, self[self.judgement_name(area)], self[self.findings_name(area)])
            for area in self.areas
        ]

    def action_fields(self):
        """(number, description, owner, due date) for each action row."""
        return [
            (
                index + 1,
                self[f"action_{index}_description"],
                self[f"action_{index}_owner"],
                self[f"action_{index}_due"],
            )
            for index in range(self.action_count)
        ]

    def filled_actions(self):
        return [row for row in self.action_fields() if _row_started(*row[1:])]

    def validate_visit_date(self, field):
        if field.data is not None and field.data > self.today:
            raise ValidationError("The visit date must be today or in the past")

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        for area, judgement, findings in self.area_fields():
            if judgement.data in NEEDS_FINDINGS and not findings.data and not findings.errors:
                findings.errors.append(
                    f"Enter the findings for {area.name}: say what is not yet met"
                )
                valid = False
        for number, description, owner, due in self.filled_actions():
            valid &= _check_action(number, description, owner, due, self.visit_date.data)
        if (
            self.overall_outcome.data == InspectionOutcome.APPROVED_WITH_ACTIONS
            and not self.filled_actions()
            and not self.overall_outcome.errors
        ):
            self.overall_outcome.errors.append(
                "Add at least one action, or choose another overall outcome"
            )
            valid = False
        return valid

    def details(self) -> ReportDetails:
        """What the inspector recorded, for `operations.publish_inspection`."""
        return ReportDetails(
            visit_date=self.visit_date.data,
            inspector_id=self.inspector_id.data,
            outcome=InspectionOutcome(self.overall_outcome.data),
            summary=self.summary.data,
            judgements=[
                AreaJudgement(area.key, area.name, Judgement(judgement.data), findings.data)
                for area, judgement, findings in self.area_fields()
            ],
            actions=[
                ActionDetails(description.data, ActionOwner(owner.data), due.data)
                for _, description, owner, due in self.filled_actions()
            ],
        )


def _row_started(description, owner, due) -> bool:
    return bool(description.data or owner.data or any(due.raw_data or ()))


def _check_action(number: int, description, owner, due, visit_date: date | None) -> bool:
    """A started action row needs all three answers; adds field errors and says if it is whole."""
    problems = False
    if not description.data and not description.errors:
        description.errors.append(f"Enter what action {number} asks for")
        problems = True
    if owner.data not in {choice.value for choice in ActionOwner}:
        owner.errors.append(f"Select who owns action {number}")
        problems = True
    if due.errors:
        problems = True
    elif due.data is None:
        due.errors.append(f"Enter the date action {number} is due")
        problems = True
    elif visit_date is not None and due.data < visit_date:
        due.errors.append(f"The due date for action {number} must be on or after the visit date")
        problems = True
    return not problems and not description.errors


def action_row_count(posted: str | None, *, add: bool = False) -> int:
    """How many action rows to show: at least the default, at most the cap."""
    rows = int_or_zero(posted) or ACTION_ROWS
    if add:
        rows += 1
    return min(max(rows, ACTION_ROWS), MAX_ACTION_ROWS)


def report_form(areas: list[Area], action_count: int, **kwargs) -> ReportFormBase:
    """A report form for these areas with `action_count` action rows. Fields are made here,
    in page order, so the error summary lists problems in the order the page shows them."""
    fields: dict[str, object] = {
        "visit_date": DateInputField(
            "Date of the visit",
            what="the visit date",
            validators=[DateRequired("Enter the date of the visit")],
        ),
        "inspector_id": _select("Inspector", "Select the inspector"),
    }
    judgements = [(judgement.value, judgement.label) for judgement in Judgement]
    for area in areas:
        fields[ReportFormBase.judgement_name(area)] = _radios(
            area.name, judgements, f"Select a judgement for {area.name}"
        )
        fields[ReportFormBase.findings_name(area)] = _optional_text(
            f"Findings: {area.name}",
            hint="Required if the area is partly met or not met",
            what=f"Findings for {area.name}",
        )
    fields |= {
        "overall_outcome": _radios(
            "Overall outcome",
            [(outcome.value, outcome.label) for outcome in InspectionOutcome],
            "Select the overall outcome",
        ),
        "summary": _optional_text("Summary (optional)", max_length=10000, what="The summary"),
    }
    owners = [(owner.value, owner.label) for owner in ActionOwner]
    for index in range(action_count):
        number = index + 1
        fields[f"action_{index}_description"] = _optional_text(
            f"Action {number}: what needs to be done",
            max_length=2000,
            what=f"Action {number}",
        )
        fields[f"action_{index}_owner"] = _radios(
            f"Action {number}: who owns it", owners, "", required=False
        )
        fields[f"action_{index}_due"] = DateInputField(
            f"Action {number}: due date", what=f"the due date for action {number}"
        )
    fields |= {
        "action_rows": HiddenField(),
        "confirmed": HiddenField(),
        "add_action": SubmitField("Add another action", widget=GovSubmitInput()),
        "submit": SubmitField("Continue", widget=GovSubmitInput()),
        "areas": tuple(areas),
        "action_count": action_count,
    }
    form_class = type("ReportForm", (ReportFormBase,), fields)
    form = form_class(**kwargs)
    form.action_rows.data = str(action_count)
    return form
