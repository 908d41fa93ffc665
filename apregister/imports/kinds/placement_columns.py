"""The placements import's columns and how its own cells are read (sessions, hours, cost,
full or part time), with the add-placement form's messages."""

from __future__ import annotations

import re
from decimal import Decimal

from apregister.imports.cells import (
    CellError,
    fold,
    one_of,
    parse_date,
    parse_decimal,
    parse_list,
    parse_text,
    parse_yes_no,
)
from apregister.imports.kinds.base import Column
from apregister.models import PlacementOutcome, PlacementReason
from apregister.placements.rules import SLOT_DAYS, slot_bit

_SESSIONS = (
    "Each session the pupil attends, separated by semicolons, like Mon AM; Mon PM; Tue AM. "
    "A day alone (Wed) means both its sessions; All means every session of the week."
)


def _column(key, heading, variants, example, guidance="", required=False) -> Column:
    return Column(key, heading, (key, *variants), required, example, guidance)


COLUMNS = (
    _column("upn", "UPN", ("Pupil UPN", "Unique pupil number"), "Z201123400001",
            "The pupil's UPN. The pupil must be on the register: import pupils first.", True),
    _column("provider", "Provider", ("Provider name",), "Bright Futures Tuition",
            "The provider's name as on the register, or fill in its URN or UKPRN instead."),
    _column("provider_urn", "Provider URN", (), "", "The provider's 6-digit URN, if it has one."),
    _column("provider_ukprn", "Provider UKPRN", (), "", "The provider's UKPRN, if it has one."),
    _column("reason", "Reason", ("Reason for the placement",),
            "To re-engage the pupil in education",
            "The reason for the placement, as the add-a-placement page lists them.", True),
    _column("start_date", "Start date", ("Start",), "3/3/2025", "Like 3/3/2025, day first.", True),
    _column("planned_end", "Planned end date", ("Planned end",), "",
            "Leave blank for the LA's standard length (12 weeks unless the LA has changed it). "
            "A longer placement is recorded with an extension agreed by the import."),
    _column("sessions", "Sessions", ("Sessions each week",), "Mon AM; Mon PM; Tue AM", _SESSIONS),
    _column("hours_per_week", "Hours each week", ("Hours per week", "Hours"), "12.5",
            "From 0.5 to 50."),
    _column("full_time", "Full time", ("Full time or part time", "Full-time"), "No",
            "Yes (full time) or no (part time)."),
    _column("cost_per_week", "Cost each week", ("Cost per week", "Weekly cost", "Cost"), "450",
            "In pounds. Optional."),
    _column("objectives", "Objectives", (), "Attend every session",
            "One objective on each line of the cell."),
    _column("reintegration_plan", "Reintegration plan", ("Reintegration plan and timeline",),
            "Phased return from week 8", "How and when the pupil returns to school full time."),
    _column("off_framework_reason", "Off-framework reason", ("Reason off framework",), "",
            "Required when the provider is not approved on the framework: why the pupil was "
            "placed there. It also confirms a suspended or removed provider's status is known."),
    _column("actual_end", "End date", ("Actual end date", "Ended"), "",
            "The date the placement ended, with its outcome."),
    _column("outcome", "Outcome", ("Placement outcome",), "",
            "Where the pupil went when the placement ended."),
    _column("outcome_notes", "Outcome notes", ("Notes about the outcome",), ""),
    _column("review_dates", "Review dates", ("Reviews",), "14/4/2025",
            "The date of each review, separated by semicolons. Each becomes a review that "
            "continues the placement, with no notes on progress."),
)  # fmt: skip
BY_KEY = {column.key: column for column in COLUMNS}
HEADINGS = {column.key: column.heading for column in COLUMNS} | {
    "session_mask": BY_KEY["sessions"].heading,
}

REASON = one_of(PlacementReason, "a reason for a placement")
OUTCOME = one_of(PlacementOutcome, "a placement outcome")
_DAYS = {fold(name): index for index, name in enumerate(SLOT_DAYS)} | {
    fold(name): index
    for index, name in enumerate(("monday", "tuesday", "wednesday", "thursday", "friday"))
} | {"tues": 1, "weds": 2, "thur": 3, "thurs": 3}  # fmt: skip
_HALVES = {"am": 0, "morning": 0, "pm": 1, "afternoon": 1}
_SESSION_MESSAGE = "'{}' is not a session. Write sessions like Mon AM; Mon PM; Tue AM"
ALL_SESSIONS = (1 << 10) - 1


def _session(raw: str) -> int:
    words = re.split(r"[\s_\-]+", raw.strip().lower())
    if words == ["all"] or fold(raw) in {"allweek", "fullweek", "everysession"}:
        return ALL_SESSIONS
    day = _DAYS.get(words[0])
    if day is None or len(words) > 2 or (len(words) == 2 and words[1] not in _HALVES):
        raise CellError(_SESSION_MESSAGE.format(raw))
    halves = [_HALVES[words[1]]] if len(words) == 2 else [0, 1]
    mask = 0
    for half in halves:
        mask |= slot_bit(day, half)
    return mask


def parse_sessions(raw: str) -> int:
    """'Mon AM; Mon PM; Tue AM' (or with commas) -> a session mask (placements/rules.py)."""
    mask = 0
    for part in parse_list(raw.replace(",", ";"), _session):
        mask |= part
    if not mask:
        raise CellError("Enter at least one session, like Mon AM; Mon PM")
    return mask


def parse_hours(raw: str) -> Decimal:
    return parse_decimal(
        raw,
        places=1,
        low=Decimal("0.5"),
        high=Decimal(50),
        message="Hours each week must be from 0.5 to 50",
    )


def parse_cost(raw: str) -> Decimal:
    return parse_decimal(
        raw,
        places=2,
        low=Decimal(0),
        high=Decimal(100000),
        message="Cost must be an amount in pounds, like 450",
        pounds=True,
    )


def parse_full_time(raw: str) -> bool:
    word = fold(raw)
    if word in {"fulltime", "full", "ft"}:
        return True
    if word in {"parttime", "part", "pt"}:
        return False
    try:
        return parse_yes_no(raw)
    except CellError:
        raise CellError("Enter yes for full time or no for part time") from None


def parse_dates(raw: str) -> list:
    return sorted(parse_list(raw, parse_date))


def text_parser(what: str, limit: int):
    return lambda raw: parse_text(raw, max_length=limit, what=what, multi_line=True)
