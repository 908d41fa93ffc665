"""The provider's attendance register: one week, a row per pupil, a select per session.

Providers see only the pupil's name and year group here (DESIGN.md); the page, its field names
and its flash message carry no UPN, SEN detail or school.
"""

from __future__ import annotations

from datetime import date, timedelta

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy.exc import IntegrityError

from apregister.access import get_visible_or_404, role_required, visible
from apregister.attendance import forms, queries, unrecorded
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


@bp.route("", methods=["GET", "POST"])
@role_required(Role.PROVIDER)
def record_attendance():
    today = _today()
    monday = _week(request.args.get("week"), today)
    register = queries.week_register(current_user, monday, today)
    posted = None
    if request.method == "POST":
        posted = forms.read_register(request.form, register, today)
        if posted.other_placements:
            _refuse_other_placements(posted.other_placements)
            posted.unreadable()  # this provider's, but not running this week
        if posted.ok:
            try:
                for placement_id, marks in posted.changes.items():
                    operations.record_attendance(
                        register.placements[placement_id], marks, by=current_user
                    )
                db.session.commit()
            except IntegrityError:
                db.session.rollback()
                posted.general_errors.append(("#register", SAVED_AT_THE_SAME_TIME))
                register = queries.week_register(current_user, monday, today)
            else:
                flash(f"Attendance saved for the week beginning {govuk_date(monday)}")
                return redirect(url_for(".record_attendance", week=monday.isoformat()))
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
