"""Builders shared by the self-assessment tests."""

from __future__ import annotations

from datetime import date

from apregister.extensions import db
from apregister.models import (
    Judgement,
    Provider,
    SelfAssessment,
    SelfAssessmentEntry,
    SelfAssessmentStatus,
    SelfAssessmentVersion,
)
from apregister.models.base import utcnow
from apregister.qa.rules import DEFAULT_AREAS, academic_year

TODAY = date.today()
THIS_YEAR = academic_year(TODAY)
LA_COMMENT = "Say when the safeguarding policy was last reviewed"


def make_self_assessment(
    provider: Provider,
    status: SelfAssessmentStatus = SelfAssessmentStatus.DRAFT,
    *,
    year: str = THIS_YEAR,
    answered: bool | None = None,
) -> SelfAssessment:
    """A self-assessment written directly, in one version, at `status`. A submitted, returned or
    accepted one is always fully answered; a returned one has an LA comment on the first area."""
    answered = status is not SelfAssessmentStatus.DRAFT if answered is None else answered
    entries = [
        SelfAssessmentEntry(
            area_key=key,
            area_name=name,
            position=position,
            rating=Judgement.MET if answered else None,
            evidence=f"Our evidence for {name}" if answered else None,
        )
        for position, (key, name) in enumerate(DEFAULT_AREAS)
    ]
    version = SelfAssessmentVersion(number=1, entries=entries)
    if status is not SelfAssessmentStatus.DRAFT:
        version.submitted_at = utcnow()
    if status in (SelfAssessmentStatus.RETURNED, SelfAssessmentStatus.ACCEPTED):
        version.reviewed_at = utcnow()
        version.review_outcome = status
        if status is SelfAssessmentStatus.RETURNED:
            entries[0].la_comment = LA_COMMENT
            version.review_comment = "Nearly there"
    assessment = SelfAssessment(
        provider_id=provider.id,
        academic_year=year,
        status=status,
        accepted_on=TODAY if status is SelfAssessmentStatus.ACCEPTED else None,
        versions=[version],
    )
    db.session.add(assessment)
    db.session.commit()
    return assessment


def answers(rating: str = "met", **overrides) -> dict:
    """A complete set of answers, as the provider's form posts them."""
    data = {}
    for index, (_, name) in enumerate(DEFAULT_AREAS):
        data[f"rating_{index}"] = rating
        data[f"evidence_{index}"] = f"Our evidence for {name}"
    return data | overrides
