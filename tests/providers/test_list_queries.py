"""The register list and the provider page run a fixed number of queries: the same with no
provider listed as with many, and the same for a provider with a long history as for a new
one."""

from __future__ import annotations

from datetime import date, timedelta

from apregister.models import (
    ActionOwner,
    ActionStatus,
    Inspection,
    InspectionAction,
    InspectionOutcome,
    InspectionStatus,
    Role,
    SelfAssessment,
    SelfAssessmentStatus,
    SelfAssessmentVersion,
)
from apregister.models.base import utcnow
from tests.conftest import count_queries, make_placement, make_provider, make_pupil

TODAY = date.today()


def _history(db, provider, years: int) -> None:
    """A published inspection with two actions, and an accepted self-assessment, each year."""
    for year in range(years):
        visit = TODAY - timedelta(days=365 * year + 20)
        inspection = Inspection(
            provider_id=provider.id,
            status=InspectionStatus.PUBLISHED,
            visit_date=visit,
            overall_outcome=InspectionOutcome.APPROVED_WITH_ACTIONS,
            published_at=utcnow(),
        )
        inspection.actions = [
            InspectionAction(
                provider_id=provider.id,
                description=f"Action {n} of {year}",
                owner=ActionOwner.PROVIDER,
                due_date=visit + timedelta(days=30),
                status=status,
            )
            for n, status in enumerate((ActionStatus.OPEN, ActionStatus.CLOSED))
        ]
        assessment = SelfAssessment(
            provider_id=provider.id,
            academic_year=f"{2000 + year}/{str(2001 + year)[-2:]}",
            status=SelfAssessmentStatus.ACCEPTED,
            accepted_on=visit,
        )
        assessment.versions = [SelfAssessmentVersion(number=1, submitted_at=utcnow())]
        db.session.add_all([inspection, assessment])
    db.session.commit()


def _queries(client, path: str) -> int:
    with count_queries() as statements:
        assert client.get(path).status_code == 200
    return len(statements)


def test_register_filtered_to_inspections_due_runs_the_same_queries_listing_none_or_some(
    client, db, login_as
):
    login_as(Role.LA_LEAD)
    recent = make_provider(approved_on=TODAY - timedelta(days=400), specialisms=["semh"])
    _history(db, recent, 1)  # visited 20 days ago: not due
    client.get("/providers")
    path = "/providers?qa=inspection_due"
    none_due = _queries(client, path)
    assert "<strong>0</strong> providers" in client.get(path).get_data(as_text=True)
    for _ in range(3):  # approved long ago, never inspected: due
        make_provider(approved_on=TODAY - timedelta(days=800), specialisms=["autism"])
    assert _queries(client, path) == none_due
    assert "<strong>3</strong> providers" in client.get(path).get_data(as_text=True)


def test_provider_page_runs_the_same_queries_however_long_its_history(client, db, login_as):
    login_as(Role.LA_LEAD)
    new = make_provider(approved_on=TODAY - timedelta(days=30), specialisms=["semh"])
    old = make_provider(approved_on=TODAY - timedelta(days=3000), specialisms=["semh", "autism"])
    _history(db, old, 6)
    for _ in range(4):
        make_placement(make_pupil(), old)
    client.get(f"/providers/{new.id}")
    assert _queries(client, f"/providers/{old.id}") == _queries(client, f"/providers/{new.id}")
    page = client.get(f"/providers/{old.id}").get_data(as_text=True)
    assert page.count("Self-assessment 20") == 6
    assert "Action 0 of 5" in page


def test_provider_page_shows_the_last_published_visit_to_a_school(client, db, login_as):
    provider = make_provider(approved_on=TODAY - timedelta(days=3000))
    _history(db, provider, 2)
    login_as(Role.SCHOOL)
    page = client.get(f"/providers/{provider.id}").get_data(as_text=True)
    last_visit = TODAY - timedelta(days=20)
    assert f"{last_visit.day} {last_visit:%B %Y}, Approved with actions" in page
    assert "Action 0 of" not in page  # the timeline is for the LA and the provider
