"""Placements: where each goes and why, its pattern of sessions and length, how it ended; then
its reviews, extension request and attendance, and the audit event the hook would have written."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from apregister.demo.scale.attendance import add_attendance
from apregister.demo.scale.reviews import add_reviews, extension_request, review_dates
from apregister.demo.scale.run import ScaleProvider, ScaleRun, ScaleSchool
from apregister.models import FrameworkStatus, PlacementOutcome, PlacementReason, SenStatus
from apregister.placements.rules import slot_bit

FULL_WEEK = 0b1111111111
# Schools place about 1 in 50 pupils at settings the LA has not approved (DESIGN.md).
OFF_FRAMEWORK_SHARE = 0.02
OFF_FRAMEWORK_REASONS = (
    "The only setting offering construction skills within travelling distance",
    "Recommended by CAMHS for its therapeutic approach",
    "Pupil already attends and trusts the staff there",
    "No place free at an approved provider for this term",
)
OBJECTIVES = (
    "Attend at least 90% of sessions",
    "Rebuild confidence in English and maths",
    "Agree a plan for returning to school",
    "Manage anger without physical aggression",
    "Complete a Level 1 vocational qualification",
    "Re-establish a regular daily routine",
    "Work with the CAMHS worker on anxiety",
    "Sit GCSE English and maths",
    "Build a positive relationship with a key adult",
    "Reduce incidents of leaving lessons",
    "Take part in group sessions with peers",
    "Catch up on reading to age-related expectations",
    "Attend the home school one day a week by week 8",
    "Complete a work experience placement",
)
REINTEGRATION = (
    "Review at week 6; phased return to the home school from week 9, full time by week 12.",
    "Two days a week at the home school from week 6, rising to full time by the end.",
    "Move to a special school place once the EHC plan is amended; transition visits first.",
    "Stay on the home school's roll; keyworker visits the school fortnightly to plan the return.",
    "Managed move to another mainstream school, with a six-week transition timetable.",
    "Return to the home school with a reduced timetable reviewed every two weeks.",
)
CANCEL_REASONS = (
    "The family moved out of the area",
    "The home school found another way to support the pupil",
    "Provider could not offer the agreed sessions",
    "Parent did not agree to the placement",
)
OUTCOME_NOTES = (
    "Full-time return went well.",
    "Place found at a school nearer home.",
    "EHC needs assessment agreed by panel.",
    "Placement broke down after repeated absence.",
    "Moved to a specialist provider better suited to the pupil's needs.",
)


def sessions_in(mask: int) -> int:
    return bin(mask).count("1")


def _provider_for(run: ScaleRun, reason: PlacementReason, start: date) -> ScaleProvider:
    rng = run.rng
    pool = run.pools["all"]
    if reason is PlacementReason.MEDICAL and run.pools["medical"].providers and rng.random() < 0.7:
        pool = run.pools["medical"]
    elif (
        reason is PlacementReason.PERMANENTLY_EXCLUDED
        and run.pools["excluded"].providers
        and rng.random() < 0.7
    ):
        pool = run.pools["excluded"]
    for _ in range(30):
        found = rng.choices(pool.providers, cum_weights=pool.cumulative)[0]
        if found.approved_on <= start <= found.until:
            return found
    open_then = [p for p in run.pools["all"].providers if p.approved_on <= start <= p.until]
    return rng.choice(open_then or run.pools["all"].providers[:1])


def _pattern(run: ScaleRun, full_time: bool) -> tuple[int, Decimal]:
    rng = run.rng
    if full_time:
        mask = FULL_WEEK if rng.random() < 0.85 else FULL_WEEK & ~slot_bit(4, 1)
        hours = Decimal(run.pick(("25", "27.5", "22.5", "30"), (50, 20, 20, 10)))
        return mask, hours
    shape = run.pick(("days", "mornings"), (80, 20))
    if shape == "mornings":
        mask = sum(slot_bit(day, 0) for day in range(5))
    else:
        days = rng.sample(range(5), run.pick((1, 2, 3), (20, 55, 25)))
        mask = sum(slot_bit(day, half) for day in days for half in (0, 1))
    return mask, Decimal(sessions_in(mask) * 25) / 10  # 2.5 hours a session


def add_placement(
    run: ScaleRun, pupil: dict, school: ScaleSchool | None, start: date, attendance: float
) -> date | None:
    """One placement with its reviews, extension request and attendance; returns the day it
    ended (None if it is still running or planned)."""
    rng, today = run.rng, run.today
    if school is None:
        reason = run.pick(
            (PlacementReason.NEW_TO_AREA, PlacementReason.PERMANENTLY_EXCLUDED), (1, 1)
        )
    elif pupil["sen_status"] is SenStatus.EHC_PLAN and rng.random() < 0.5:
        reason = rng.choice(
            (
                PlacementReason.EHC_MAINTAIN,
                PlacementReason.EHC_ALTERNATIVE,
                PlacementReason.EHC_NONE_AVAILABLE,
            )
        )
    else:
        reason = run.pick(
            (
                PlacementReason.PREVENT_EXCLUSION,
                PlacementReason.RE_ENGAGE,
                PlacementReason.MEDICAL,
                PlacementReason.PERMANENTLY_EXCLUDED,
            ),
            (36, 34, 10, 14),
        )
    off_framework = bool(school and run.unlisted and rng.random() < OFF_FRAMEWORK_SHARE)
    provider = rng.choice(run.unlisted) if off_framework else _provider_for(run, reason, start)
    chance = 0.75 if provider.registered else 0.2
    if reason is PlacementReason.PERMANENTLY_EXCLUDED:
        chance = 0.95  # full-time education from the sixth day of an exclusion
    mask, hours = _pattern(run, rng.random() < chance)
    weeks = run.pick((12, 6, 8, 10, "long"), (64, 8, 5, 5, 18))
    if weeks == "long":
        weeks = rng.randint(16, 39)
        if not provider.registered and sessions_in(mask) > 4 and rng.random() < 0.8:
            mask, hours = _pattern(run, False)  # DfE: long unregistered AP is part time
    first_end = start + timedelta(weeks=min(weeks, 12))
    planned_end = start + timedelta(weeks=weeks)
    created_day = start - timedelta(days=rng.randint(3, 21))
    placement = run.writer.next_id("placements")
    row: dict[str, Any] = {
        "id": placement,
        "pupil_id": pupil["id"],
        "school_id": school.id if school else None,
        "commissioner_id": pupil["owner_id"],
        "provider_id": provider.id,
        "reason": reason,
        "start_date": start,
        "planned_end": first_end,
        "session_mask": mask,
        "hours_per_week": hours,
        "full_time": hours >= 18,
        "cost_per_week": (provider.daily_rate * sessions_in(mask) / 2).quantize(Decimal("0.01"))
        if rng.random() < 0.9
        else None,
        "objectives": "\n".join(rng.sample(OBJECTIVES, 3)),
        "reintegration_plan": rng.choice(REINTEGRATION),
        "created_by_id": None,
    }
    if off_framework:
        reviewed = start + timedelta(days=rng.randint(1, 20))
        row |= {
            "off_framework": True,
            "off_framework_status": FrameworkStatus.NOT_ON_FRAMEWORK,
            "off_framework_reason": rng.choice(OFF_FRAMEWORK_REASONS),
        }
        if reviewed < today - timedelta(days=3) and rng.random() < 0.9:
            row |= {
                "off_framework_reviewed_on": reviewed,
                "off_framework_review_note": "Checked the setting's safeguarding and "
                "insurance; the placement may go on",
            }
    created = run.at(min(created_day, today))
    if created_day <= today and start > created_day + timedelta(days=1) and rng.random() < 0.02:
        row["cancelled_on"] = run.between(
            created_day + timedelta(days=1), min(start - timedelta(days=1), today)
        )
        row["cancel_reason"] = rng.choice(CANCEL_REASONS)
        _write_placement(run, row, created, run.at(row["cancelled_on"]))
        return row["cancelled_on"]
    early_end = None
    if rng.random() < 0.12 and weeks * 7 > 14:  # broke down before its planned end
        early_end = start + timedelta(days=rng.randint(14, weeks * 7 - 1))
    extension = extension_request(run, row, weeks, first_end, planned_end, early_end)
    end = min(early_end, row["planned_end"]) if early_end else row["planned_end"]
    early = end < row["planned_end"]
    recorded_by = end + timedelta(days=rng.randint(0, 10))
    if recorded_by <= today and not (
        end < today < end + timedelta(days=56) and rng.random() < 0.15
    ):
        row["actual_end"] = end
        row["outcome"] = _outcome(run, early, school is None)
        row["outcome_notes"] = rng.choice(OUTCOME_NOTES) if rng.random() < 0.3 else None
    last_day = row.get("actual_end") or row["planned_end"]
    reviews = review_dates(run, row, last_day)
    updated = max([start, *reviews[-1:], *([row["actual_end"]] if "actual_end" in row else [])])
    _write_placement(run, row, created, run.at(min(updated, today)))
    if extension:
        run.writer.add("extension_requests", extension)
    add_reviews(run, row, reviews, attendance, extension)
    add_attendance(run, row, last_day, attendance)
    return row.get("actual_end")


def _write_placement(run: ScaleRun, row: dict, created: datetime, updated: datetime) -> None:
    row.update(run.timestamps(created, max(created, updated)))
    run.writer.add("placements", row)
    run.audit("placements", row["id"], row, created)


def _outcome(run: ScaleRun, early: bool, no_school: bool) -> PlacementOutcome:
    outcomes = list(PlacementOutcome)  # returned, mainstream, special, AP, EHC, NEET, other
    weights = (10, 8, 10, 30, 10, 20, 12) if early else (55, 12, 8, 10, 7, 4, 4)
    outcome = run.pick(outcomes, weights)
    if no_school and outcome is PlacementOutcome.RETURNED_HOME_SCHOOL:
        return PlacementOutcome.ANOTHER_MAINSTREAM
    return outcome
