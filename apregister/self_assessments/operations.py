"""The only code that changes self-assessments. Flush, never commit; the caller commits once.

A self-assessment moves draft -> submitted -> returned or accepted. Each round is a version:
the provider fills it in, submits it, and the LA's review (outcome and comments) is kept on
that same version. Revising a returned self-assessment starts a new version copied from the
returned one, so what the LA reviewed is never changed afterwards.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select, update

from apregister.extensions import db
from apregister.messages import events
from apregister.models import (
    Judgement,
    Provider,
    SelfAssessment,
    SelfAssessmentEntry,
    SelfAssessmentStatus,
    SelfAssessmentVersion,
    User,
)
from apregister.models.base import utcnow
from apregister.qa import rules
from apregister.qa.status import current_areas

EDITABLE = frozenset({SelfAssessmentStatus.DRAFT, SelfAssessmentStatus.RETURNED})
RETURN_NEEDS_COMMENT = "Say what the provider needs to change"
INCOMPLETE = "Give a self-rating and evidence for every area before you submit"
ANSWERS = "answers"  # the refusal is about the provider's answers: send them back to the form


class SelfAssessmentRefused(Exception):
    """The change breaks a rule; `field` names the form field the message belongs to."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class Answer:
    rating: Judgement | None
    evidence: str | None


# ---- reading the versions ----------------------------------------------------------------------


def working_version(assessment: SelfAssessment) -> SelfAssessmentVersion | None:
    """The version the provider is filling in: the latest, if it has not been submitted."""
    latest = assessment.versions[-1] if assessment.versions else None
    return latest if latest is not None and latest.submitted_at is None else None


def last_reviewed(assessment: SelfAssessment) -> SelfAssessmentVersion | None:
    """The latest version the LA has reviewed, if any."""
    reviewed = [v for v in assessment.versions if v.reviewed_at is not None]
    return reviewed[-1] if reviewed else None


def is_complete(entries: Iterable[SelfAssessmentEntry]) -> bool:
    """Every area has a self-rating and some evidence."""
    return all(entry.rating is not None and (entry.evidence or "").strip() for entry in entries)


# ---- changing them -----------------------------------------------------------------------------


def _lock(assessment: SelfAssessment, allowed: frozenset[SelfAssessmentStatus], why: str) -> None:
    """Take the self-assessment's row lock and check its status under it, so two people pressing
    a button at the same moment are handled one after the other; then read it afresh."""
    locked = db.session.execute(
        update(SelfAssessment)
        .where(SelfAssessment.id == assessment.id, SelfAssessment.status.in_(allowed))
        .values(updated_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    db.session.expire(assessment)
    if locked.rowcount != 1:
        raise SelfAssessmentRefused(why)


def start_self_assessment(
    provider: Provider, *, today: date, by: User
) -> tuple[SelfAssessment, bool]:
    """The provider's self-assessment for this academic year, and whether it was made now: one
    per provider per year, with an empty entry for each of the LA's current QA areas."""
    year = rules.academic_year(today)
    existing = db.session.scalars(
        select(SelfAssessment).where(
            SelfAssessment.provider_id == provider.id, SelfAssessment.academic_year == year
        )
    ).first()
    if existing is not None:
        return existing, False
    areas = current_areas()
    if not areas:
        raise SelfAssessmentRefused(
            "The LA has not set any quality assurance areas yet, so there is nothing to assess. "
            "Contact the LA"
        )
    version = SelfAssessmentVersion(
        number=1,
        entries=[
            SelfAssessmentEntry(area_key=area.key, area_name=area.name, position=position)
            for position, area in enumerate(areas)
        ],
    )
    assessment = SelfAssessment(
        provider_id=provider.id,
        academic_year=year,
        status=SelfAssessmentStatus.DRAFT,
        versions=[version],
    )
    db.session.add(assessment)
    db.session.flush()
    return assessment, True


def _new_version(assessment: SelfAssessment) -> SelfAssessmentVersion:
    """A new round copied from the last one (ratings and evidence, not the LA's comments)."""
    previous = assessment.versions[-1]
    version = SelfAssessmentVersion(
        number=previous.number + 1,
        entries=[
            SelfAssessmentEntry(
                area_key=entry.area_key,
                area_name=entry.area_name,
                position=entry.position,
                rating=entry.rating,
                evidence=entry.evidence,
            )
            for entry in previous.entries
        ],
    )
    assessment.versions.append(version)
    return version


def save_answers(
    assessment: SelfAssessment, answers: Mapping[str, Answer], *, by: User
) -> SelfAssessmentVersion:
    """Save the provider's answers (by area key; partial answers are fine) on the version being
    filled in, starting a new one (once) when the self-assessment was returned."""
    _lock(
        assessment,
        EDITABLE,
        "This self-assessment has been submitted, so it cannot be changed now",
    )
    version = working_version(assessment) or _new_version(assessment)
    for entry in version.entries:
        answer = answers.get(entry.area_key)
        if answer is None:
            continue
        entry.rating = answer.rating
        entry.evidence = (answer.evidence or "").strip() or None
    db.session.flush()
    return version


def submit_self_assessment(assessment: SelfAssessment, *, by: User) -> SelfAssessmentVersion:
    """Send the version being filled in to the LA; every area must be rated and evidenced."""
    _lock(assessment, EDITABLE, "This self-assessment has already been submitted")
    version = working_version(assessment)
    if version is None or not version.entries or not is_complete(version.entries):
        raise SelfAssessmentRefused(INCOMPLETE, ANSWERS)
    version.submitted_at = utcnow()
    version.submitted_by_id = by.id
    assessment.status = SelfAssessmentStatus.SUBMITTED
    db.session.flush()
    events.self_assessment_submitted(assessment)
    return version


def review_self_assessment(
    assessment: SelfAssessment,
    *,
    accept: bool,
    comments: Mapping[str, str | None],
    overall: str | None,
    today: date,
    by: User,
) -> SelfAssessmentVersion:
    """The LA's decision on the submitted version: accept it (the next one is due a year from
    today) or return it with comments saying what to change."""
    comments = {key: (text or "").strip() or None for key, text in comments.items()}
    overall = (overall or "").strip() or None
    if not accept and overall is None and not any(comments.values()):
        raise SelfAssessmentRefused(RETURN_NEEDS_COMMENT, "review_comment")
    _lock(
        assessment,
        frozenset({SelfAssessmentStatus.SUBMITTED}),
        "This self-assessment is not waiting for review",
    )
    version = assessment.versions[-1]
    for entry in version.entries:
        entry.la_comment = comments.get(entry.area_key)
    outcome = SelfAssessmentStatus.ACCEPTED if accept else SelfAssessmentStatus.RETURNED
    version.reviewed_at = utcnow()
    version.reviewed_by_id = by.id
    version.review_outcome = outcome
    version.review_comment = overall
    assessment.status = outcome
    if accept:
        assessment.accepted_on = today
    db.session.flush()
    events.self_assessment_reviewed(assessment)
    return version
