"""Demo data for the improvement board: two hundred more placements, across four schools,
the LA and five providers, over a year and a half, with outcomes, attendance and reviews; a baseline
date, and a target and a comparator for every KPI. Enough that the board's dashboard shows
real figures, not "fewer than 5" everywhere. The placements are at schools and providers
with no demo account, and in good order (reviewed, recorded, extended where past 12 weeks),
so the demo accounts' own pages and work queues look as they did."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import insert, select

from apregister.attendance import totals
from apregister.demo.placements import FULL_WEEK, TWO_DAYS, _monday, _placement, _pupil, _upn
from apregister.extensions import db
from apregister.models import (
    Attendance,
    AttendanceCode,
    ExtensionRequest,
    ExtensionStatus,
    FrameworkStatus,
    KpiSetting,
    Organisation,
    PlacementOutcome,
    PlacementReason,
    Provider,
    Pupil,
    Review,
    ReviewDecision,
    SenStatus,
    Session,
    User,
)
from apregister.placements import rules
from apregister.qa.rules import add_months
from apregister.settings import current_settings

FIRST_PUPIL = 100  # demo pupil numbers (and UPNs) from here on are the board's
ENDED = 160  # two ending every week for a year and a half
ACTIVE = 46
OUTCOMES = (
    PlacementOutcome.RETURNED_HOME_SCHOOL,
    PlacementOutcome.RETURNED_HOME_SCHOOL,
    PlacementOutcome.ANOTHER_MAINSTREAM,
    PlacementOutcome.ANOTHER_AP,
    PlacementOutcome.RETURNED_HOME_SCHOOL,
    PlacementOutcome.SPECIAL_SCHOOL,
    PlacementOutcome.EHC_ASSESSMENT,
    PlacementOutcome.RETURNED_HOME_SCHOOL,
    PlacementOutcome.NEET,
    PlacementOutcome.OTHER,
)
REASONS = (
    PlacementReason.RE_ENGAGE,
    PlacementReason.PREVENT_EXCLUSION,
    PlacementReason.RE_ENGAGE,
    PlacementReason.PERMANENTLY_EXCLUDED,
    PlacementReason.PREVENT_EXCLUSION,
    PlacementReason.EHC_NONE_AVAILABLE,
)
# (key, target, comparator, where the comparator comes from): illustrative demo figures
SOURCE = "Statistical neighbours' average 2024/25 (demo figure)"
SETTINGS = (
    ("active", "40", "52", SOURCE),
    ("ehc_share", "20", "24", SOURCE),
    ("looked_after_share", "10", "12", SOURCE),
    ("disadvantaged_share", "35", "41", SOURCE),
    ("average_weeks", "12", "14.5", SOURCE),
    ("median_weeks", "12", "13", SOURCE),
    ("past_12_weeks_share", "10", "22", SOURCE),
    ("attendance_rate", "90", "81.5", SOURCE),
    ("returned_share", "60", "48", SOURCE),
    ("off_framework_share", "5", "9", SOURCE),
    ("qa_up_to_date_share", "100", "85", "Regional AP network survey 2025 (demo figure)"),
    ("threshold_alerts", "0", "1", SOURCE),
)


def seed_board(
    *, today: date, schools: list[Organisation], la: Organisation, providers: dict, lead: User
) -> None:
    """Only once: nothing is added if the board's first demo pupil is already there."""
    if db.session.scalar(select(Pupil.id).where(Pupil.upn == _upn(FIRST_PUPIL))) is not None:
        return
    _settings(today)
    owners = [*schools, la]
    registered = [providers["Horizon AP Academy"], providers["City Hospital School"]]
    tuition, forge = providers["Northgate Tuition"], providers["Forge Motor Vehicle Training"]
    earlier = [*registered, tuition, providers["Eastgate College"]]
    monday = _monday(today)
    placed = []
    for n in range(ENDED):
        pupil = _board_pupil(n, owners, today)
        weeks = 6 + n * 5 % 11  # 6 to 16 weeks
        end = today - timedelta(days=4 + n * 7 // 2)
        provider = earlier[n % len(earlier)]
        placement = _placement(
            pupil,
            provider,
            start=end - timedelta(weeks=weeks),
            weeks=max(weeks, 12),
            reason=_reason(n, provider, providers),
        )
        placement.actual_end = end
        placement.outcome = OUTCOMES[n % len(OUTCOMES)]
        placed.append(placement)
    for n in range(ACTIVE):
        pupil = _board_pupil(ENDED + n, owners, today)
        if n < 8:  # past 12 weeks at a registered provider, with an extension agreed
            provider, weeks_ago, mask, hours = registered[n % 2], 13 + n, FULL_WEEK, "25"
        elif n < 14:  # off framework: part time at a setting that has applied to join
            provider, weeks_ago, mask, hours = forge, 1 + n % 9, TWO_DAYS, "10"
        elif n < 26:
            provider, weeks_ago, mask, hours = tuition, 1 + n % 11, FULL_WEEK, "25"
        else:
            provider, weeks_ago, mask, hours = registered[n % 2], 1 + n % 11, FULL_WEEK, "25"
        placement = _placement(
            pupil,
            provider,
            start=monday - timedelta(weeks=weeks_ago),
            weeks=24 if weeks_ago > 12 else 12,
            mask=mask,
            hours=hours,
            by=lead,
            reason=_reason(n, provider, providers),
        )
        if provider is forge:
            placement.off_framework = True
            placement.off_framework_status = FrameworkStatus.APPLIED
            placement.off_framework_reason = "The only motor vehicle course for his age nearby"
            placement.off_framework_reviewed_on = placement.start_date
            placement.off_framework_reviewed_by_id = lead.id
            placement.off_framework_review_note = "Visited: checks seen; application in progress"
        if weeks_ago > 12:
            db.session.add(
                ExtensionRequest(
                    placement=placement,
                    requested_on=placement.start_date + timedelta(weeks=10),
                    new_end=placement.planned_end,
                    reason="Phased return agreed with the home school",
                    status=ExtensionStatus.APPROVED,
                    decided_by_id=lead.id,
                    decided_on=placement.start_date + timedelta(weeks=11),
                    decision_reason="Agreed at panel",
                )
            )
        placed.append(placement)
    db.session.flush()
    for placement in placed:
        _review(placement, today)
    _attendance(placed, today)


def _board_pupil(n: int, owners: list[Organisation], today: date) -> Pupil:
    return _pupil(
        FIRST_PUPIL + n,
        owners[n % len(owners)],
        today,
        sen_status=(SenStatus.EHC_PLAN, SenStatus.SEN_SUPPORT, SenStatus.NONE)[n % 3],
        looked_after=n % 4 == 1,
    )


def _reason(n: int, provider: Provider, providers: dict) -> PlacementReason:
    if provider is providers["City Hospital School"]:
        return PlacementReason.MEDICAL
    return REASONS[n % len(REASONS)]


def _settings(today: date) -> None:
    settings = current_settings()
    settings.kpi_baseline_date = add_months(today, -12)
    db.session.add(settings)
    saved = {row.key: row for row in db.session.scalars(select(KpiSetting))}
    for key, target, comparator, source in SETTINGS:
        row = saved.get(key) or KpiSetting(key=key)
        row.target, row.comparator = Decimal(target), Decimal(comparator)
        row.comparator_source = source
        db.session.add(row)


def _review(placement, today: date) -> None:
    """One review, five weeks in, or two weeks ago for the longest running."""
    last = (placement.actual_end or today) - timedelta(days=1)
    on = min(placement.start_date + timedelta(weeks=5), last)
    if placement.actual_end is None and placement.start_date <= today - timedelta(weeks=9):
        on = _monday(today) - timedelta(weeks=2)
    if on <= placement.start_date or on > today:
        return
    db.session.add(
        Review(
            placement=placement,
            review_date=on,
            progress=[
                {"objective": o, "progress": "Good progress"} for o in placement.objective_list
            ],
            decision=ReviewDecision.CONTINUE,
            attendance_rate=Decimal("88.0"),
        )
    )


def _attendance(placements: list, today: date) -> None:
    """Every session from each start to its end or yesterday, written in one insert (a few
    thousand rows), then the day totals worked out again from the rows."""
    rows = []
    for number, placement in enumerate(placements):
        last = min(placement.actual_end or today, today)
        day, index = placement.start_date, number
        while day < last:
            for half, session in enumerate((Session.AM, Session.PM)):
                if rules.attends(placement.session_mask, day, half):
                    index += 1
                    code = AttendanceCode.PRESENT
                    if index % 11 == 0:
                        code = AttendanceCode.UNAUTHORISED
                    elif index % 17 == 0:
                        code = AttendanceCode.AUTHORISED
                    rows.append(
                        {
                            "placement_id": placement.id,
                            "date": day,
                            "session": session,
                            "code": code,
                        }
                    )
            day += timedelta(days=1)
    db.session.execute(insert(Attendance), rows)
    totals.rebuild(db.session.connection())
