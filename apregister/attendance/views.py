"""The provider's attendance register: one school day, a row per pupil, a select for each of the
pupil's sessions that day, and the past days still to record.

Providers see only the pupil's name and year group here (DESIGN.md); the page, its field names
and its flash message carry no UPN, SEN detail or school.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from markupsafe import Markup

from apregister.access import get_visible_or_404, role_required, visible
from apregister.attendance import forms, queries, saving, unrecorded
from apregister.extensions import db
from apregister.models import Placement, Role
from apregister.pagination import Page
from apregister.placements import operations

bp = Blueprint("attendance", __name__, url_prefix="/attendance")

SAVED_AT_THE_SAME_TIME = (
    "Someone else saved attendance for this day at the same moment. "
    "Check the register and save your changes again"
)
# Every link to a day's register lands on the register itself: the first Tab goes to the
# first pupil's first session, not through the header and the page's introduction.
REGISTER = "register"
# The past days with sessions to record listed under the register, latest first.
CATCH_UP_DAYS = 10


def _today() -> date:
    return date.today()


def _parse(value: str | None) -> date | None:
    """A date the page can show and link either side of, or None."""
    try:
        day = date.fromisoformat(value or "")
    except ValueError:
        return None
    if not date.min + timedelta(weeks=1) <= day <= date.max - timedelta(weeks=1):
        return None
    return day


def _asked_for(today: date) -> tuple[date, date | None]:
    """(the school day to show, the day asked for if that was not a school day). `day` is any
    date; `week` (the old week view's address) opens its Monday; with neither, today, or the
    latest school day before it at a weekend."""
    asked = _parse(request.args.get("day"))
    if asked is None:
        week = _parse(request.args.get("week"))
        asked = queries.week_monday(week) if week else None
    if asked is None:
        return queries.school_day_on_or_before(today), None
    day = queries.school_day_on_or_before(asked)
    return day, (asked if asked != day else None)


def day_url(day: date, **values) -> str:
    """The address of `day`'s register, landing on the register."""
    return url_for("attendance.record_attendance", day=day.isoformat(), _anchor=REGISTER, **values)


def _refuse_other_placements(ids: set[int]) -> None:
    """A placement that is not with this provider answers 404, like one that does not exist."""
    seen = set(
        db.session.scalars(
            visible(Placement).with_only_columns(Placement.id).where(Placement.id.in_(ids))
        )
    )
    for placement_id in sorted(ids - seen):
        get_visible_or_404(Placement, placement_id)  # notes the refusal and aborts


def _save(day: date, today: date) -> tuple[queries.DayRegister, forms.PostedRegister, bool]:
    """Read and save the posted register under the save's locks (saving.py), trying again from
    the start when it clashes with another save; (register, posted, saved)."""
    placement_ids = saving.posted_placements(request.form)
    if forms.marks_everyone_present(request.form):
        # it may write to every placement on the day's register, posted or not
        placement_ids |= queries.day_placement_ids(current_user, day, today)
    for _ in range(saving.ATTEMPTS):
        try:
            saving.lock_for_saving(placement_ids, current_user)
            register = queries.day_register(current_user, day, today)
            posted = forms.read_register(request.form, register, today)
            if posted.other_placements:
                _refuse_other_placements(posted.other_placements)
                posted.unreadable()  # this provider's, but not on this day's register
            if not posted.ok:
                db.session.rollback()  # let the other saves go on while the page is shown
                return register, posted, False
            placements = queries.placements_to_save(current_user, posted.changes)
            for placement_id, marks in posted.changes.items():
                operations.record_attendance(placements[placement_id], marks, by=current_user)
            db.session.commit()
        except Exception as error:
            if not saving.saved_at_the_same_time(error):
                raise
            db.session.rollback()
        else:
            return register, posted, True
    register = queries.day_register(current_user, day, today)
    posted = forms.read_register(request.form, register, today)
    posted.general_errors.append(("#register", SAVED_AT_THE_SAME_TIME))
    return register, posted, False


@lru_cache(maxsize=32)
def _options(arranged_by_la: bool, chosen: str) -> Markup:
    """A session's <option>s with `chosen` selected: the same few for every pupil on a day's
    register (a hundred or more selects), so each is written once."""
    return Markup("").join(
        Markup('<option value="{}"{}>{}</option>').format(
            option, Markup(" selected") if option == chosen else "", text
        )
        for option, text in forms.CODE_CHOICES[arranged_by_la]
    )


def _saved_message(day: date, posted: forms.PostedRegister) -> str:
    message = f"Attendance saved for {forms.long_date(day)}"
    if posted.marked_present:
        count = posted.marked_present
        message += f": {count} session{'' if count == 1 else 's'} marked present"
    return message


@bp.route("", methods=["GET", "POST"])
@role_required(Role.PROVIDER)
def record_attendance():
    today = _today()
    day, asked = _asked_for(today)
    posted = None
    if request.method == "POST":
        register, posted, saved = _save(day, today)
        if saved:
            flash(_saved_message(day, posted))
            # no anchor: the success banner at the top of the page takes the focus
            return redirect(url_for(".record_attendance", day=day.isoformat()))
    else:
        register = queries.day_register(current_user, day, today)
    previous_day = queries.previous_school_day(day)
    next_day = queries.next_school_day(day)
    return render_template(
        "attendance/record_attendance.html",
        register=register,
        day=day,
        asked=asked,
        today=today,
        this_day=queries.school_day_on_or_before(today),
        previous_day=previous_day,
        # the register of a day that has not happened cannot be taken: no link forward to one
        next_day=next_day if next_day <= today else None,
        posted=posted,
        errors=forms.error_list(posted, register) if posted else [],
        options=_options,
        cell_name=forms.cell_name,
        session_words=forms.session_words,
        session_names=forms.SESSION_NAMES,
        long_date=forms.long_date,
        day_url=day_url,
        catch_up=unrecorded.unrecorded_days(current_user, today),
        catch_up_shown=CATCH_UP_DAYS,
        action=forms.ACTION,
        mark_present=forms.MARK_PRESENT,
        save=forms.SAVE,
    )


@bp.route("/unrecorded")
@role_required(Role.PROVIDER)
def list_unrecorded():
    """Every past session still to record, oldest first, with a link to its day's register."""
    today = _today()
    per_page = current_app.config["REGISTER_PAGE_SIZE"]
    total, number, pages, gaps = unrecorded.unrecorded_page(
        current_user, today, request.args.get("page", 1, type=int), per_page
    )
    page = Page(items=gaps, total=total, number=number, pages=pages, per_page=per_page)
    return render_template(
        "attendance/list_unrecorded.html",
        page=page,
        since=today - timedelta(days=unrecorded.LOOK_BACK_DAYS),
        day_url=day_url,
    )
