"""The register's QA filters agree with the QA status the pages show, on every date: month
ends, 29 February and the days around them included."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from apregister.models import (
    FrameworkStatus,
    Inspection,
    InspectionOutcome,
    InspectionStatus,
    LaSettings,
    Provider,
    SelfAssessment,
    SelfAssessmentStatus,
)
from apregister.providers.queries import qa_clause
from apregister.qa.rules import add_months, latest_due_by
from apregister.qa.status import qa_statuses
from tests.conftest import make_provider

# last visits, acceptances and approvals on the awkward days of a leap year and the next
AWKWARD = (
    date(2027, 2, 28),
    date(2027, 3, 1),
    date(2027, 3, 31),
    date(2027, 4, 30),
    date(2027, 11, 30),
    date(2027, 12, 31),
    date(2028, 2, 28),
    date(2028, 2, 29),
    date(2028, 3, 1),
)


def test_latest_due_by_turns_the_due_date_rule_round():
    day = date(2027, 1, 1)
    while day < date(2030, 1, 1):
        for months in (1, 2, 3, 12):
            last = latest_due_by(day, months)
            assert add_months(last, months) <= day < add_months(last + timedelta(days=1), months)
        day += timedelta(days=1)


def _scene(db):
    settings = LaSettings(first_inspection_months=2, first_self_assessment_months=3)
    db.session.add(settings)
    for n, day in enumerate(AWKWARD):
        approved = make_provider(approved_on=day)  # first inspection 2 months after
        visited = make_provider(approved_on=date(2020, 1, 1))
        db.session.add_all(
            [
                Inspection(
                    provider_id=visited.id,
                    status=InspectionStatus.PUBLISHED,
                    visit_date=day,
                    overall_outcome=InspectionOutcome.APPROVED,
                ),
                SelfAssessment(
                    provider_id=visited.id,
                    academic_year=f"20{n:02d}/{n + 1:02d}",
                    status=SelfAssessmentStatus.ACCEPTED,
                    accepted_on=day,
                ),
            ]
        )
        assert approved.id
    make_provider(framework_status=FrameworkStatus.REMOVED, approved_on=date(2020, 1, 1))
    db.session.commit()
    return settings


def test_the_qa_filters_agree_with_the_qa_status_on_every_date(app, db):
    settings = _scene(db)
    providers = db.session.scalars(select(Provider)).all()
    day = date(2027, 4, 20)
    with app.test_request_context():
        while day <= date(2029, 3, 10):
            statuses = qa_statuses(providers, settings, day)

            def found(key, day=day):
                return set(
                    db.session.scalars(
                        select(Provider.id).where(qa_clause(key, settings, day))
                    )
                )

            overdue = {p for p, s in statuses.items() if not s.up_to_date}
            assert found("overdue") == overdue, day
            assert found("self_assessment_overdue") == {
                p for p, s in statuses.items() if s.self_assessment.overdue
            }, day
            assert found("inspection_due") == {
                p
                for p, s in statuses.items()
                if s.inspection.overdue or s.inspection.due_soon
            }, day
            # every day around the turn of each month, every fourth day between
            day += timedelta(days=1 if day.day >= 25 or day.day <= 3 else 4)
