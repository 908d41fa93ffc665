"""Inspections: a visit three months after approval and about yearly since, each with a
judgement per QA area and an action for every area not met; a few planned visits ahead."""

from __future__ import annotations

from datetime import date, timedelta

from apregister.demo.scale.run import ScaleProvider, ScaleRun
from apregister.models import (
    ActionOwner,
    ActionStatus,
    FrameworkStatus,
    InspectionOutcome,
    InspectionStatus,
    Judgement,
)
from apregister.qa.rules import DEFAULT_AREAS, add_months

FINDINGS = {
    Judgement.MET: "Standard met. Policies are in place and followed; staff knew them well.",
    Judgement.PARTLY_MET: "Partly met. Practice is sound but records are not consistently kept.",
    Judgement.NOT_MET: "Not met. Serious gaps found; the provider must act before the next visit.",
}
ACTIONS = {
    "safeguarding": "Bring the single central record up to date and send the LA a copy",
    "health_safety": "Review the premises risk assessment and fix the fire exit signage",
    "admissions": "Record attendance session by session and tell the home school the same day",
    "education": "Write a curriculum plan for English and maths for each pupil",
    "leadership": "Set up supervision for staff and keep notes of it",
    "outcomes": "Agree a reintegration timeline for each pupil at the first review",
}
SUMMARIES = (
    "A calm, well-run setting. Pupils are known well and staff keep clear records.",
    "Pupils are safe and engaged. Record keeping needs tightening, as set out in the actions.",
    "Leaders have improved the curriculum since the last visit; attendance remains a concern.",
)


def add_inspections(run: ScaleRun, provider: ScaleProvider, until: date) -> None:
    rng = run.rng
    visit = add_months(provider.approved_on, 3) + timedelta(days=rng.randint(-20, 20))
    while visit <= until:
        _inspection(run, provider, visit)
        visit = add_months(visit, 12) + timedelta(days=rng.randint(-30, 20))
        if rng.random() < 0.1:
            visit += timedelta(days=rng.randint(30, 90))  # a late one: overdue now and then
    if (
        provider.status is FrameworkStatus.APPROVED
        and visit <= run.today + timedelta(days=60)
        and rng.random() < 0.5
    ):
        planned = max(run.today + timedelta(days=rng.randint(3, 40)), visit)
        run.writer.add(
            "inspections",
            {
                "id": run.writer.next_id("inspections"),
                "provider_id": provider.id,
                "status": InspectionStatus.PLANNED,
                "planned_date": planned,
                "visit_date": None,
                "inspector_id": rng.choice(run.staff),
                "overall_outcome": None,
                "summary": None,
                "published_at": None,
                **run.timestamps(run.at(run.today - timedelta(days=20))),
            },
        )


def _inspection(run: ScaleRun, provider: ScaleProvider, visit: date) -> None:
    rng = run.rng
    inspection = run.writer.next_id("inspections")
    published = run.at(min(visit + timedelta(days=rng.randint(5, 20)), run.today))
    judgements = {key: run.pick(list(Judgement), (84, 14, 2)) for key, _ in DEFAULT_AREAS}
    if judgements["safeguarding"] is Judgement.NOT_MET and rng.random() < 0.5:
        judgements["safeguarding"] = Judgement.PARTLY_MET
    if judgements["safeguarding"] is Judgement.NOT_MET:
        outcome = InspectionOutcome.NOT_APPROVED
    elif any(j is not Judgement.MET for j in judgements.values()):
        outcome = InspectionOutcome.APPROVED_WITH_ACTIONS
    else:
        outcome = InspectionOutcome.APPROVED
    run.writer.add(
        "inspections",
        {
            "id": inspection,
            "provider_id": provider.id,
            "status": InspectionStatus.PUBLISHED,
            "planned_date": visit - timedelta(days=rng.randint(7, 30)),
            "visit_date": visit,
            "inspector_id": rng.choice(run.staff),
            "overall_outcome": outcome,
            "summary": rng.choice(SUMMARIES),
            "published_at": published,
            **run.timestamps(run.at(visit - timedelta(days=40)), published),
        },
    )
    for position, (key, area) in enumerate(DEFAULT_AREAS):
        judgement = judgements[key]
        run.writer.add(
            "inspection_judgements",
            {
                "id": run.writer.next_id("inspection_judgements"),
                "inspection_id": inspection,
                "area_key": key,
                "area_name": area,
                "position": position,
                "judgement": judgement,
                "findings": FINDINGS[judgement],
            },
        )
        if judgement is not Judgement.MET:
            _action(run, provider, inspection, visit, key)


def _action(
    run: ScaleRun, provider: ScaleProvider, inspection: int, visit: date, area: str
) -> None:
    rng, today = run.rng, run.today
    due = visit + timedelta(weeks=rng.randint(6, 12))
    status, done_on, closed_on = ActionStatus.OPEN, None, None
    if due < today - timedelta(days=30) and rng.random() < 0.95:
        status, done_on = ActionStatus.CLOSED, due - timedelta(days=rng.randint(0, 20))
        closed_on = min(done_on + timedelta(days=rng.randint(3, 20)), today)
    elif rng.random() < 0.4:
        status, done_on = (
            ActionStatus.DONE,
            min(visit + timedelta(days=rng.randint(7, 40)), today),
        )
    run.writer.add(
        "inspection_actions",
        {
            "id": run.writer.next_id("inspection_actions"),
            "inspection_id": inspection,
            "provider_id": provider.id,
            "description": ACTIONS[area],
            "owner": ActionOwner.PROVIDER if rng.random() < 0.9 else ActionOwner.LA,
            "due_date": due,
            "status": status,
            "done_on": done_on,
            "closed_on": closed_on,
            "provider_note": "Done: evidence sent by email." if done_on else None,
            "la_note": "Checked at follow-up visit." if closed_on else None,
            **run.timestamps(run.at(visit), run.at(closed_on or done_on or visit)),
        },
    )
