"""A placement's week: its sessions (AM and PM, Monday to Friday) kept as the bits of a mask."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday")
HALVES = ("AM", "PM")
# Bit (2 * weekday + half) of a session mask is set when the pupil attends that session.
SLOTS = tuple((day, half) for day in range(5) for half in range(2))


def slot_bit(weekday: int, half: int) -> int:
    return 1 << (2 * weekday + half)


def mask_from(slots: Iterable[str]) -> int:
    """'mon_am', 'fri_pm', ... -> a session mask."""
    mask = 0
    for slot in slots:
        day, half = slot.split("_")
        mask |= slot_bit(SLOT_DAYS.index(day), HALVES.index(half.upper()))
    return mask


def slots_from(mask: int) -> list[str]:
    return [
        f"{SLOT_DAYS[day]}_{HALVES[half].lower()}"
        for day, half in SLOTS
        if mask & slot_bit(day, half)
    ]


SLOT_DAYS = ("mon", "tue", "wed", "thu", "fri")
SLOT_CHOICES = [
    (f"{SLOT_DAYS[day]}_{HALVES[half].lower()}", f"{DAYS[day]} {HALVES[half]}")
    for day, half in SLOTS
]


def slot_labels(mask: int) -> list[str]:
    """'Monday AM', ... for each session in the mask, in week order."""
    chosen = set(slots_from(mask))
    return [label for value, label in SLOT_CHOICES if value in chosen]


def sessions_per_week(mask: int) -> int:
    return bin(mask).count("1")


def attends(mask: int, day: date, half: int) -> bool:
    return day.weekday() < 5 and bool(mask & slot_bit(day.weekday(), half))
