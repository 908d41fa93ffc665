"""`flask seed-scale`: a small run writes a consistent data set that every page can show."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select
from stdnum.gb import upn as stdnum_upn

from apregister.demo import scale
from apregister.models import (
    REGISTERED_TYPES,
    Attendance,
    AuditEvent,
    ComplianceDocument,
    ExtensionRequest,
    ExtensionStatus,
    FrameworkStatus,
    FrameworkStatusChange,
    Inspection,
    InspectionAction,
    InspectionJudgement,
    InspectionStatus,
    Organisation,
    OrganisationKind,
    Placement,
    PlacementStatus,
    Provider,
    ProviderTag,
    Pupil,
    Review,
    Role,
    School,
    SelfAssessment,
    SelfAssessmentEntry,
    SelfAssessmentVersion,
    User,
)
from apregister.placements.rules import attends, last_day
from apregister.pupils.rules import year_group
from tests.conftest import make_pupil, make_school, make_user, sign_in

SMALL = ["--schools", "5", "--providers", "7", "--placements", "300", "--years", "2"]
SMALL += ["--attendance-weeks", "2", "--seed", "7"]
EVERY_MODEL = (
    Organisation,
    School,
    Provider,
    ProviderTag,
    FrameworkStatusChange,
    ComplianceDocument,
    User,
    Pupil,
    Placement,
    Review,
    ExtensionRequest,
    Attendance,
    Inspection,
    InspectionJudgement,
    InspectionAction,
    SelfAssessment,
    SelfAssessmentVersion,
    SelfAssessmentEntry,
    AuditEvent,
)


def _count(db, model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def _seed(app, *extra: str):
    return app.test_cli_runner().invoke(args=["seed-scale", *SMALL, *extra])


@pytest.fixture
def seeded(app, db):
    result = _seed(app)
    assert result.exit_code == 0, result.output
    db.session.expire_all()
    return result.output


def test_seed_scale_writes_the_rows_it_reports(seeded, db):
    printed = {
        name: int(number.replace(",", ""))
        for name, number in re.findall(r"^\s+([a-z_]+)\s+([\d,]+)$", seeded, re.MULTILINE)
    }
    assert printed.pop("total") == sum(printed.values())
    assert printed == {name: n for name, n in scale.row_counts().items() if n}
    assert _count(db, School) == 5
    assert _count(db, Provider) == 7
    assert _count(db, Placement) == 300
    assert 200 <= _count(db, Pupil) < 300  # about 0.8 a placement
    for model in (Review, ExtensionRequest, Attendance, Inspection, InspectionJudgement):
        assert _count(db, model) > 0, model.__name__
    for model in (SelfAssessment, SelfAssessmentEntry, ComplianceDocument, AuditEvent):
        assert _count(db, model) > 0, model.__name__
    assert re.search(r"Done in \d+ s\.", seeded)


def test_every_row_reads_back_through_the_models(seeded, db):
    """Enums, dates and JSON were stored as the app stores them."""
    for model in EVERY_MODEL:
        assert db.session.scalars(select(model)).all(), model.__name__


def test_seeded_data_keeps_the_rules_the_database_cannot_check(seeded, db):
    today = date.today()
    statuses = {status for (status,) in db.session.execute(select(Provider.framework_status))}
    assert statuses == set(FrameworkStatus)
    placements = db.session.scalars(select(Placement)).all()
    seen = set()
    for placement in placements:
        provider = placement.provider
        if placement.off_framework:  # at a setting the LA never approved, for a reason
            assert provider.framework_status is FrameworkStatus.NOT_ON_FRAMEWORK
            assert placement.off_framework_reason and placement.school_id is not None
        else:
            assert provider.approved_on is not None
            assert provider.approved_on <= placement.start_date
        assert placement.full_time == (placement.hours_per_week >= 18)
        assert placement.school_id == (
            placement.pupil.owner_id
            if placement.pupil.owner.kind is OrganisationKind.SCHOOL
            else None
        )
        assert 1 <= year_group(placement.pupil.date_of_birth, placement.start_date) <= 11
        assert placement.actual_end is None or placement.actual_end <= today
        assert (placement.outcome is None) == (placement.actual_end is None)
        if placement.cancelled_on is not None:
            assert placement.cancelled_on < placement.start_date
        seen.add(placement.status_on(today))
    assert {PlacementStatus.ACTIVE, PlacementStatus.ENDED} <= seen

    by_id = {placement.id: placement for placement in placements}
    for row in db.session.scalars(select(Attendance)):
        placement = by_id[row.placement_id]
        assert placement.cancelled_on is None
        assert (
            placement.start_date
            <= row.date
            <= last_day(placement.planned_end, placement.actual_end)
        )
        assert row.date < today
        assert attends(placement.session_mask, row.date, 0 if row.session.value == "AM" else 1)
    for review in db.session.scalars(select(Review)):
        placement = by_id[review.placement_id]
        assert placement.start_date <= review.review_date <= today
        assert len(review.progress) == len(placement.objective_list)
    for request in db.session.scalars(select(ExtensionRequest)):
        if request.status is ExtensionStatus.APPROVED:
            assert by_id[request.placement_id].planned_end == request.new_end

    upns = [upn for (upn,) in db.session.execute(select(Pupil.upn).where(Pupil.upn.is_not(None)))]
    assert upns and all(stdnum_upn.is_valid(upn) for upn in upns)

    for provider in db.session.scalars(select(Provider)):
        assert bool(provider.urn) <= (provider.registration_type in REGISTERED_TYPES)
    for inspection in db.session.scalars(select(Inspection)):
        if inspection.status is InspectionStatus.PUBLISHED:
            assert [j.area_key for j in inspection.judgements] == [
                "safeguarding",
                "health_safety",
                "admissions",
                "education",
                "leadership",
                "outcomes",
            ]
            assert inspection.visit_date <= today


def test_seed_scale_refuses_a_database_with_placements_unless_told(seeded, app, db):
    before = _count(db, Placement)
    refused = _seed(app)
    assert refused.exit_code != 0
    assert "already has placements" in refused.output
    assert _count(db, Placement) == before

    again = _seed(app, "--yes")
    assert again.exit_code == 0, again.output
    assert _count(db, Placement) == 2 * before
    assert _count(db, Provider) == 14  # new names, URNs and UPNs: nothing clashed


def test_the_app_adds_records_after_a_seed(seeded, db):
    """On PostgreSQL the id sequences were moved past the ids the seed used."""
    school = make_school()
    pupil = make_pupil(owner=school)
    assert pupil.id > 0 and school.id > 0


def test_pages_render_for_users_of_a_seeded_register(seeded, client, db):
    today = date.today()
    placement = db.session.scalars(
        select(Placement).where(
            Placement.actual_end.is_(None),
            Placement.cancelled_on.is_(None),
            Placement.start_date <= today,
        )
    ).first()
    inspection = db.session.scalars(select(Inspection)).first()
    lead = make_user(Role.LA_LEAD)
    assert sign_in(client, lead).status_code == 302
    pages = [
        "/",
        "/placements",
        "/placements?status=active",
        "/placements?review_overdue=y",
        "/providers",
        "/pupils",
        "/audit",
        "/inspections",
        "/self-assessments",
        "/dashboard",
        f"/placements/{placement.id}",
        f"/providers/{placement.provider_id}",
        f"/pupils/{placement.pupil_id}",
        f"/inspections/{inspection.id}",
        "/placements/export.csv",
    ]
    for path in pages:
        assert client.get(path).status_code == 200, path
    export = client.get("/placements/export.csv").get_data(as_text=True)
    assert len(export.strip().splitlines()) >= 301  # a header and every placement


def test_provider_pages_render_for_a_seeded_provider(seeded, app, db):
    today = date.today()
    busiest = db.session.scalar(
        select(Placement.provider_id)
        .where(Placement.actual_end.is_(None), Placement.cancelled_on.is_(None))
        .group_by(Placement.provider_id)
        .order_by(func.count().desc())
        .limit(1)
    )
    staff = make_user(Role.PROVIDER, db.session.get(Provider, busiest))
    client = app.test_client()
    assert sign_in(client, staff).status_code == 302
    week = (today - timedelta(days=7)).isoformat()
    for path in ("/", "/attendance", f"/attendance?week={week}", "/placements", "/inspections"):
        assert client.get(path).status_code == 200, path


def test_the_attendance_day_totals_are_those_of_the_seeded_sessions(seeded, db):
    from apregister.models import AttendanceCode, AttendanceDayTotal

    present, counted = db.session.execute(
        select(func.sum(AttendanceDayTotal.present), func.sum(AttendanceDayTotal.counted))
    ).one()
    codes = db.session.scalars(select(Attendance.code)).all()
    assert present == sum(code is AttendanceCode.PRESENT for code in codes) > 0
    assert counted == sum(code is not AttendanceCode.NOT_REQUIRED for code in codes)
