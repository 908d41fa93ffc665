"""The form for changing a placement after it is recorded.

Its fields and their checks are the ones adding a placement uses (PlacementForm) and the ones
the agreement's contacts use (ContactsForm), taken from those forms, so a rule changed there
is changed here too."""

from __future__ import annotations

from govuk_frontend_wtf.wtforms_widgets import GovSubmitInput
from wtforms import HiddenField, SubmitField

from apregister.checks.forms import ContactsForm
from apregister.checks.operations import CONTACT_FIELDS
from apregister.forms import FlaskForm
from apregister.placements import rules
from apregister.placements.forms import PlacementForm


class PlacementChangeForm(FlaskForm):
    start_date = PlacementForm.start_date
    planned_end = PlacementForm.planned_end
    sessions = PlacementForm.sessions
    hours_per_week = PlacementForm.hours_per_week
    full_time = PlacementForm.full_time
    cost_per_week = PlacementForm.cost_per_week
    objectives = PlacementForm.objectives
    reintegration_plan = PlacementForm.reintegration_plan
    dsl_name = ContactsForm.dsl_name
    dsl_phone = ContactsForm.dsl_phone
    dsl_email = ContactsForm.dsl_email
    lead_name = ContactsForm.lead_name
    lead_phone = ContactsForm.lead_phone
    lead_email = ContactsForm.lead_email
    provider_contact_name = ContactsForm.provider_contact_name
    provider_contact_phone = ContactsForm.provider_contact_phone
    provider_contact_email = ContactsForm.provider_contact_email
    # asked when the change brings warnings: shown with them, as on the check page
    warnings_reason = PlacementForm.warnings_reason
    # the warnings the user has been shown (a digest), so a reason is asked for those only
    warnings_seen = HiddenField()
    submit = SubmitField("Save changes", widget=GovSubmitInput())

    validate_sessions = PlacementForm.validate_sessions
    validate_planned_end = PlacementForm.validate_planned_end

    def __init__(self, *args, started: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if started:
            # once it has started, the dates are shown, not asked: the end moves by extension
            del self.start_date
            del self.planned_end


def current_values(placement) -> dict:
    """The form's answers for the placement as it stands."""
    return {
        "start_date": placement.start_date,
        "planned_end": placement.planned_end,
        "sessions": rules.slots_from(placement.session_mask),
        "hours_per_week": placement.hours_per_week,
        "full_time": "full" if placement.full_time else "part",
        "cost_per_week": placement.cost_per_week,
        "objectives": placement.objectives,
        "reintegration_plan": placement.reintegration_plan,
        **{name: getattr(placement, name) for name in CONTACT_FIELDS},
    }
