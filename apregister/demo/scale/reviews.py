"""A placement's reviews, about every six weeks, and its extension request if it ran long."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from apregister.demo.scale.run import ScaleRun
from apregister.models import ExtensionStatus, ReviewDecision

PROGRESS = (
    "Good progress",
    "Some progress",
    "Little progress so far",
    "Achieved",
    "Progress has slowed since the last review",
    "On track",
    "Not yet started",
)
REVIEW_NOTES = (
    "Parent attended and agreed the plan.",
    "School SENCO joined by video.",
    "Attendance has improved since the keyworker started.",
    "Pupil said they feel safer here.",
    "Transport problems affected Monday sessions.",
    "Social worker to be invited next time.",
)
EXTENSION_REASONS = (
    "Waiting for a special school place named in the EHC plan",
    "Needs more weeks to finish the qualification",
    "Medical advice: not yet well enough to return",
    "The managed move has not been agreed yet",
    "Reintegration started late after illness",
)


def extension_request(
    run: ScaleRun, row: dict, weeks: int, first_end: date, planned_end: date, ended: date | None
) -> dict | None:
    """Longer placements were extended at about week ten; a few requests were declined,
    and the latest ones wait for a decision. The request, to add after the placement."""
    rng, today = run.rng, run.today
    start = row["start_date"]
    if weeks > 12:
        status, new_end = ExtensionStatus.APPROVED, planned_end
    elif weeks == 12 and rng.random() < 0.04:
        status, new_end = (
            ExtensionStatus.DECLINED,
            first_end + timedelta(weeks=rng.randint(4, 12)),
        )
    else:
        return None
    requested = start + timedelta(days=rng.randint(56, 77))
    if requested > today or (ended is not None and requested >= ended):
        return None
    decided = requested + timedelta(days=rng.randint(2, 14))
    if decided > today:
        status = ExtensionStatus.PENDING
    elif status is ExtensionStatus.APPROVED:
        row["planned_end"] = new_end
    request = {
        "id": run.writer.next_id("extension_requests"),
        "placement_id": row["id"],
        "requested_on": requested,
        "new_end": new_end,
        "reason": rng.choice(EXTENSION_REASONS),
        "status": status,
        "requested_by_id": None,
        "decided_by_id": rng.choice(run.staff) if status is not ExtensionStatus.PENDING else None,
        "decided_on": decided if status is not ExtensionStatus.PENDING else None,
        "decision_reason": {
            "approved": "Agreed at panel",
            "declined": "Return to school as planned",
            "pending": None,
        }[status.value],
        **run.timestamps(run.at(requested), run.at(min(decided, today))),
    }
    return request


def review_dates(run: ScaleRun, row: dict, last_day: date) -> list[date]:
    """Every six weeks or so; a few running placements have missed their latest review."""
    rng = run.rng
    start, until = row["start_date"], min(last_day, run.today)
    dates = []
    day = start + timedelta(days=42 + rng.randint(-7, 7))
    while day <= until:
        dates.append(day)
        day += timedelta(days=42 + rng.randint(-7, 7))
    if "actual_end" not in row:
        if dates and rng.random() < 0.12:
            dates.pop()  # overdue
    elif rng.random() < 0.7 and (not dates or (row["actual_end"] - dates[-1]).days > 14):
        dates.append(max(start, row["actual_end"] - timedelta(days=rng.randint(0, 5))))
    return dates


def add_reviews(
    run: ScaleRun, row: dict, dates: list[date], attendance: float, extension: dict | None
) -> None:
    rng = run.rng
    ended = "actual_end" in row
    objectives = row["objectives"].split("\n")
    for n, day in enumerate(dates):
        decision = ReviewDecision.CONTINUE
        if ended and n == len(dates) - 1:
            decision = ReviewDecision.END
        elif extension and abs((extension["requested_on"] - day).days) <= 14:
            decision = ReviewDecision.EXTEND
        rate = min(100.0, max(0.0, attendance * 100 + rng.uniform(-8, 8)))
        review = {
            "id": run.writer.next_id("reviews"),
            "placement_id": row["id"],
            "review_date": day,
            "attendance_rate": Decimal(f"{rate:.1f}"),
            "progress": [{"objective": o, "progress": rng.choice(PROGRESS)} for o in objectives],
            "notes": rng.choice(REVIEW_NOTES) if rng.random() < 0.4 else None,
            "decision": decision,
            "created_by_id": None,
            **run.timestamps(run.at(day, 15)),
        }
        run.writer.add("reviews", review)
