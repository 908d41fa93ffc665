"""Checks before a placement starts: the task list on the placement page, each item's page,
and the agreement (printable, downloadable, confirmed by both sides)."""

from __future__ import annotations

from datetime import date

from flask import (
    Blueprint,
    abort,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user
from sqlalchemy.exc import IntegrityError

from apregister.access import get_visible_or_404, note_refusal, role_required
from apregister.checks import operations, queries
from apregister.checks.forms import (
    FORMS,
    ConfirmByCommissionerForm,
    ConfirmByProviderForm,
    ContactsForm,
)
from apregister.extensions import db
from apregister.models import CheckItem, Placement, Role
from apregister.placements import rules as placement_rules
from apregister.settings import current_settings

bp = Blueprint("checks", __name__)

# everyone a placement is visible to, apart from the board (which sees no placement)
PARTIES = (Role.LA_LEAD, Role.LA_OFFICER, Role.SCHOOL, Role.PROVIDER)


@bp.app_context_processor
def _task_list_helper():
    def pre_start_checks(placement: Placement) -> queries.TaskList:
        def href(item: CheckItem) -> str:
            if item is CheckItem.AGREEMENT:
                return url_for("checks.show_agreement", placement_id=placement.id)
            return url_for("checks.record_check", placement_id=placement.id, item=item.value)

        return queries.task_list(placement, current_user, current_settings(), date.today(), href)

    return {"pre_start_checks": pre_start_checks}


def _refuse(what: str):
    note_refusal(f"{request.method} {request.path}: {what}")
    abort(403)


def _committed() -> bool:
    """Commit; when someone saved the same item's first record at the same moment (the unique
    placement and item), keep theirs and ask this user to look again."""
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        flash("Someone else saved this check at the same moment. Check what it says now")
        return False
    return True


def _item_or_404(value: str) -> CheckItem:
    try:
        return CheckItem(value)
    except ValueError:
        abort(404)


@bp.route("/placements/<int:placement_id>/checks/<item>", methods=["GET", "POST"])
@role_required(*PARTIES)
def record_check(placement_id: int, item: str):
    placement = get_visible_or_404(Placement, placement_id)
    check_item = _item_or_404(item)
    if check_item is CheckItem.AGREEMENT:
        return redirect(url_for(".show_agreement", placement_id=placement.id))
    if not queries.may_record(current_user, placement, check_item):
        _refuse(f"may not record {check_item.value}")
    existing = queries.checks_for(placement).get(check_item)
    form = FORMS[check_item](obj=existing)
    if form.validate_on_submit():
        operations.record_check(
            placement,
            check_item,
            details=form.details.data,
            given_by=getattr(form, "given_by", None) and form.given_by.data,
            given_on=getattr(form, "given_on", None) and form.given_on.data,
            given_how=getattr(form, "given_how", None) and form.given_how.data,
            by=current_user,
            today=date.today(),
        )
        if not _committed():
            return redirect(request.path)
        flash(f"{check_item.label} recorded")
        return redirect(url_for("placements.show_placement", placement_id=placement.id))
    return render_template(
        "checks/record_check.html",
        placement=placement,
        item=check_item,
        check=existing,
        form=form,
    )


def _agreement_context(placement: Placement) -> dict:
    check = queries.checks_for(placement).get(CheckItem.AGREEMENT)
    return {
        "placement": placement,
        "check": check,
        "sessions": placement_rules.slot_labels(placement.session_mask),
        "missing_contacts": operations.missing_contacts(placement),
        "weeks_planned": placement_rules.weeks_between(placement.start_date, placement.planned_end),
    }


@bp.route("/placements/<int:placement_id>/agreement")
@role_required(*PARTIES)
def show_agreement(placement_id: int):
    placement = get_visible_or_404(Placement, placement_id)
    context = _agreement_context(placement)
    check = context["check"]
    commissioner = queries.is_commissioner(current_user, placement)
    provider = queries.is_provider(current_user, placement)
    if commissioner:
        form = ConfirmByCommissionerForm(details=check.details if check else None)
    elif (
        provider
        and check is not None
        and check.commissioner_confirmed_on is not None
        and check.provider_confirmed_on is None
    ):
        form = ConfirmByProviderForm()
    else:
        form = None
    return render_template(
        "checks/show_agreement.html",
        confirm_form=form,
        can_change_contacts=commissioner,
        is_provider=provider,
        **context,
    )


@bp.route("/placements/<int:placement_id>/agreement/confirm", methods=["POST"])
@role_required(*PARTIES)
def confirm_agreement(placement_id: int):
    placement = get_visible_or_404(Placement, placement_id)
    commissioner = queries.is_commissioner(current_user, placement)
    provider = queries.is_provider(current_user, placement)
    if not (commissioner or provider):
        _refuse("may not confirm the agreement")
    form = ConfirmByCommissionerForm() if commissioner else ConfirmByProviderForm()
    if not form.validate_on_submit():
        context = _agreement_context(placement)
        return render_template(
            "checks/show_agreement.html",
            confirm_form=form,
            form=form,
            can_change_contacts=commissioner,
            is_provider=provider,
            **context,
        ), 400
    try:
        check = operations.confirm_agreement(
            placement,
            as_provider=provider,
            details=form.details.data if commissioner else None,
            by=current_user,
            today=date.today(),
        )
    except operations.CheckRefused as refused:
        db.session.rollback()
        flash(str(refused))
        return redirect(url_for(".show_agreement", placement_id=placement.id))
    if not _committed():
        return redirect(url_for(".show_agreement", placement_id=placement.id))
    flash(
        "Agreement confirmed"
        if check.complete
        else "Agreement confirmed: waiting for the "
        + ("provider" if commissioner else "commissioner")
    )
    return redirect(url_for(".show_agreement", placement_id=placement.id))


@bp.route("/placements/<int:placement_id>/agreement/contacts", methods=["GET", "POST"])
@role_required(Role.LA_LEAD, Role.LA_OFFICER, Role.SCHOOL)
def edit_contacts(placement_id: int):
    placement = get_visible_or_404(Placement, placement_id)
    if not queries.is_commissioner(current_user, placement):
        _refuse("may not change the agreement's contacts")
    form = ContactsForm(obj=placement)
    if form.validate_on_submit():
        agreement = queries.checks_for(placement).get(CheckItem.AGREEMENT)
        confirmed = agreement is not None and (
            agreement.commissioner_confirmed_on or agreement.provider_confirmed_on
        )
        changed = operations.update_contacts(placement, form.data, by=current_user)
        db.session.commit()
        if not changed:
            flash("No changes to save")
        elif confirmed:
            flash("Contacts saved: both sides need to confirm the agreement again")
        else:
            flash("Contacts saved")
        return redirect(url_for(".show_agreement", placement_id=placement.id))
    return render_template("checks/edit_contacts.html", placement=placement, form=form)


def _document(placement_id: int, template: str, filename: str | None, mimetype: str):
    placement = get_visible_or_404(Placement, placement_id)
    response = make_response(
        render_template(template, today=date.today(), **_agreement_context(placement))
    )
    response.mimetype = mimetype
    if filename:
        response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@bp.route("/placements/<int:placement_id>/agreement/print")
@role_required(*PARTIES)
def print_agreement(placement_id: int):
    return _document(placement_id, "checks/agreement_document.html", None, "text/html")


@bp.route("/placements/<int:placement_id>/agreement.html")
@role_required(*PARTIES)
def download_agreement(placement_id: int):
    return _document(
        placement_id,
        "checks/agreement_document.html",
        f"placement-{placement_id}-agreement.html",
        "text/html",
    )


@bp.route("/placements/<int:placement_id>/agreement.txt")
@role_required(*PARTIES)
def download_agreement_text(placement_id: int):
    return _document(
        placement_id,
        "checks/agreement_document.txt",
        f"placement-{placement_id}-agreement.txt",
        "text/plain",
    )
