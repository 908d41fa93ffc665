"""Reading the day's register form.

The register has one select per session, so its fields depend on the day; it is read here
rather than declared as a WTForms class (CSRFProtect checks the token of every POST). Field
names carry only the placement id, the ISO date and AM/PM: never a name or a UPN.

Two buttons send the form. "Save attendance" saves what the selects say. "Mark everyone not yet
recorded as present" saves the same, then records Present for every session of the day still
left as "Not recorded" (only the placements' own sessions, and none in the future), so a
register can be taken by choosing a code for the pupils who are not there and pressing it.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from werkzeug.datastructures import MultiDict

from apregister.attendance.queries import DayRegister, SessionCell
from apregister.models import AttendanceCode, Session
from apregister.templating import govuk_date

FIELD = re.compile(r"mark-(\d{1,9})-(\d{4}-\d{2}-\d{2})-(AM|PM)")
ACTION = "action"
SAVE, MARK_PRESENT = "save", "mark-present"
NOT_MARKS = frozenset({"csrf_token", ACTION})
UNREADABLE = "Some of the attendance could not be read. Reload the page and enter it again"
PICK_A_CODE = (
    "Select present, authorised absence, unauthorised absence or not required for {who}, "
    "or leave it blank"
)
SESSION_NAMES = {Session.AM: "morning", Session.PM: "afternoon"}

# The register's order. Typing a letter in a select picks the first choice that starts with it,
# so "a" gives "Absent, reason not known": the absence the home school follows up the same day,
# never an authorised absence by mistake.
REGISTER_ORDER = (
    AttendanceCode.PRESENT,
    AttendanceCode.UNEXPLAINED,
    AttendanceCode.AUTHORISED,
    AttendanceCode.UNAUTHORISED,
    AttendanceCode.NOT_REQUIRED,
)


def code_choices(arranged_by_la: bool) -> list[tuple[str, str]]:
    """The register's choices, each with the DfE code the home school records it under."""
    return [
        ("", "Not recorded"),
        *(
            (code.value, f"{code.label} ({code.dfe_code_for(arranged_by_la=arranged_by_la)})")
            for code in REGISTER_ORDER
        ),
    ]


# by whether the LA arranged the placement
CODE_CHOICES = {by_la: code_choices(by_la) for by_la in (False, True)}

Marks = dict[tuple[date, Session], AttendanceCode | None]


def field_name(placement_id: int, day: date, session: Session) -> str:
    return f"mark-{placement_id}-{day.isoformat()}-{session.value}"


def cell_name(cell: SessionCell) -> str:
    return field_name(cell.placement_id, cell.day, cell.session)


def session_words(cell: SessionCell) -> str:
    """'Monday 3 March 2025 AM'."""
    return f"{cell.day:%A} {govuk_date(cell.day)} {cell.session.value}"


def long_date(day: date) -> str:
    """'Monday 3 March 2025'."""
    return f"{day:%A} {govuk_date(day)}"


@dataclass
class PostedRegister:
    """What a POST asked for, and what is wrong with it."""

    # the sessions whose code changes, by placement id (None clears a session)
    changes: dict[int, Marks] = field(default_factory=lambda: defaultdict(dict))
    # what was posted for each readable session, to show again beside any errors
    values: dict[str, str] = field(default_factory=dict)
    # field name -> message, shown beside the session
    cell_errors: dict[str, str] = field(default_factory=dict)
    # (anchor, message) for the error summary that belong to no session
    general_errors: list[tuple[str, str]] = field(default_factory=list)
    # placement ids that are not on this day's register (another provider's, or not running)
    other_placements: set[int] = field(default_factory=set)
    # sessions recorded as present by "Mark everyone not yet recorded as present"
    marked_present: int = 0

    def unreadable(self) -> None:
        if ("#register", UNREADABLE) not in self.general_errors:
            self.general_errors.append(("#register", UNREADABLE))

    @property
    def ok(self) -> bool:
        return not (self.cell_errors or self.general_errors or self.other_placements)

    @property
    def changed(self) -> int:
        return sum(len(marks) for marks in self.changes.values())


def marks_everyone_present(form: MultiDict) -> bool:
    """Whether the form was sent with "Mark everyone not yet recorded as present"."""
    return form.get(ACTION) == MARK_PRESENT


def read_register(form: MultiDict, register: DayRegister, today: date) -> PostedRegister:
    """Check every posted session against the day's register: a known code (or blank) for a
    session the provider may record, and nothing else. With "Mark everyone not yet recorded as
    present", every session that may be recorded and is still blank becomes Present."""
    posted = PostedRegister()
    if form.get(ACTION, SAVE) not in (SAVE, MARK_PRESENT) or len(form.getlist(ACTION)) > 1:
        posted.unreadable()
    for name in form:
        if name in NOT_MARKS:
            continue
        values = form.getlist(name)
        match = FIELD.fullmatch(name)
        if match is None or len(values) != 1:
            posted.unreadable()
            continue
        try:
            day = date.fromisoformat(match[2])
        except ValueError:
            posted.unreadable()
            continue
        placement_id, session = int(match[1]), Session(match[3])
        cell = register.cells.get((placement_id, day, session))
        if cell is None:
            if placement_id in register.names:
                posted.unreadable()  # a day other than the one shown
            else:
                posted.other_placements.add(placement_id)
            continue
        pupil, when = register.names[placement_id], session_words(cell)
        if not cell.open:
            posted.cell_errors[name] = (
                f"You cannot record attendance for {pupil} on {when} yet: it has not happened"
                if cell.day > today
                else f"{pupil} has no session on {when}"
            )
            continue
        value = values[0]
        try:
            code = AttendanceCode(value) if value else None
        except ValueError:
            posted.cell_errors[name] = PICK_A_CODE.format(who=f"{pupil} on {when}")
            continue
        posted.values[name] = value
        if code is not cell.code:
            posted.changes[placement_id][(day, session)] = code
    if posted.ok and marks_everyone_present(form):
        _mark_the_rest_present(posted, register)
    return posted


def _mark_the_rest_present(posted: PostedRegister, register: DayRegister) -> None:
    for cell in register.cells.values():
        if not cell.open:
            continue
        name = cell_name(cell)
        left = posted.values.get(name, cell.code or "")
        if left:
            continue
        posted.changes[cell.placement_id][(cell.day, cell.session)] = AttendanceCode.PRESENT
        posted.values[name] = AttendanceCode.PRESENT.value
        posted.marked_present += 1


def error_list(posted: PostedRegister, register: DayRegister) -> list[dict[str, str]]:
    """The error summary's items, general ones first, then sessions in page order."""
    items = [{"href": href, "text": text} for href, text in posted.general_errors]
    for row in register.rows:
        for cell in row.cells:
            name = cell_name(cell)
            if name in posted.cell_errors:
                items.append({"href": f"#{name}", "text": posted.cell_errors[name]})
    return items
