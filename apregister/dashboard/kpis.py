"""The improvement board's KPIs, computed in the database for any date.

`measure(scope, as_of, since)` gives every KPI as at `as_of` (point-in-time figures) or over
`since`..`as_of` (period figures), with a fixed number of queries however many rows there are.
`scope` is an access-scoped select of Placement (access.countable for the board), narrowed
by `filtered` to a school phase or a provider."""

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
    KpiSetting,
    LaSettings,
    Organisation,
    Placement,
    PlacementOutcome,
    Provider,
    Pupil,
    School,
    SchoolPhase,
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
    # how many placements the figure is about, where part and whole count something else
    # (attendance counts sessions: one child's sessions are still one child)
    placements: int | None = None


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


def filtered(
    scope: Select, *, phase: SchoolPhase | None = None, provider_id: int | None = None
) -> Select:
    """`scope` narrowed to placements whose school has `phase`, and/or at one provider."""
    if phase is not None:
        scope = scope.where(Placement.school_id.in_(select(School.id).where(School.phase == phase)))
    if provider_id:
        scope = scope.where(Placement.provider_id == provider_id)
    return scope


def kpi_settings() -> dict[str, KpiSetting]:
    """The la_lead's target and comparator for each KPI, by key (one query)."""
    return {row.key: row for row in db.session.scalars(select(KpiSetting))}


def _attendance(scope: Select, since: date, as_of: date) -> Figure:
    """Present sessions over sessions the pupil was expected, and how many placements they
    belong to (one query)."""
    expected = Attendance.code != AttendanceCode.NOT_REQUIRED
    present_n, counted_n, placements = db.session.execute(
        select(
            func.sum(case((Attendance.code == AttendanceCode.PRESENT, 1), else_=0)),
            func.sum(case((expected, 1), else_=0)),
            func.count(case((expected, Attendance.placement_id)).distinct()),
        ).where(Attendance.date.between(since, as_of), Attendance.placement_id.in_(_ids(scope)))
    ).one()
    present_n, counted_n = int(present_n or 0), int(counted_n or 0)
    return Figure(rules.share(present_n, counted_n), present_n, counted_n, int(placements or 0))


def measure(
    scope: Select,
    settings: LaSettings,
    as_of: date,
    since: date,
    *,
    with_breakdowns: bool = True,
) -> Measures:
    """Every KPI as at `as_of` (and over `since`..`as_of`); the breakdowns unless told not
    to (comparisons need only the headline figures)."""
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

    figures["attendance_rate"] = _attendance(scope, since, as_of)

    figures["qa_up_to_date_share"] = _qa_up_to_date(settings, as_of)
    alerts = monitor.registration_alerts(scope, settings, as_of)
    figures["threshold_alerts"] = Figure(len(alerts), len(alerts), len(alerts))

    if with_breakdowns:
        result.breakdowns = _breakdowns(active_ids)
    return result


def _breakdowns(active_ids) -> dict[str, list[tuple[str, int]]]:
    """Active placements by reason, provider, school, school phase and registration status
    (five queries)."""

    def grouped(column, *joins):
        stmt = select(column, func.count()).select_from(Placement)
        for target, on in joins:
            stmt = stmt.join(target, on)
        return db.session.execute(
            stmt.where(Placement.id.in_(active_ids)).group_by(column).order_by(column)
        ).all()

    provider = Organisation.__table__.alias("provider_org")
    registered = case(
        (Provider.registration_type.in_(REGISTERED_TYPES), "Registered"), else_="Unregistered"
    )
    # grouped by id as well as name: two organisations may share a name
    providers = db.session.execute(
        select(provider.c.name, func.count())
        .select_from(Placement)
        .join(provider, provider.c.id == Placement.provider_id)
        .where(Placement.id.in_(active_ids))
        .group_by(provider.c.id, provider.c.name)
        .order_by(provider.c.name, provider.c.id)
    ).all()
    return {
        "reason": [(reason.label, n) for reason, n in grouped(Placement.reason)],
        "provider": [(name, n) for name, n in providers],
        "school": _by_school(active_ids),
        "phase": _by_phase(active_ids),
        "registration": grouped(registered, (Provider, Provider.id == Placement.provider_id)),
    }


NO_SCHOOL = "LA (no school place)"


def _by_school(active_ids) -> list[tuple[str, int]]:
    school = Organisation.__table__.alias("school_org")
    schools = School.__table__
    rows = db.session.execute(
        select(school.c.name, schools.c.urn, func.count())
        .select_from(Placement)
        .outerjoin(school, school.c.id == Placement.school_id)
        .outerjoin(schools, schools.c.id == Placement.school_id)
        .where(Placement.id.in_(active_ids))
        .group_by(school.c.id, school.c.name, schools.c.urn)
        .order_by(school.c.name, school.c.id)
    ).all()
    names = [name for name, _, _ in rows]
    return [
        (
            NO_SCHOOL
            if name is None
            else f"{name} (URN {urn})"
            if names.count(name) > 1 and urn
            else name,
            n,
        )
        for name, urn, n in rows
    ]


def _by_phase(active_ids) -> list[tuple[str, int]]:
    schools = School.__table__
    rows = db.session.execute(
        select(schools.c.phase, func.count())
        .select_from(Placement)
        .outerjoin(schools, schools.c.id == Placement.school_id)
        .where(Placement.id.in_(active_ids))
        .group_by(schools.c.phase)
    ).all()
    return [(SchoolPhase(phase).label if phase else NO_SCHOOL, n) for phase, n in rows]


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


@dataclass(frozen=True)
class TrendPoint:
    month_end: date  # the month's last day, or today for the month in progress
    active: int
    attendance: Figure


def monthly_trend(scope: Select, months: int, today: date) -> list[TrendPoint]:
    """Active placements at each month end and that month's attendance (2 queries a month,
    however many placements there are)."""
    points = []
    for back in range(months - 1, -1, -1):
        first = add_months(today.replace(day=1), -back)
        end = min(add_months(first, 1) - timedelta(days=1), today)
        active = db.session.scalar(
            select(func.count()).select_from(_ids(scope).where(active_on(end)).subquery())
        )
        points.append(TrendPoint(end, int(active or 0), _attendance(scope, first, end)))
    return points
