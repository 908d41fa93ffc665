"""Self-assessment operations: one per provider per year, versions kept, the review's rules."""

from datetime import date

import pytest
from sqlalchemy import func, select

from apregister.models import (
    Judgement,
    QaArea,
    Role,
    SelfAssessment,
    SelfAssessmentStatus,
    SelfAssessmentVersion,
)
from apregister.qa.rules import DEFAULT_AREAS
from apregister.self_assessments import operations
from apregister.self_assessments.operations import Answer, SelfAssessmentRefused
from tests.conftest import make_provider, make_user
from tests.self_assessments import LA_COMMENT, THIS_YEAR, TODAY, make_self_assessment

KEYS = [key for key, _ in DEFAULT_AREAS]


def _full(rating=Judgement.MET) -> dict[str, Answer]:
    return {key: Answer(rating, f"Evidence about {key}") for key in KEYS}


def _fresh(db, assessment) -> SelfAssessment:
    db.session.expire_all()
    return db.session.get(SelfAssessment, assessment.id)


def _versions(db) -> int:
    return db.session.scalar(select(func.count()).select_from(SelfAssessmentVersion))


@pytest.fixture
def provider():
    return make_provider()


@pytest.fixture
def provider_user(provider):
    return make_user(Role.PROVIDER, provider)


@pytest.fixture
def officer():
    return make_user(Role.LA_OFFICER)


# ---- starting -----------------------------------------------------------------------------------


def test_start_makes_a_draft_with_an_empty_entry_per_current_area(db, provider, provider_user):
    assessment, started = operations.start_self_assessment(provider, today=TODAY, by=provider_user)
    db.session.commit()
    assessment = _fresh(db, assessment)
    assert started
    assert assessment.status is SelfAssessmentStatus.DRAFT
    assert assessment.academic_year == THIS_YEAR
    [version] = assessment.versions
    assert version.number == 1
    assert version.submitted_at is None
    assert [(e.area_key, e.area_name) for e in version.entries] == list(DEFAULT_AREAS)
    assert all(e.rating is None and e.evidence is None for e in version.entries)


def test_start_uses_the_las_own_areas_and_keeps_their_names(db, provider, provider_user):
    db.session.add_all(
        [
            QaArea(key="send", name="SEND support", position=2),
            QaArea(key="safeguarding", name="Safeguarding", position=1),
            QaArea(key="premises", name="Premises", position=3, active=False),
        ]
    )
    db.session.commit()
    assessment, _ = operations.start_self_assessment(provider, today=TODAY, by=provider_user)
    db.session.commit()
    entries = _fresh(db, assessment).versions[0].entries
    assert [(e.area_key, e.area_name) for e in entries] == [
        ("safeguarding", "Safeguarding"),
        ("send", "SEND support"),
    ]


def test_starting_twice_in_a_year_gives_back_the_same_one(db, provider, provider_user):
    first, _ = operations.start_self_assessment(provider, today=TODAY, by=provider_user)
    db.session.commit()
    again, started = operations.start_self_assessment(provider, today=TODAY, by=provider_user)
    assert not started
    assert again.id == first.id
    assert db.session.scalar(select(func.count()).select_from(SelfAssessment)) == 1


@pytest.mark.parametrize(
    ("today", "year"),
    [(date(2026, 8, 31), "2025/26"), (date(2026, 9, 1), "2026/27"), (date(2027, 1, 5), "2026/27")],
)
def test_start_files_it_under_the_academic_year(db, provider, provider_user, today, year):
    assessment, _ = operations.start_self_assessment(provider, today=today, by=provider_user)
    assert assessment.academic_year == year


def test_a_new_academic_year_starts_a_new_self_assessment(db, provider, provider_user):
    make_self_assessment(provider, SelfAssessmentStatus.ACCEPTED, year="2020/21")
    assessment, started = operations.start_self_assessment(provider, today=TODAY, by=provider_user)
    assert started
    assert assessment.academic_year == THIS_YEAR


def test_start_is_refused_when_the_la_switched_every_area_off(db, provider, provider_user):
    db.session.add(QaArea(key="safeguarding", name="Safeguarding", active=False))
    db.session.commit()
    with pytest.raises(SelfAssessmentRefused, match="not set any quality assurance areas"):
        operations.start_self_assessment(provider, today=TODAY, by=provider_user)


# ---- answering ----------------------------------------------------------------------------------


def test_a_draft_saves_partial_answers_on_its_only_version(db, provider, provider_user):
    assessment = make_self_assessment(provider)
    operations.save_answers(
        assessment,
        {
            "safeguarding": Answer(Judgement.PARTLY_MET, "  Policy reviewed in May  "),
            "health_safety": Answer(None, "   "),
        },
        by=provider_user,
    )
    db.session.commit()
    assessment = _fresh(db, assessment)
    [version] = assessment.versions
    entries = {e.area_key: e for e in version.entries}
    assert entries["safeguarding"].rating is Judgement.PARTLY_MET
    assert entries["safeguarding"].evidence == "Policy reviewed in May"
    assert entries["health_safety"].evidence is None
    assert assessment.status is SelfAssessmentStatus.DRAFT


def test_revising_a_returned_one_starts_one_new_version_and_keeps_the_old(
    db, provider, provider_user
):
    assessment = make_self_assessment(provider, SelfAssessmentStatus.RETURNED)
    before = [
        (e.area_key, e.rating, e.evidence, e.la_comment) for e in assessment.versions[0].entries
    ]
    operations.save_answers(
        assessment, {"safeguarding": Answer(Judgement.MET, "Reviewed 3 May")}, by=provider_user
    )
    db.session.commit()
    operations.save_answers(
        _fresh(db, assessment),
        {"education": Answer(Judgement.NOT_MET, "New curriculum")},
        by=provider_user,
    )
    db.session.commit()
    assessment = _fresh(db, assessment)
    first, second = assessment.versions
    assert [(e.area_key, e.rating, e.evidence, e.la_comment) for e in first.entries] == before
    assert first.reviewed_at is not None
    assert second.number == 2
    assert second.submitted_at is None
    new = {e.area_key: e for e in second.entries}
    assert new["safeguarding"].evidence == "Reviewed 3 May"
    assert new["education"].rating is Judgement.NOT_MET
    assert new["outcomes"].evidence == first.entries[-1].evidence  # copied
    assert all(e.la_comment is None for e in second.entries)  # the LA's words stay on version 1
    assert assessment.status is SelfAssessmentStatus.RETURNED  # the LA still sees it


@pytest.mark.parametrize("status", [SelfAssessmentStatus.SUBMITTED, SelfAssessmentStatus.ACCEPTED])
def test_answers_cannot_change_once_submitted(db, provider, provider_user, status):
    assessment = make_self_assessment(provider, status)
    with pytest.raises(SelfAssessmentRefused):
        operations.save_answers(assessment, _full(Judgement.NOT_MET), by=provider_user)
    db.session.rollback()
    assessment = _fresh(db, assessment)
    assert all(e.rating is Judgement.MET for e in assessment.versions[0].entries)
    assert _versions(db) == 1


# ---- submitting ---------------------------------------------------------------------------------


def test_submit_needs_every_area_rated_and_evidenced(db, provider, provider_user):
    assessment = make_self_assessment(provider)
    operations.save_answers(
        assessment, _full() | {"outcomes": Answer(Judgement.MET, None)}, by=provider_user
    )
    with pytest.raises(SelfAssessmentRefused) as refused:
        operations.submit_self_assessment(assessment, by=provider_user)
    assert refused.value.field == operations.ANSWERS


def test_submit_records_who_and_when(db, provider, provider_user):
    assessment = make_self_assessment(provider, answered=True)
    operations.submit_self_assessment(assessment, by=provider_user)
    db.session.commit()
    assessment = _fresh(db, assessment)
    assert assessment.status is SelfAssessmentStatus.SUBMITTED
    assert assessment.versions[0].submitted_at is not None
    assert assessment.versions[0].submitted_by_id == provider_user.id


def test_a_returned_one_cannot_be_resubmitted_unchanged_without_a_new_version(
    db, provider, provider_user
):
    assessment = make_self_assessment(provider, SelfAssessmentStatus.RETURNED)
    with pytest.raises(SelfAssessmentRefused):
        operations.submit_self_assessment(assessment, by=provider_user)


def test_submitting_twice_is_refused(db, provider, provider_user):
    assessment = make_self_assessment(provider, answered=True)
    operations.submit_self_assessment(assessment, by=provider_user)
    db.session.commit()
    with pytest.raises(SelfAssessmentRefused, match="already been submitted"):
        operations.submit_self_assessment(_fresh(db, assessment), by=provider_user)


# ---- reviewing ----------------------------------------------------------------------------------


def test_accepting_sets_accepted_on_and_records_the_review(db, provider, officer):
    assessment = make_self_assessment(provider, SelfAssessmentStatus.SUBMITTED)
    operations.review_self_assessment(
        assessment,
        accept=True,
        comments={"education": "Strong curriculum"},
        overall=None,
        today=TODAY,
        by=officer,
    )
    db.session.commit()
    assessment = _fresh(db, assessment)
    version = assessment.versions[0]
    assert assessment.status is SelfAssessmentStatus.ACCEPTED
    assert assessment.accepted_on == TODAY
    assert version.review_outcome is SelfAssessmentStatus.ACCEPTED
    assert version.reviewed_by_id == officer.id
    assert {e.area_key: e.la_comment for e in version.entries}["education"] == "Strong curriculum"


@pytest.mark.parametrize(
    ("comments", "overall"),
    [({}, None), ({"safeguarding": "   "}, "  "), (dict.fromkeys(KEYS), "")],
)
def test_a_return_needs_a_comment(db, provider, officer, comments, overall):
    assessment = make_self_assessment(provider, SelfAssessmentStatus.SUBMITTED)
    with pytest.raises(SelfAssessmentRefused) as refused:
        operations.review_self_assessment(
            assessment, accept=False, comments=comments, overall=overall, today=TODAY, by=officer
        )
    assert refused.value.field == "review_comment"
    assert _fresh(db, assessment).status is SelfAssessmentStatus.SUBMITTED


def test_a_return_with_an_area_comment_stores_it_on_the_reviewed_version(db, provider, officer):
    assessment = make_self_assessment(provider, SelfAssessmentStatus.SUBMITTED)
    operations.review_self_assessment(
        assessment,
        accept=False,
        comments={"safeguarding": LA_COMMENT},
        overall=None,
        today=TODAY,
        by=officer,
    )
    db.session.commit()
    assessment = _fresh(db, assessment)
    assert assessment.status is SelfAssessmentStatus.RETURNED
    assert assessment.accepted_on is None
    assert assessment.versions[0].entries[0].la_comment == LA_COMMENT
    assert assessment.versions[0].review_outcome is SelfAssessmentStatus.RETURNED


@pytest.mark.parametrize(
    "status",
    [SelfAssessmentStatus.DRAFT, SelfAssessmentStatus.RETURNED, SelfAssessmentStatus.ACCEPTED],
)
def test_only_a_submitted_one_can_be_reviewed(db, provider, officer, status):
    assessment = make_self_assessment(provider, status)
    with pytest.raises(SelfAssessmentRefused, match="not waiting for review"):
        operations.review_self_assessment(
            assessment, accept=True, comments={}, overall=None, today=TODAY, by=officer
        )
    db.session.rollback()
    assert _fresh(db, assessment).status is status


def test_is_complete_needs_a_rating_and_evidence_everywhere(db, provider):
    entries = make_self_assessment(provider, answered=True).versions[0].entries
    assert operations.is_complete(entries)
    entries[2].evidence = "  "
    assert not operations.is_complete(entries)
