"""The dashboard's QA figure: the share of approved providers whose annual inspection and
self-assessment were both in date, on any day."""

from __future__ import annotations

from bisect import bisect_right
from collections import defaultdict
from datetime import date

from sqlalchemy import select

from apregister.dashboard import rules
from apregister.extensions import db
from apregister.models import (
    FrameworkStatus,
    Inspection,
    InspectionStatus,
    LaSettings,
    Provider,
    SelfAssessment,
    SelfAssessmentStatus,
)
from apregister.qa.rules import add_months


def qa_up_to_date(settings: LaSettings, days: list[date]) -> list[tuple]:
    """Approved providers whose inspection and self-assessment were both in date on each day,
    as (share, how many, of how many): three queries (the providers, their visit dates, their
    acceptance dates), however many days."""
    providers = db.session.execute(
        select(Provider.id, Provider.approved_on).where(
            Provider.framework_status == FrameworkStatus.APPROVED,
            Provider.approved_on.is_not(None),
        )
    ).all()
    visits = _dates_by_provider(
        select(Inspection.provider_id, Inspection.visit_date).where(
            Inspection.status == InspectionStatus.PUBLISHED, Inspection.visit_date.is_not(None)
        )
    )
    accepted = _dates_by_provider(
        select(SelfAssessment.provider_id, SelfAssessment.accepted_on).where(
            SelfAssessment.status == SelfAssessmentStatus.ACCEPTED,
            SelfAssessment.accepted_on.is_not(None),
        )
    )

    def in_date(dates: list[date], approved_on: date, first_months: int, day: date) -> bool:
        before = bisect_right(dates, day)
        last = dates[before - 1] if before else None
        due = add_months(last, 12) if last else add_months(approved_on, first_months)
        return due >= day

    found = []
    for day in days:
        approved = [(pid, on) for pid, on in providers if on <= day]
        up_to_date = sum(
            in_date(visits[pid], on, settings.first_inspection_months, day)
            and in_date(accepted[pid], on, settings.first_self_assessment_months, day)
            for pid, on in approved
        )
        found.append((rules.share(up_to_date, len(approved)), up_to_date, len(approved)))
    return found


def _dates_by_provider(stmt) -> dict[int, list[date]]:
    dates: dict[int, list[date]] = defaultdict(list)
    for provider_id, day in db.session.execute(stmt):
        dates[provider_id].append(day)
    for found in dates.values():
        found.sort()
    return dates
