"""Pure rules for placements: dates, statuses, double booking, flags and the registration
threshold (the week's sessions are in sessions.py, and read through here too).

Every function takes `today` (or the settings it needs) as a parameter; none reads the clock."""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import NamedTuple

from apregister.models.enums import (
    AttendanceCode,
    PlacementStatus,
    SenStatus,
    ThresholdWording,
)
from apregister.placements.sessions import (  # noqa: F401 (the week's sessions, read here too)
    DAYS,
    HALVES,
    SLOT_CHOICES,
    SLOT_DAYS,
    SLOTS,
    attends,
    mask_from,
    sessions_per_week,
    slot_bit,
    slot_labels,
    slots_from,
)

# ---- dates and status -------------------------------------------------------------------------


def default_planned_end(start: date, weeks: int) -> date:
    """The 12-week rule: a placement is planned for `weeks` weeks from its start."""
    return start + timedelta(weeks=weeks)


def weeks_between(start: date, end: date) -> Decimal:
    return (Decimal((end - start).days) / Decimal(7)).quantize(Decimal("0.1"))


def status_of(
    *, start: date, actual_end: date | None, cancelled_on: date | None, today: date
) -> PlacementStatus:
    """Planned before it starts, active while it runs, ended once an end is recorded."""
    if cancelled_on is not None:
        return PlacementStatus.CANCELLED
    if actual_end is not None and actual_end <= today:
        return PlacementStatus.ENDED
    if start > today:
        return PlacementStatus.PLANNED
    return PlacementStatus.ACTIVE


def last_day(planned_end: date, actual_end: date | None) -> date:
    return actual_end or planned_end


def overlaps(start_a: date, end_a: date, start_b: date, end_b: date) -> bool:
    """Date ranges (inclusive) share at least one day."""
    return start_a <= end_b and start_b <= end_a


class Booking(NamedTuple):
    provider_id: int
    start: date
    end: date  # as it runs: an overrunning placement's end is today at least
    session_mask: int


def double_booking(new: Booking, other: Booking) -> str | None:
    """How a pupil's new placement would double-book them against another one: "start_date"
    (the same provider for overlapping dates), "sessions" (another provider for some of the
    same sessions), or None."""
    if not overlaps(new.start, new.end, other.start, other.end):
        return None
    if new.provider_id == other.provider_id:
        return "start_date"
    if new.session_mask & other.session_mask:
        return "sessions"
    return None


def past_weeks(start: date, today: date, weeks: int, ended: date | None = None) -> bool:
    """Running (or ran) longer than `weeks` weeks by today."""
    until = min(today, ended) if ended else today
    return until > start + timedelta(weeks=weeks)


def planned_beyond(start: date, planned_end: date, weeks: int) -> bool:
    return planned_end > start + timedelta(weeks=weeks)


def days_left(planned_end: date, today: date) -> int:
    return (planned_end - today).days


def next_review_due(start: date, last_review: date | None, interval_days: int) -> date:
    """At least every half term: `interval_days` after the last review, or after the start."""
    return (last_review or start) + timedelta(days=interval_days)


def review_overdue(
    status: PlacementStatus, start: date, last_review: date | None, interval_days: int, today: date
) -> bool:
    return (
        status is PlacementStatus.ACTIVE
        and next_review_due(start, last_review, interval_days) < today
    )


# ---- unregistered providers (DfE, Aug 2025) ---------------------------------------------------


@dataclass(frozen=True)
class UnregisteredLimits:
    max_weeks: int
    max_sessions: int
    max_days: int = 2


def days_per_week(mask: int) -> int:
    """Weekdays with at least one session in the mask."""
    return sum(1 for day in range(5) if mask & (slot_bit(day, 0) | slot_bit(day, 1)))


def heavier_than_part_time(mask: int, full_time: bool, limits: UnregisteredLimits) -> bool:
    """Full time, or part time at more sessions or more days a week than the longer
    placements at an unregistered provider may have."""
    return (
        full_time
        or sessions_per_week(mask) > limits.max_sessions
        or days_per_week(mask) > limits.max_days
    )


@functools.cache
def part_time_masks(limits: UnregisteredLimits) -> tuple[int, ...]:
    """Every session mask a longer placement at an unregistered provider may have: the rule
    above, listed once for SQL (placements/queries.py)."""
    return tuple(
        mask
        for mask in range(1, 1 << len(SLOTS))
        if not heavier_than_part_time(mask, False, limits)
    )


def run_end(planned_end: date, actual_end: date | None, today: date) -> date:
    """The last day a placement runs, as far as is known today: its recorded end, else its
    planned end, or today if it is still running past that (an overrun)."""
    if actual_end is not None:
        return actual_end
    return max(planned_end, today)


def overrunning(
    *,
    start: date,
    planned_end: date,
    actual_end: date | None,
    cancelled_on: date | None,
    today: date,
) -> bool:
    """Still running after its planned end, with no end recorded."""
    return cancelled_on is None and actual_end is None and start <= today and planned_end < today


def unregistered_breach(
    *,
    start: date,
    planned_end: date,
    actual_end: date | None,
    session_mask: int,
    full_time: bool,
    today: date,
    limits: UnregisteredLimits,
) -> str | None:
    """Unregistered AP should be either short (at most `max_weeks` weeks) or part time (at most
    `max_sessions` sessions on `max_days` days a week). The length is how long the placement
    has actually run as well as its plan: an overrun counts. None when within the limits."""
    last = run_end(planned_end, actual_end, today)
    if last <= start + timedelta(weeks=limits.max_weeks):
        return None
    if not heavier_than_part_time(session_mask, full_time, limits):
        return None
    weeks = weeks_between(start, last)
    how = (
        "full time"
        if full_time
        else f"{sessions_per_week(session_mask)} sessions on {days_per_week(session_mask)} "
        "days a week"
    )
    ran = "has run" if actual_end is None and last == today and planned_end < today else "runs"
    return (
        f"Unregistered provider: {ran} {weeks} weeks, {how}. Longer than "
        f"{limits.max_weeks} weeks is allowed only part time, at most {limits.max_sessions} "
        f"sessions on {limits.max_days} days a week"
    )


# ---- attendance --------------------------------------------------------------------------


def attendance_rate(codes: Iterable[AttendanceCode]) -> Decimal | None:
    """Present sessions as a percentage of sessions the pupil was expected at."""
    counted = [code for code in codes if code is not AttendanceCode.NOT_REQUIRED]
    if not counted:
        return None
    present = sum(code is AttendanceCode.PRESENT for code in counted)
    return (Decimal(100) * present / len(counted)).quantize(Decimal("0.1"))


# ---- the independent-school registration threshold ----------------------------------------------


@dataclass(frozen=True)
class ThresholdPolicy:
    full_time_hours: Decimal
    pupils: int
    vulnerable_pupils: int
    wording: ThresholdWording


@dataclass(frozen=True)
class PupilAtProvider:
    hours_per_week: Decimal
    compulsory_school_age: bool
    sen_status: SenStatus
    looked_after: bool


@dataclass(frozen=True)
class ThresholdAlert:
    full_time_pupils: int
    vulnerable_pupils: int
    reason: str


def single_trigger_sen(wording: ThresholdWording) -> frozenset[SenStatus]:
    """The SEN statuses with which one full-time pupil alone can trigger registration: an EHC
    plan (in force), or any SEN (Children's Wellbeing and Schools Act 2026 s43). Being looked
    after always can."""
    if wording is ThresholdWording.SEN_OR_LOOKED_AFTER:
        return frozenset(SenStatus) - {SenStatus.NONE}
    return frozenset({SenStatus.EHC_PLAN})


def counts_singly(pupil: PupilAtProvider, wording: ThresholdWording) -> bool:
    """A pupil who alone can trigger registration."""
    return pupil.looked_after or pupil.sen_status in single_trigger_sen(wording)


def registration_alert(
    pupils: Iterable[PupilAtProvider], policy: ThresholdPolicy
) -> ThresholdAlert | None:
    """Whether an unregistered provider's concurrent full-time pupils meet the threshold at
    which it must register as an independent school (Education and Skills Act 2008 s92)."""
    full_time = [
        pupil
        for pupil in pupils
        if pupil.compulsory_school_age and pupil.hours_per_week >= policy.full_time_hours
    ]
    vulnerable = sum(counts_singly(pupil, policy.wording) for pupil in full_time)
    return threshold_alert(len(full_time), vulnerable, policy)


def threshold_alert(
    full_time: int, vulnerable: int, policy: ThresholdPolicy
) -> ThresholdAlert | None:
    """The alert for a provider with `full_time` full-time pupils of compulsory school age,
    `vulnerable` of whom can trigger registration alone (counts_singly), or None."""
    if full_time >= policy.pupils:
        reason = f"{full_time} full-time pupils of compulsory school age"
    elif vulnerable >= policy.vulnerable_pupils:
        who = (
            "an EHC plan or looked after"
            if policy.wording is ThresholdWording.EHC_OR_LOOKED_AFTER
            else "special educational needs or looked after"
        )
        reason = f"{vulnerable} full-time pupil(s) with {who}"
    else:
        return None
    return ThresholdAlert(full_time, vulnerable, reason)
