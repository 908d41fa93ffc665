"""The provider's attendance register: one week, a row per pupil, a select per session.

Providers see only the pupil's name and year group here (DESIGN.md); the page, its field names
and its flash message carry no UPN, SEN detail or school.
"""

from __future__ import annotations

from datetime import date, timedelta

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user

from apregister.access import get_visible_or_404, role_required, visible
from apregister.attendance import forms, queries, saving, unrecorded
from apregister.extensions import db
from apregister.models import Placement, Role
from apregister.pagination import Page
from apregister.placements import operations
from apregister.placements.rules import SLOTS
from apregister.templating import govuk_date

bp = Blueprint("attendance", __name__, url_prefix="/attendance")

SAVED_AT_THE_SAME_TIME = (
    "Someone else saved attendance for this week at the same moment. "
    "Check the register and save your changes again"
)


def _today() -> date:
    return date.today()


def _week(value: str | None, today: date) -> date:
    """The Monday of the week asked for (any date in it), or of this week."""
    try:
        monday = queries.week_monday(date.fromisoformat(value or ""))
    except ValueError:
        return queries.week_monday(today)
    # the page links to the weeks either side, which must be real dates too
    if not date.min + timedelta(weeks=1) <= monday <= date.max - timedelta(weeks=1):
        return queries.week_monday(today)
    return monday


def _refuse_other_placements(ids: set[int]) -> None:
    """A placement that is not with this provider answers 404, like one that does not exist."""
    seen = set(
        db.session.scalars(
            visible(Placement).with_only_columns(Placement.id).where(Placement.id.in_(ids))
        )
    )
    for placement_id in sorted(ids - seen):
        get_visible_or_404(Placement, placement_id)  # notes the refusal and aborts


def _save(monday: date, today: date) -> tuple[queries.WeekRegister, forms.PostedRegister, bool]:
    """Read and save the posted register under the save's locks (saving.py), trying again from
    the start when it clashes with another save; (register, posted, saved)."""
    placement_ids = saving.posted_placements(request.form)
    for _ in range(saving.ATTEMPTS):
        try:
            saving.lock_for_saving(placement_ids, current_user)
            register = queries.week_register(current_user, monday, today)
            posted = forms.read_register(request.form, register, today)
            if posted.other_placements:
                _refuse_other_placements(posted.other_placements)
                posted.unreadable()  # this provider's, but not running this week
            if not posted.ok:
                db.session.rollback()  # let the other saves go on while the page is shown
                return register, posted, False
            for placement_id, marks in posted.changes.items():
                operations.record_attendance(
                    register.placements[placement_id], marks, by=current_user
                )
            db.session.commit()
        except Exception as error:
            if not saving.saved_at_the_same_time(error):
                raise
            db.session.rollback()
        else:
            return register, posted, True
    register = queries.week_register(current_user, monday, today)
    posted = forms.read_register(request.form, register, today)
    posted.general_errors.append(("#register", SAVED_AT_THE_SAME_TIME))
    return register, posted, False


@bp.route("", methods=["GET", "POST"])
@role_required(Role.PROVIDER)
def record_attendance():
    today = _today()
    monday = _week(request.args.get("week"), today)
    posted = None
    if request.method == "POST":
        register, posted, saved = _save(monday, today)
        if saved:
            flash(f"Attendance saved for the week beginning {govuk_date(monday)}")
            return redirect(url_for(".record_attendance", week=monday.isoformat()))
    else:
        register = queries.week_register(current_user, monday, today)
    return render_template(
        "attendance/record_attendance.html",
        register=register,
        monday=monday,
        this_monday=queries.week_monday(today),
        columns=[
            (monday + timedelta(days=weekday), queries.SESSIONS[half]) for weekday, half in SLOTS
        ],
        previous_week=monday - timedelta(weeks=1),
        next_week=monday + timedelta(weeks=1),
        posted=posted,
        errors=forms.error_list(posted, register) if posted else [],
        choices=forms.CODE_CHOICES,
        cell_name=forms.cell_name,
        session_words=forms.session_words,
    )


@bp.route("/unrecorded")
@role_required(Role.PROVIDER)
def list_unrecorded():
    """Every past session still to record, with a link to its week's register."""
    today = _today()
    gaps = unrecorded.unrecorded_sessions(current_user, today)
    per_page = current_app.config["REGISTER_PAGE_SIZE"]
    pages = max(1, -(-len(gaps) // per_page))
    number = min(max(request.args.get("page", 1, type=int), 1), pages)
    page = Page(
        items=gaps[(number - 1) * per_page : number * per_page],
        total=len(gaps),
        number=number,
        pages=pages,
        per_page=per_page,
    )
    return render_template(
        "attendance/list_unrecorded.html",
        page=page,
        since=today - timedelta(days=unrecorded.LOOK_BACK_DAYS),
        week_monday=queries.week_monday,
    )
