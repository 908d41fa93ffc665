"""The improvement board's KPIs, computed in the database for any date.

`measure(scope, as_of, since)` gives every KPI as at `as_of` (point-in-time figures) or over
`since`..`as_of` (period figures), with a fixed number of queries however many rows there are.
`scope` is an access-scoped select of Placement (access.countable for the board)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import Select, and_, case, func, or_, select

from apregister.dashboard import rules
from apregister.extensions import db
from apregister.models import (
    REGISTERED_TYPES,
    Attendance,
    AttendanceCode,
    FrameworkStatus,
    Inspection,
    InspectionStatus,
    LaSettings,
    Organisation,
    Placement,
    PlacementOutcome,
    Provider,
    Pupil,
    SelfAssessment,
    SelfAssessmentStatus,
    SenStatus,
)
from apregister.placements import monitor
from apregister.qa.rules import add_months

RETURNED = (
    PlacementOutcome.RETURNED_HOME_SCHOOL,
    PlacementOutcome.ANOTHER_MAINSTREAM,
    PlacementOutcome.SPECIAL_SCHOOL,
)


@dataclass(frozen=True)
class KpiDefinition:
    key: str
    label: str
    unit: str  # "count", "%" or "weeks"
    higher_is_better: bool | None
    # count KPIs carry their numerator and base so the board's view can suppress them
    main: bool = False


KPIS = (
    KpiDefinition("active", "Active placements", "count", None, main=True),
    KpiDefinition("ehc_share", "Share with an EHC plan", "%", None),
    KpiDefinition("looked_after_share", "Share looked after", "%", None),
    KpiDefinition("disadvantaged_share", "Share disadvantaged", "%", None),
    KpiDefinition("average_weeks", "Average length of ended placements", "weeks", False),
    KpiDefinition("median_weeks", "Median length of ended placements", "weeks", False),
    KpiDefinition(
        "past_12_weeks_share", "Share of active placements past 12 weeks", "%", False, main=True
    ),
    KpiDefinition("attendance_rate", "Attendance rate at AP", "%", True, main=True),
    KpiDefinition("returned_share", "Ended placements returned to school", "%", True, main=True),
    KpiDefinition("qa_up_to_date_share", "Providers with QA up to date", "%", True, main=True),
    KpiDefinition("threshold_alerts", "Registration-threshold alerts", "count", False),
)
KPI_BY_KEY = {kpi.key: kpi for kpi in KPIS}


@dataclass
class Figure:
    """One KPI's value with the counts behind it (for suppression)."""

    value: Decimal | int | None
    part: int | None = None
    whole: int | None = None


@dataclass
class Measures:
    as_of: date
    figures: dict[str, Figure] = field(default_factory=dict)
    breakdowns: dict[str, list[tuple[str, int]]] = field(default_factory=dict)


def active_on(day: date):
    return and_(
        Placement.cancelled_on.is_(None),
        Placement.start_date <= day,
        or_(Placement.actual_end.is_(None), Placement.actual_end > day),
    )


def _ids(scope: Select):
    return scope.with_only_columns(Placement.id).order_by(None)


def measure(scope: Select, settings: LaSettings, as_of: date, since: date) -> Measures:
    result = Measures(as_of)
    figures = result.figures
    active_ids = _ids(scope).where(active_on(as_of))

    # Who the active placements are for (one query).
    twelve_weeks_ago = as_of - timedelta(weeks=settings.placement_weeks)
    row = db.session.execute(
        select(
            func.count(),
            func.sum(case((Pupil.sen_status == SenStatus.EHC_PLAN, 1), else_=0)),
            func.sum(case((Pupil.looked_after.is_(True), 1), else_=0)),
            func.sum(case((Pupil.disadvantaged.is_(True), 1), else_=0)),
            func.sum(case((Placement.start_date < twelve_weeks_ago, 1), else_=0)),
        )
        .select_from(Placement)
        .join(Pupil, Pupil.id == Placement.pupil_id)
        .where(Placement.id.in_(active_ids))
    ).one()
    active, ehc, looked_after, disadvantaged, past = (int(value or 0) for value in row)
    figures["active"] = Figure(active, active, active)
    for key, part in (
        ("ehc_share", ehc),
        ("looked_after_share", looked_after),
        ("disadvantaged_share", disadvantaged),
        ("past_12_weeks_share", past),
    ):
        figures[key] = Figure(rules.share(part, active), part, active)

    # Placements that ended in the period: length and outcome (one query).
    ended = db.session.execute(
        _ids(scope)
        .with_only_columns(Placement.start_date, Placement.actual_end, Placement.outcome)
        .where(Placement.actual_end.is_not(None), Placement.actual_end.between(since, as_of))
    ).all()
    weeks = [Decimal((end - start).days) / 7 for start, end, _ in ended]
    returned = sum(outcome in RETURNED for _, _, outcome in ended)
    figures["average_weeks"] = Figure(rules.mean_of(weeks), len(ended), len(ended))
    figures["median_weeks"] = Figure(rules.median_of(weeks), len(ended), len(ended))
    figures["returned_share"] = Figure(rules.share(returned, len(ended)), returned, len(ended))

    # Attendance in the period (one query).
    counted = case((Attendance.code != AttendanceCode.NOT_REQUIRED, 1), else_=0)
    present = case((Attendance.code == AttendanceCode.PRESENT, 1), else_=0)
    present_n, counted_n = db.session.execute(
        select(func.sum(present), func.sum(counted)).where(
            Attendance.date.between(since, as_of),
            Attendance.placement_id.in_(_ids(scope)),
        )
    ).one()
    figures["attendance_rate"] = Figure(
        rules.share(int(present_n or 0), int(counted_n or 0)), present_n, counted_n
    )

    figures["qa_up_to_date_share"] = _qa_up_to_date(settings, as_of)
    alerts = monitor.registration_alerts(scope, settings, as_of)
    figures["threshold_alerts"] = Figure(len(alerts), len(alerts), len(alerts))

    result.breakdowns = _breakdowns(active_ids)
    return result


def _breakdowns(active_ids) -> dict[str, list[tuple[str, int]]]:
    """Active placements by reason, provider, school and registration status (four queries)."""

    def grouped(column, *joins):
        stmt = select(column, func.count()).select_from(Placement)
        for target, on in joins:
            stmt = stmt.join(target, on)
        return db.session.execute(
            stmt.where(Placement.id.in_(active_ids)).group_by(column).order_by(column)
        ).all()

    provider = Organisation.__table__.alias("provider_org")
    school = Organisation.__table__.alias("school_org")
    registered = case(
        (Provider.registration_type.in_(REGISTERED_TYPES), "Registered"), else_="Unregistered"
    )
    return {
        "reason": [(reason.label, n) for reason, n in grouped(Placement.reason)],
        "provider": grouped(provider.c.name, (provider, provider.c.id == Placement.provider_id)),
        "school": _by_school(active_ids, school),
        "registration": grouped(registered, (Provider, Provider.id == Placement.provider_id)),
    }


def _by_school(active_ids, school) -> list[tuple[str, int]]:
    rows = db.session.execute(
        select(school.c.name, func.count())
        .select_from(Placement)
        .outerjoin(school, school.c.id == Placement.school_id)
        .where(Placement.id.in_(active_ids))
        .group_by(school.c.name)
        .order_by(school.c.name)
    ).all()
    return [(name or "LA (no school place)", n) for name, n in rows]


def _qa_up_to_date(settings: LaSettings, as_of: date) -> Figure:
    """Approved providers whose inspection and self-assessment were both in date on `as_of`."""
    providers = db.session.execute(
        select(Provider.id, Provider.approved_on).where(
            Provider.framework_status == FrameworkStatus.APPROVED,
            Provider.approved_on.is_not(None),
            Provider.approved_on <= as_of,
        )
    ).all()
    visits = dict(
        db.session.execute(
            select(Inspection.provider_id, func.max(Inspection.visit_date))
            .where(Inspection.status == InspectionStatus.PUBLISHED, Inspection.visit_date <= as_of)
            .group_by(Inspection.provider_id)
        ).all()
    )
    accepted = dict(
        db.session.execute(
            select(SelfAssessment.provider_id, func.max(SelfAssessment.accepted_on))
            .where(
                SelfAssessment.status == SelfAssessmentStatus.ACCEPTED,
                SelfAssessment.accepted_on <= as_of,
            )
            .group_by(SelfAssessment.provider_id)
        ).all()
    )

    def in_date(last: date | None, approved_on: date, first_months: int) -> bool:
        due = add_months(last, 12) if last else add_months(approved_on, first_months)
        return due >= as_of

    up_to_date = sum(
        in_date(visits.get(pid), approved, settings.first_inspection_months)
        and in_date(accepted.get(pid), approved, settings.first_self_assessment_months)
        for pid, approved in providers
    )
    return Figure(rules.share(up_to_date, len(providers)), up_to_date, len(providers))


def monthly_trend(
    scope: Select, months: int, today: date
) -> list[tuple[date, int, Decimal | None]]:
    """Active placements at each month end and that month's attendance rate (2 queries each)."""
    points = []
    for back in range(months - 1, -1, -1):
        first = add_months(today.replace(day=1), -back)
        end = min(add_months(first, 1) - timedelta(days=1), today)
        active = db.session.scalar(
            select(func.count()).select_from(_ids(scope).where(active_on(end)).subquery())
        )
        present_n, counted_n = db.session.execute(
            select(
                func.sum(case((Attendance.code == AttendanceCode.PRESENT, 1), else_=0)),
                func.sum(case((Attendance.code != AttendanceCode.NOT_REQUIRED, 1), else_=0)),
            ).where(Attendance.date.between(first, end), Attendance.placement_id.in_(_ids(scope)))
        ).one()
        points.append((end, active, rules.share(int(present_n or 0), int(counted_n or 0))))
    return points
