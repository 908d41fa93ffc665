"""Children's data kept only as long as needed (issue 12): past the LA's retention period after
a pupil's last placement, the worker removes their name, UPN, exact date of birth and every
note, keeps the codes the figures are made from, and audits each removal. The la_lead can
preview the next run and set the period."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import func, select

from apregister.models import (
    AbsenceCase,
    AbsenceTrigger,
    Attendance,
    AttendanceCode,
    AuditAction,
    AuditEvent,
    Placement,
    PlacementCheck,
    Pupil,
    Review,
    ReviewDecision,
    Role,
    Session,
)
from apregister.retention import cutoff, preview, remove_past_retention
from apregister.settings import current_settings
from tests.conftest import make_placement, make_pupil, make_school, make_user, submit

TODAY = date(2026, 12, 4)
LONG_AGO = date(2019, 7, 19)  # more than 6 years before TODAY
RECENT = date(2021, 7, 16)


def _ended(pupil, last_day: date, **extra) -> Placement:
    placement = make_placement(
        pupil,
        start_date=last_day - timedelta(weeks=12),
        planned_end=last_day,
        actual_end=last_day,
        objectives="Rebuild confidence after the family's move",
        dsl_name="Dee Lead",
        **extra,
    )
    return placement


def _notes(db, placement: Placement) -> None:
    db.session.add_all(
        [
            Review(
                placement_id=placement.id,
                review_date=placement.start_date + timedelta(weeks=6),
                decision=ReviewDecision.CONTINUE,
                progress=[{"objective": "Attend", "progress": "Talked about home life"}],
                notes="Worried about a sibling",
            ),
            AbsenceCase(
                placement_id=placement.id,
                date=placement.start_date + timedelta(days=2),
                session=Session.AM,
                trigger=AbsenceTrigger.UNEXPLAINED,
                contacted_whom="Mother, by telephone",
                reason="Unwell",
            ),
            PlacementCheck(
                placement_id=placement.id,
                item="pupil_views",
                complete=True,
                recorded_on=placement.start_date,
                details="Says school is frightening",
            ),
            Attendance(
                placement_id=placement.id,
                date=placement.start_date,
                session=Session.AM,
                code=AttendanceCode.PRESENT,
            ),
        ]
    )
    db.session.commit()


def test_a_pupil_past_the_period_loses_every_personal_detail_but_not_the_figures(db):
    school = make_school()
    old = make_pupil(
        school, first_name="Olive", last_name="Oldrecord", date_of_birth=date(2005, 3, 14)
    )
    placement = _ended(old, LONG_AGO)
    _notes(db, placement)
    kept = make_pupil(school, first_name="Kit", last_name="Recent")
    _ended(kept, RECENT)

    assert remove_past_retention(TODAY) == 1
    db.session.commit()
    db.session.expire_all()
    gone = db.session.get(Pupil, old.id)
    assert (gone.first_name, gone.last_name, gone.upn) == ("Removed", "pupil", None)
    assert gone.date_of_birth == date(2005, 9, 1) and gone.removed_on == TODAY
    assert gone.sen_status == old.sen_status  # what the figures need stays
    held = db.session.get(Placement, placement.id)
    assert held.objectives == "" and held.dsl_name is None
    assert held.actual_end == LONG_AGO and held.provider_id == placement.provider_id
    review = db.session.scalars(select(Review)).one()
    assert review.notes is None and review.progress == []
    case = db.session.scalars(select(AbsenceCase)).one()
    assert case.contacted_whom is None and case.reason is None
    assert db.session.scalars(select(PlacementCheck)).one().details == ""
    assert db.session.scalar(select(func.count(Attendance.id))) == 1
    # nothing removed is left in the audit log, and the removal itself is there
    logged = " ".join(
        str(event.changes) for event in db.session.scalars(select(AuditEvent)) if event.changes
    )
    for removed in ("Olive", "Oldrecord", "frightening", "sibling", "Mother, by telephone"):
        assert removed not in logged
    removal = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == AuditAction.RETENTION_REMOVAL)
    ).one()
    assert removal.record_id == str(old.id)
    assert db.session.get(Pupil, kept.id).first_name == "Kit"
    assert remove_past_retention(TODAY) == 0  # once


def test_a_placement_still_running_keeps_its_pupil(db):
    pupil = make_pupil(make_school())
    _ended(pupil, LONG_AGO)
    make_placement(pupil, start_date=LONG_AGO, planned_end=LONG_AGO + timedelta(weeks=12))
    assert remove_past_retention(TODAY) == 0


def test_the_period_is_the_las_and_the_cut_off_is_exact(db):
    settings = current_settings()
    assert settings.retention_years == 6
    assert cutoff(TODAY, 6) == date(2020, 12, 4)
    assert cutoff(date(2028, 2, 29), 1) == date(2027, 2, 28)
    pupil = make_pupil(make_school())
    _ended(pupil, date(2020, 12, 3))
    on_the_day = make_pupil(make_school())
    _ended(on_the_day, date(2020, 12, 4))
    found = preview(TODAY)
    assert (found.count, [pid for pid, _ in found.first]) == (1, [pupil.id])
    settings.retention_years = 10
    db.session.add(settings)
    db.session.commit()
    assert preview(TODAY).count == 0


def test_the_lead_previews_and_sets_the_period_and_others_may_not(app, client, db, login_as):
    pupil = make_pupil(make_school())
    _ended(pupil, date.today() - timedelta(days=7 * 365))
    login_as(Role.LA_LEAD)
    page = client.get("/settings/retention").get_data(as_text=True)
    assert "What the next run will remove" in page and f"Pupil {pupil.id}" in page
    bad = submit(client, "/settings/retention", {"retention_years": "0"})
    assert bad.status_code == 200 and "must be from 1 to 25" in bad.get_data(as_text=True)
    assert current_settings().retention_years == 6
    assert submit(client, "/settings/retention", {"retention_years": "8"}).status_code == 302
    db.session.expire_all()
    assert current_settings().retention_years == 8
    assert f"Pupil {pupil.id}" not in client.get("/settings/retention").get_data(as_text=True)
    for role in (Role.LA_OFFICER, Role.SCHOOL, Role.PROVIDER, Role.BOARD):
        other = app.test_client()
        from tests.conftest import sign_in

        sign_in(other, make_user(role))
        assert other.get("/settings/retention").status_code == 403, role
