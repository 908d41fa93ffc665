"""The steps of an inspection's actions: the provider marks one done, the LA closes or reopens
it. Routes on the inspections blueprint (imported at the end of views/__init__.py)."""

from __future__ import annotations

from datetime import date

from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user

from apregister.access import get_visible_or_404, role_required
from apregister.extensions import db
from apregister.inspections import operations
from apregister.inspections.forms import CloseActionForm, MarkActionDoneForm, ReopenActionForm
from apregister.inspections.views import LA, bp
from apregister.models import Inspection, InspectionAction, Role


def _action_step(inspection_id: int, action_id: int, form_class, template: str, refusal, step):
    """One step in an action's life: the action must belong to this inspection, and both must
    be visible to the user (another provider's answers 404, and nothing is written)."""
    inspection = get_visible_or_404(Inspection, inspection_id)
    action = get_visible_or_404(InspectionAction, action_id)
    if action.inspection_id != inspection.id:
        abort(404)
    back = url_for(".show_inspection", inspection_id=inspection.id, _anchor=f"action-{action.id}")
    reason = refusal(action)
    if reason is not None:
        flash(reason)
        return redirect(back)
    form = form_class()
    if form.validate_on_submit():
        try:
            message = step(action, form.note.data)
        except operations.InspectionRefused as refused:
            # changed by someone else since this page was read
            db.session.rollback()
            flash(str(refused))
        else:
            db.session.commit()
            flash(message)
        return redirect(back)
    return render_template(template, form=form, inspection=inspection, action=action)


@bp.route("/<int:inspection_id>/actions/<int:action_id>/done", methods=["GET", "POST"])
@role_required(Role.PROVIDER)
def mark_action_done(inspection_id: int, action_id: int):
    def step(action: InspectionAction, note: str) -> str:
        operations.mark_action_done(action, note=note, today=date.today(), by=current_user)
        return "Action marked as done. The LA will check it and close it"

    return _action_step(
        inspection_id,
        action_id,
        MarkActionDoneForm,
        "inspections/mark_action_done.html",
        operations.done_refusal,
        step,
    )


@bp.route("/<int:inspection_id>/actions/<int:action_id>/close", methods=["GET", "POST"])
@role_required(*LA)
def close_action(inspection_id: int, action_id: int):
    def step(action: InspectionAction, note: str | None) -> str:
        operations.close_action(action, note=note, today=date.today(), by=current_user)
        return "Action closed"

    return _action_step(
        inspection_id,
        action_id,
        CloseActionForm,
        "inspections/close_action.html",
        operations.close_refusal,
        step,
    )


@bp.route("/<int:inspection_id>/actions/<int:action_id>/reopen", methods=["GET", "POST"])
@role_required(*LA)
def reopen_action(inspection_id: int, action_id: int):
    def step(action: InspectionAction, note: str) -> str:
        operations.reopen_action(action, note=note, by=current_user)
        return "Action reopened"

    return _action_step(
        inspection_id,
        action_id,
        ReopenActionForm,
        "inspections/reopen_action.html",
        operations.reopen_refusal,
        step,
    )
