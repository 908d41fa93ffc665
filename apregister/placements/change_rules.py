"""Pure rules for changing a placement after it is recorded: what may change and when, what
did change, what the agreement covers, and what each side is told.

The rules adding a placement runs (sessions, hours, dates, the 12-week rule, clashes, the
warnings) are not repeated here: the change runs the same ones (change_forms.py, operations)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta
from typing import Any

from apregister.checks.operations import CONTACT_FIELDS
from apregister.providers.rules import normalise_phone

# What a change may touch, in the order the page asks, with the words a message uses.
LABELS: dict[str, str] = {
    "start_date": "start date",
    "planned_end": "planned end date",
    "session_mask": "sessions each week",
    "hours_per_week": "hours each week",
    "full_time": "full time or part time",
    "cost_per_week": "cost each week",
    "objectives": "objectives",
    "reintegration_plan": "reintegration plan",
    **dict.fromkeys(CONTACT_FIELDS, "named contacts"),
}
FIELDS: tuple[str, ...] = tuple(LABELS)
DATES = ("start_date", "planned_end")
# The plan the warnings and the clash rules are about.
PLAN = (*DATES, "session_mask", "hours_per_week", "full_time")
# What the commissioning agreement sets out (DfE "Arranging alternative provision", Feb 2025:
# objectives, timetable, cost, named contacts at both ends): a change to any of these needs
# both sides to confirm the agreement again.
AGREEMENT = frozenset(
    {*DATES, "session_mask", "hours_per_week", "cost_per_week", "objectives", *CONTACT_FIELDS}
)
# What the provider's users do not see of a placement (DESIGN.md, "Users"), so are not told of.
NOT_FOR_PROVIDER = frozenset({"full_time", "reintegration_plan"})


def dates_editable(start: date, today: date) -> bool:
    """The dates change only before the placement starts; after that, the end moves only by
    an extension the LA decides."""
    return start > today


def start_refusal(new_start: date, today: date) -> str | None:
    """A placement that has not started cannot be moved to start in the past."""
    if new_start < today:
        return "The start date must be today or in the future"
    return None


def longest_end(start: date, current_start: date, current_end: date, weeks: int) -> date:
    """The latest planned end the commissioner may set without the LA's agreement: the
    standard length from the (new) start, or the length already agreed, if longer."""
    return start + max(timedelta(weeks=weeks), current_end - current_start)


def _same(name: str, old: Any, new: Any) -> bool:
    if isinstance(old, str) or isinstance(new, str):
        old, new = (old or "").strip(), (new or "").strip()
        if name.endswith("_phone"):  # kept as typed before the form normalised numbers
            old, new = normalise_phone(old) or old, normalise_phone(new) or new
    return old == new


def differences(before: Mapping[str, Any], after: Mapping[str, Any]) -> list[str]:
    """The fields whose value differs, in the page's order (blank text counts as none, and a
    telephone number written another way is the same number)."""
    return [
        name
        for name in FIELDS
        if name in after and not _same(name, before.get(name), after[name])
    ]


def described(changed: list[str], *, for_provider: bool = False) -> list[str]:
    """What changed, in words, once each (the nine contact fields are one item); for the
    provider, only what the provider may see."""
    words: list[str] = []
    for name in changed:
        if for_provider and name in NOT_FOR_PROVIDER:
            continue
        if LABELS[name] not in words:
            words.append(LABELS[name])
    return words


def touches_agreement(changed: list[str]) -> bool:
    return any(name in AGREEMENT for name in changed)


def new_warnings(found: list[str], before: list[str], kept: list[str]) -> list[str]:
    """The warnings the change brings: those the changed plan has that the plan as it stands
    did not, and that are not already kept with a reason."""
    return [line for line in found if line not in before and line not in kept]
