"""Self-assessments: one a year from three months after approval, some returned for more
evidence and sent again, the latest perhaps still a draft or waiting for review."""

from __future__ import annotations

from datetime import date, timedelta

from apregister.demo.scale.run import ScaleProvider, ScaleRun
from apregister.models import Judgement, SelfAssessmentStatus
from apregister.qa.rules import DEFAULT_AREAS, academic_year, add_months

EVIDENCE = (
    "Policy reviewed this year; training log attached; case studies available on request.",
    "Attendance analysis by pupil and term; notes of meetings with home schools.",
    "Lesson observations and pupil work samples; destination data for last year's leavers.",
)


def add_self_assessments(run: ScaleRun, provider: ScaleProvider, until: date) -> None:
    """One a year from three months after approval; the next may be a draft already."""
    rng = run.rng
    due = add_months(provider.approved_on, 3)
    years: set[str] = set()
    while due <= until + timedelta(days=30):
        sent = due - timedelta(days=rng.randint(0, 30))
        year = academic_year(sent)
        if year not in years and (sent <= run.today or rng.random() < 0.5):
            years.add(year)
            _self_assessment(run, provider, year, sent)
        due = add_months(due, 12)


def _self_assessment(run: ScaleRun, provider: ScaleProvider, year: str, sent: date) -> None:
    rng, today = run.rng, run.today
    accepted, returned = SelfAssessmentStatus.ACCEPTED, SelfAssessmentStatus.RETURNED
    # each version: (submitted on, reviewed on, review outcome)
    versions: list[tuple[date | None, date | None, SelfAssessmentStatus | None]] = []
    seen = sent + timedelta(days=rng.randint(5, 25))
    if sent > today:
        versions.append((None, None, None))
    elif seen > today:
        versions.append((sent, None, None))
    elif rng.random() < 0.15:
        versions.append((sent, seen, returned))
        again = seen + timedelta(days=rng.randint(7, 30))
        seen_again = again + timedelta(days=rng.randint(5, 25))
        if again <= today:
            versions.append(
                (again, seen_again, accepted) if seen_again <= today else (again, None, None)
            )
    else:
        versions.append((sent, seen, accepted))
    last_sent, last_seen, last_outcome = versions[-1]
    state = last_outcome or (
        SelfAssessmentStatus.SUBMITTED if last_sent else SelfAssessmentStatus.DRAFT
    )
    assessment = run.writer.next_id("self_assessments")
    started = run.at(min(sent, today) - timedelta(days=14))
    run.writer.add(
        "self_assessments",
        {
            "id": assessment,
            "provider_id": provider.id,
            "academic_year": year,
            "status": state,
            "accepted_on": last_seen if state is accepted else None,
            **run.timestamps(started, run.at(min(last_seen or last_sent or today, today))),
        },
    )
    for number, (submitted, reviewed, outcome) in enumerate(versions, start=1):
        version = run.writer.next_id("self_assessment_versions")
        run.writer.add(
            "self_assessment_versions",
            {
                "id": version,
                "self_assessment_id": assessment,
                "number": number,
                "submitted_at": run.at(submitted) if submitted else None,
                "submitted_by_id": None,
                "reviewed_at": run.at(reviewed) if reviewed else None,
                "reviewed_by_id": rng.choice(run.staff) if reviewed else None,
                "review_outcome": outcome,
                "review_comment": "Add evidence of attendance follow-up for each pupil."
                if outcome is returned
                else None,
                **run.timestamps(run.at(submitted or today) if submitted else started),
            },
        )
        for position, (key, area) in enumerate(DEFAULT_AREAS):
            run.writer.add(
                "self_assessment_entries",
                {
                    "id": run.writer.next_id("self_assessment_entries"),
                    "version_id": version,
                    "area_key": key,
                    "area_name": area,
                    "position": position,
                    "rating": run.pick(list(Judgement), (80, 18, 2)),
                    "evidence": rng.choice(EVIDENCE),
                    "la_comment": "Say how you check this."
                    if outcome is returned and position == 2
                    else None,
                },
            )
