"""Demo QA records: inspections with actions in each state, an overdue inspection, a
safeguarding "not met" judgement, and self-assessments in each state."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select

from apregister.extensions import db
from apregister.models import (
    ActionOwner,
    ActionStatus,
    Inspection,
    InspectionAction,
    InspectionJudgement,
    InspectionOutcome,
    InspectionStatus,
    Judgement,
    Provider,
    SelfAssessment,
    SelfAssessmentEntry,
    SelfAssessmentStatus,
    SelfAssessmentVersion,
    User,
)
from apregister.qa.rules import DEFAULT_AREAS, SAFEGUARDING, academic_year, add_months


def _at(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 10, 0, tzinfo=UTC)


def _inspection(provider, visit, officer, outcome, judgements=None, actions=()):
    inspection = Inspection(
        provider=provider,
        status=InspectionStatus.PUBLISHED,
        planned_date=visit,
        visit_date=visit,
        inspector_id=officer.id,
        overall_outcome=outcome,
        summary="A well-run setting with clear routines."
        if outcome is not InspectionOutcome.NOT_APPROVED
        else "Serious safeguarding concerns were found.",
        published_at=_at(visit + timedelta(days=3)),
    )
    for position, (key, name) in enumerate(DEFAULT_AREAS):
        judgement = (judgements or {}).get(key, Judgement.MET)
        inspection.judgements.append(
            InspectionJudgement(
                area_key=key,
                area_name=name,
                position=position,
                judgement=judgement,
                findings="Meets the standard."
                if judgement is Judgement.MET
                else "Improvement needed: see the actions.",
            )
        )
    for description, owner, due, status in actions:
        inspection.actions.append(
            InspectionAction(
                provider_id=provider.id,
                description=description,
                owner=owner,
                due_date=due,
                status=status,
                provider_note="Done: new policy adopted by the board."
                if status is not ActionStatus.OPEN
                else None,
                done_on=due - timedelta(days=5) if status is not ActionStatus.OPEN else None,
                closed_on=due if status is ActionStatus.CLOSED else None,
            )
        )
    db.session.add(inspection)
    return inspection


def _self_assessment(provider, year, status, when, lead, comment=None):
    assessment = SelfAssessment(provider=provider, academic_year=year, status=status)
    version = SelfAssessmentVersion(number=1)
    if status is not SelfAssessmentStatus.DRAFT:
        version.submitted_at = _at(when)
    if status in (SelfAssessmentStatus.ACCEPTED, SelfAssessmentStatus.RETURNED):
        version.reviewed_at = _at(when + timedelta(days=7))
        version.reviewed_by_id = lead.id
        version.review_outcome = status
        version.review_comment = comment
    if status is SelfAssessmentStatus.ACCEPTED:
        assessment.accepted_on = when + timedelta(days=7)
    for position, (key, name) in enumerate(DEFAULT_AREAS):
        version.entries.append(
            SelfAssessmentEntry(
                area_key=key,
                area_name=name,
                position=position,
                rating=Judgement.MET if key != "outcomes" else Judgement.PARTLY_MET,
                evidence="Policies, training records and attendance registers.",
                la_comment=comment if comment and key == "outcomes" else None,
            )
        )
    assessment.versions.append(version)
    db.session.add(assessment)


def seed_qa(*, today: date, providers: dict[str, Provider], lead: User, officer: User) -> None:
    """Only into a database with no inspections yet, so running the seed twice adds nothing."""
    if db.session.scalar(select(Inspection.id).limit(1)) is not None:
        return
    this_year, last_year = academic_year(today), academic_year(add_months(today, -12))
    bridge = providers["Bridge Pupil Referral Unit"]
    _inspection(
        bridge,
        add_months(today, -11),
        officer,
        InspectionOutcome.APPROVED_WITH_ACTIONS,
        {"admissions": Judgement.PARTLY_MET},
        [
            (
                "Record attendance session by session and send it to schools daily",
                ActionOwner.PROVIDER,
                today + timedelta(days=14),
                ActionStatus.OPEN,
            ),
            (
                "Update the behaviour policy",
                ActionOwner.PROVIDER,
                today - timedelta(days=20),
                ActionStatus.DONE,
            ),
            (
                "Share the LA's referral form with the provider",
                ActionOwner.LA,
                add_months(today, -9),
                ActionStatus.CLOSED,
            ),
        ],
    )
    _self_assessment(bridge, last_year, SelfAssessmentStatus.ACCEPTED, add_months(today, -10), lead)

    compass = providers["Compass Skills Centre"]  # its inspection is overdue
    _inspection(compass, add_months(today, -14), officer, InspectionOutcome.APPROVED)
    _self_assessment(
        compass, this_year, SelfAssessmentStatus.SUBMITTED, today - timedelta(days=5), lead
    )

    horizon = providers["Horizon AP Academy"]
    _inspection(horizon, add_months(today, -3), officer, InspectionOutcome.APPROVED)
    _self_assessment(
        horizon,
        this_year,
        SelfAssessmentStatus.RETURNED,
        today - timedelta(days=30),
        lead,
        comment="Add evidence of pupils' progress and reintegration.",
    )

    tutors = providers["Northgate Tuition"]
    db.session.add(
        Inspection(
            provider=tutors,
            status=InspectionStatus.PLANNED,
            planned_date=today + timedelta(days=7),
            inspector_id=officer.id,
        )
    )
    _self_assessment(tutors, this_year, SelfAssessmentStatus.DRAFT, today, lead)

    willow = providers["Willow Therapeutic Education"]
    _inspection(
        willow,
        add_months(today, -2),
        officer,
        InspectionOutcome.NOT_APPROVED,
        {SAFEGUARDING: Judgement.NOT_MET, "health_safety": Judgement.PARTLY_MET},
        [
            (
                "Complete DBS checks for every member of staff",
                ActionOwner.PROVIDER,
                today - timedelta(days=10),
                ActionStatus.OPEN,
            )
        ],
    )

    hospital = providers["City Hospital School"]
    _self_assessment(
        hospital, this_year, SelfAssessmentStatus.ACCEPTED, today - timedelta(days=40), lead
    )
    db.session.flush()
