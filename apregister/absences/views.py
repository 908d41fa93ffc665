"""Absences to follow up: the school's list and follow-up, the LA's late cases and open
escalations. A provider never sees the school's notes (access.visible_absence_cases)."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy.orm import joinedload

from apregister.absences import operations, queries
from apregister.absences.forms import NO_ESCALATION, PRESENT, CloseEscalationForm, FollowUpForm
from apregister.access import get_visible_or_404, role_required, visible
from apregister.extensions import db
from apregister.forms import choices
from apregister.models import (
    LA_ROLES,
    AbsenceCase,
    Escalation,
    OrganisationKind,
    Placement,
    Role,
)
from apregister.models.base import utcnow
from apregister.pagination import paginate

bp = Blueprint("absences", __name__, url_prefix="/absences")

FOLLOWERS = (Role.LA_LEAD, Role.LA_OFFICER, Role.SCHOOL)


@bp.route("")
@role_required(*FOLLOWERS)
def list_absences():
    today = date.today()
    default = "late" if current_user.role in LA_ROLES else "open"
    status = request.args.get("status", default)
    if status not in queries.STATUSES:
        status = default
    page = paginate(
        visible(AbsenceCase)
        .where(queries.status_clause(status, today))
        .order_by(AbsenceCase.date.desc(), AbsenceCase.session.desc(), AbsenceCase.id.desc())
        # each row names the pupil and the provider: read with the cases, not one by one
        .options(joinedload(AbsenceCase.placement)),
        per_page=current_app.config["REGISTER_PAGE_SIZE"],
    )
    return render_template(
        "absences/list_absences.html",
        page=page,
        status=status,
        statuses=queries.STATUSES,
    )


def _code(case: AbsenceCase, chosen: str) -> str:
    """'Present after all' is K where the LA arranged the provision, B where the school did."""
    if chosen != PRESENT:
        return chosen
    commissioner = case.placement.commissioner
    return "K" if commissioner.kind is OrganisationKind.LA else "B"


@bp.route("/<int:case_id>", methods=["GET", "POST"])
@role_required(*FOLLOWERS)
def show_absence(case_id: int):
    case = get_visible_or_404(AbsenceCase, case_id)
    placement = get_visible_or_404(Placement, case.placement_id)
    form = FollowUpForm(absence_date=case.date, now=utcnow())
    present = f"At the provision after all ({_code(case, PRESENT)})"  # K or B, as arranged
    form.dfe_code.choices = choices(
        (choice.value, present if choice.value == PRESENT else choice.label)
        for choice in form.dfe_code.choices
    )
    can_follow_up = current_user.role is Role.SCHOOL and case.followed_up_at is None
    if can_follow_up and form.validate_on_submit():
        escalation = (
            None if form.escalation.data == NO_ESCALATION else Escalation(form.escalation.data)
        )
        try:
            operations.follow_up(
                case,
                contacted_whom=form.contacted_whom.data,
                contacted_at=form.contacted_at(),
                safe_and_well=form.safe_and_well.data == "yes",
                reason=form.reason.data,
                dfe_code=_code(case, form.dfe_code.data),
                escalation=escalation,
                escalation_note=form.escalation_note.data,
                now=utcnow(),
                by=current_user,
            )
        except operations.CaseRefused as refused:
            db.session.rollback()
            flash(str(refused))
        else:
            db.session.commit()
            kept = ". The escalation stays open until it is closed" if escalation else ""
            flash(f"Follow-up saved{kept}")
        return redirect(url_for(".show_absence", case_id=case.id))
    return render_template(
        "absences/show_absence.html",
        case=case,
        placement=placement,
        form=form if can_follow_up else None,
        close_form=CloseEscalationForm(),
    )


@bp.route("/<int:case_id>/close-escalation", methods=["POST"])
@role_required(*FOLLOWERS)
def close_escalation(case_id: int):
    case = get_visible_or_404(AbsenceCase, case_id)
    form = CloseEscalationForm()
    if not form.validate_on_submit():
        flash(form.note.errors[0] if form.note.errors else "Enter how it was resolved")
        return redirect(url_for(".show_absence", case_id=case.id))
    try:
        operations.close_escalation(case, note=form.note.data, now=utcnow())
    except operations.CaseRefused as refused:
        db.session.rollback()
        flash(str(refused))
    else:
        db.session.commit()
        flash("Escalation closed")
    return redirect(url_for(".show_absence", case_id=case.id))
