"""Changing a placement after it is recorded: the commissioner (the school, or the LA) changes
the plan, the objectives and the named contacts; the dates only before it starts."""

from __future__ import annotations

from datetime import date

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from apregister.access import get_visible_or_404, managed_placements, role_required
from apregister.checks.operations import CONTACT_FIELDS
from apregister.extensions import db
from apregister.messages.common import tag
from apregister.models import LA_ROLES, Placement
from apregister.placements import change_rules, rules
from apregister.placements.change_forms import PlacementChangeForm, current_values
from apregister.placements.operations import PlacementRefused
from apregister.placements.operations.change import (
    ChangeResult,
    PlacementChange,
    change_warnings,
)
from apregister.placements.operations.change import (
    change_placement as apply_change,
)
from apregister.placements.views import bp
from apregister.placements.views.progress import COMMISSIONERS, closed_notice, refusal_notice
from apregister.settings import current_settings
from apregister.templating import govuk_date


def _back_to(placement: Placement) -> Response:
    return redirect(url_for(".show_placement", placement_id=placement.id))


def _change(form: PlacementChangeForm, placement: Placement) -> PlacementChange:
    started = "start_date" not in form
    return PlacementChange(
        start_date=placement.start_date if started else form.start_date.data,
        planned_end=placement.planned_end if started else form.planned_end.data,
        session_mask=rules.mask_from(form.sessions.data),
        hours_per_week=form.hours_per_week.data,
        full_time=form.full_time.data == "full",
        cost_per_week=form.cost_per_week.data,
        objectives=form.objectives.data,
        reintegration_plan=form.reintegration_plan.data,
        contacts={name: form[name].data for name in CONTACT_FIELDS},
        warnings_reason=form.warnings_reason.data,
    )


def _saved_message(result: ChangeResult) -> str:
    if not result.changed:
        return (
            "Nothing else changed. The later planned end date waits for the LA's agreement"
            if result.extension is not None
            else "No changes to save"
        )
    message = "Placement changed"
    if result.agreement_reopened:
        message += ". The agreement has changed: both sides need to confirm it again"
    if result.extension is not None:
        if result.extension.decided_on is None:
            message += ". The weeks past the agreed length wait for the LA's agreement"
        else:
            message += f". The planned end date is now {govuk_date(result.extension.new_end)}"
    return message


@bp.route("/<int:placement_id>/change", methods=["GET", "POST"])
@role_required(*COMMISSIONERS)
def change_placement(placement_id: int):
    placement = get_visible_or_404(Placement, placement_id, scope=managed_placements)
    closed = closed_notice(placement)
    if closed:
        flash(f"{closed}, so it cannot be changed")
        return _back_to(placement)
    today = date.today()
    settings = current_settings()
    started = not change_rules.dates_editable(placement.start_date, today)
    form = PlacementChangeForm(
        data=current_values(placement) if request.method == "GET" else None, started=started
    )
    found: list[str] = []
    if form.validate_on_submit():
        change = _change(form, placement)
        try:
            found = change_warnings(placement, change, settings, today, user=current_user)
            seen = tag("\n".join(found))
            if found and form.warnings_seen.data != seen:
                # warn before, not after: shown first, then a reason is needed to go on
                form.warnings_seen.data = seen
            else:
                result = apply_change(
                    placement,
                    change,
                    settings=settings,
                    today=today,
                    by=current_user,
                    warnings=found,
                )
                if result.changed or result.extension is not None:
                    db.session.commit()
                else:
                    db.session.rollback()
                flash(_saved_message(result))
                return _back_to(placement)
        except PlacementRefused as refused:
            refusal_notice(form, refused, "sessions")
    return render_template(
        "placements/change_placement.html",
        form=form,
        placement=placement,
        started=started,
        warnings=found,
        weeks_planned=rules.weeks_between(placement.start_date, placement.planned_end),
        standard_weeks=settings.placement_weeks,
        tell_school=placement.school_id is not None and current_user.role in LA_ROLES,
    )
