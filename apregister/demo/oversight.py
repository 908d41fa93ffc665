"""Demo scenes for the riskiest AP: a setting a school added that is not on the framework, with
placements there still to review and already reviewed; a placement overrunning its planned end;
one beyond the unregistered limits; one at a provider suspended since it started; past
sessions left unrecorded; and absences to follow up, late, and escalated."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select

from apregister.extensions import db
from apregister.models import (
    AbsenceCase,
    AbsenceTrigger,
    Attendance,
    AttendanceCode,
    Escalation,
    ExtensionRequest,
    ExtensionStatus,
    FrameworkStatus,
    Organisation,
    PlacementOutcome,
    PlacementReason,
    Provider,
    RegistrationType,
    Session,
    User,
)
from apregister.placements import rules
from apregister.providers.operations import ProviderDetails, add_provider

UNLISTED = "Riverside Boxing Academy"
THREE_DAYS = rules.mask_from(["mon_am", "mon_pm", "wed_am", "wed_pm", "fri_am", "fri_pm"])


def seed_oversight(
    *,
    today: date,
    monday: date,
    schools: list[Organisation],
    providers: dict[str, Provider],
    lead: User,
    make_pupil,
    make_placement,
    record_attendance,
) -> None:
    """`make_pupil`, `make_placement` and `record_attendance` are demo.placements' own."""
    school, school2 = schools[0], schools[1]
    boxing = add_provider(
        ProviderDetails(
            name=UNLISTED,
            registration_type=RegistrationType.OTHER_UNREGISTERED,
            address_line_1="Unit 4, Canal Yard",
            town="Demoton",
            postcode="DE2 4BX",
            contact_name="Head coach",
            contact_phone="01632960077",
        ),
        status=FrameworkStatus.NOT_ON_FRAMEWORK,
        reason=f"Added by {school.name} to record a placement there",
        today=monday - timedelta(weeks=6),
        by=None,
    )
    # Off the framework, waiting for the LA's review (Northfield Academy's).
    waiting = make_placement(
        make_pupil(20, school, today, first_name="Tyler", last_name="Quinn"),
        boxing,
        start=monday - timedelta(weeks=1),
        mask=THREE_DAYS,
        hours="15",
        reason=PlacementReason.RE_ENGAGE,
        off_framework=True,
        off_framework_status=FrameworkStatus.NOT_ON_FRAMEWORK,
        off_framework_reason="He trusts the coaches there and has attended every session "
        "of their holiday scheme; no approved provider offers sport-based learning nearby",
    )
    record_attendance(waiting, today)
    # Off the framework, reviewed by the LA (Riverside High School's).
    reviewed = make_placement(
        make_pupil(21, school2, today, first_name="Zara", last_name="Rahman"),
        boxing,
        start=monday - timedelta(weeks=5),
        mask=THREE_DAYS,
        hours="15",
        off_framework=True,
        off_framework_status=FrameworkStatus.NOT_ON_FRAMEWORK,
        off_framework_reason="Recommended by the youth offending team",
        off_framework_reviewed_on=monday - timedelta(weeks=4),
        off_framework_reviewed_by_id=lead.id,
        off_framework_review_note="Visited: safeguarding lead in post, DBS checks seen, "
        "insurance in date. The placement may go on; invited the setting to apply.",
    )
    record_attendance(reviewed, today)

    # Overrunning: planned for 12 weeks from 14 weeks ago, no end recorded, still attending.
    overrun = make_placement(
        make_pupil(22, school, today, first_name="Callum", last_name="Shaw"),
        providers["Bridge Pupil Referral Unit"],
        start=monday - timedelta(weeks=14),
        reason=PlacementReason.PREVENT_EXCLUSION,
    )
    record_attendance(overrun, today, gaps=2)

    # Beyond the unregistered limits: full time at an unregistered provider for 16 weeks.
    heavy = make_placement(
        make_pupil(23, school2, today, first_name="Mia", last_name="Turner"),
        providers["Compass Skills Centre"],
        start=monday - timedelta(weeks=13),
        weeks=12,
        reason=PlacementReason.PREVENT_EXCLUSION,
    )
    record_attendance(heavy, today)
    db.session.add(
        ExtensionRequest(
            placement=heavy,
            requested_on=monday - timedelta(weeks=2),
            new_end=heavy.start_date + timedelta(weeks=16),
            reason="To finish the Level 1 course",
            status=ExtensionStatus.APPROVED,
            decided_by_id=lead.id,
            decided_on=monday - timedelta(weeks=1),
            decision_reason="Agreed at panel until the course ends",
        )
    )
    heavy.planned_end = heavy.start_date + timedelta(weeks=16)

    # At a provider suspended since the placement started.
    lapsed = make_placement(
        make_pupil(24, school, today, first_name="Ruby", last_name="Vaughan"),
        providers["Willow Therapeutic Education"],
        start=monday - timedelta(weeks=3),
        mask=rules.mask_from(["tue_am", "tue_pm", "thu_am", "thu_pm"]),
        hours="10",
        reason=PlacementReason.MEDICAL,
    )
    record_attendance(lapsed, today)

    # Past the retention period: a placement that ended seven years ago (Settings, "How long
    # pupils' details are kept" lists this pupil until the worker's nightly run removes them).
    former = make_pupil(25, school2, today, first_name="Jordan", last_name="Ellis")
    former.date_of_birth = date(today.year - 21, 5, 9)
    long_ago = monday - timedelta(weeks=52 * 7 + 12)
    make_placement(
        former,
        providers["Bridge Pupil Referral Unit"],
        start=long_ago,
        actual_end=long_ago + timedelta(weeks=12),
        outcome=PlacementOutcome.RETURNED_HOME_SCHOOL,
    )
    db.session.flush()
    _absences(today, waiting, reviewed, overrun)


def _absences(today: date, waiting, reviewed, overrun) -> None:
    """An absence for Northfield Academy to follow up today, one Riverside High School left
    past the next school day (so the LA sees it), and an escalation still open."""
    last = today - timedelta(days=1)
    while last.weekday() >= 5:
        last -= timedelta(days=1)
    week_ago = last - timedelta(days=7)
    now = datetime.now(UTC)
    db.session.flush()
    _marks_match(waiting, last, Session.AM, AttendanceCode.UNEXPLAINED)
    _marks_match(reviewed, week_ago, Session.AM, None)
    _marks_match(overrun, week_ago, Session.PM, AttendanceCode.UNEXPLAINED)
    for placement, day, trigger in (
        (waiting, last, AbsenceTrigger.UNEXPLAINED),
        (reviewed, week_ago, AbsenceTrigger.NOT_RECORDED),
    ):
        db.session.add(
            AbsenceCase(
                placement_id=placement.id,
                date=day,
                session=Session.AM,
                trigger=trigger,
                raised_at=now,
            )
        )
    db.session.add(
        AbsenceCase(
            placement_id=overrun.id,
            date=week_ago,
            session=Session.PM,
            trigger=AbsenceTrigger.UNEXPLAINED,
            raised_at=now,
            contacted_whom="His father, by telephone",
            contacted_at=now,
            safe_and_well=False,
            reason="Not at home; family do not know where he is",
            dfe_code="O",
            followed_up_at=now,
            escalation=Escalation.CHILDRENS_SOCIAL_CARE,
            escalation_note="Referred to the front door team; police informed",
        )
    )
    db.session.flush()


def _marks_match(placement, day: date, session: Session, code: AttendanceCode | None) -> None:
    """The register says what the case says: absent for no known reason, or nothing."""
    row = db.session.scalars(
        select(Attendance).where(
            Attendance.placement_id == placement.id,
            Attendance.date == day,
            Attendance.session == session,
        )
    ).first()
    if row is not None and code is None:
        db.session.delete(row)
    elif row is not None:
        row.code = code
