"""The published report, with the steps open on each of its actions."""

from __future__ import annotations

from datetime import date

from flask import render_template, url_for
from flask_login import current_user

from apregister.access import get_visible_or_404, role_required
from apregister.inspections import operations
from apregister.inspections.views import LA, bp
from apregister.models import LA_ROLES, Inspection, InspectionAction, Judgement, Role
from apregister.qa.rules import SAFEGUARDING
from apregister.templating import govuk_date


@bp.route("/<int:inspection_id>")
@role_required(*LA, Role.PROVIDER)
def show_inspection(inspection_id: int):
    inspection = get_visible_or_404(Inspection, inspection_id)
    is_la = current_user.role in LA_ROLES
    safeguarding_not_met = any(
        judgement.area_key == SAFEGUARDING and judgement.judgement is Judgement.NOT_MET
        for judgement in inspection.judgements
    )
    suspend_url = None
    if is_la and safeguarding_not_met:
        suspend_url = url_for(
            "providers.change_framework_status",
            provider_id=inspection.provider_id,
            decision="suspend",
            reason="Safeguarding judged not met at the inspection on "
            + govuk_date(inspection.visit_date),
        )
    return render_template(
        "inspections/show_inspection.html",
        inspection=inspection,
        is_la=is_la,
        is_provider=current_user.role is Role.PROVIDER,
        safeguarding_not_met=safeguarding_not_met,
        suspend_url=suspend_url,
        today=date.today(),
        steps={action.id: _steps_open(action, is_la) for action in inspection.actions},
    )


def _steps_open(action: InspectionAction, is_la: bool) -> set[str]:
    """Which of the action forms this user sees on the report."""
    if is_la:
        return {
            name
            for name, refusal in (
                ("close", operations.close_refusal),
                ("reopen", operations.reopen_refusal),
            )
            if refusal(action) is None
        }
    return {"done"} if operations.done_refusal(action) is None else set()
