"""One placement's recent weeks, as its page shows them."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from apregister.attendance.queries.rates import attendance_rates
from apregister.attendance.queries.weeks import AttendanceWeek, build_week, week_monday
from apregister.extensions import db
from apregister.models import Attendance, Placement
from apregister.placements.rules import run_end


def recent_weeks(placement: Placement, today: date, weeks: int = 4) -> list[AttendanceWeek]:
    """Up to `weeks` weeks, oldest first, ending with the week of today (or of the placement's
    end, if it has ended) and starting no earlier than the week it started. One query. Pass a
    placement the caller has fetched through `access`."""
    end = run_end(placement.planned_end, placement.actual_end, today)
    last_monday = week_monday(min(today, end))
    first_monday = max(last_monday - timedelta(weeks=weeks - 1), week_monday(placement.start_date))
    if weeks < 1 or first_monday > last_monday:
        return []
    rows = db.session.execute(
        select(Attendance.date, Attendance.session, Attendance.code).where(
            Attendance.placement_id == placement.id,
            Attendance.date.between(first_monday, last_monday + timedelta(days=4)),
        )
    )
    recorded = {(day, session): code for day, session, code in rows}
    count = (last_monday - first_monday).days // 7 + 1
    return [
        build_week(
            placement.id,
            placement.session_mask,
            placement.start_date,
            end,
            first_monday + timedelta(weeks=n),
            recorded,
            today,
        )
        for n in range(count)
    ]


def placement_attendance(placement: Placement, today: date, weeks: int = 4) -> dict:
    """The variables `attendance/_placement_attendance.html` needs, in two queries."""
    return {
        "attendance_weeks": recent_weeks(placement, today, weeks),
        "attendance_rate": attendance_rates([placement.id])[placement.id],
        "arranged_by_la": arranged_by_la(placement),
    }


def arranged_by_la(placement: Placement) -> bool:
    """Whether the LA commissioned the placement: present sessions are then K, not B."""
    from apregister.models import OrganisationKind

    return placement.commissioner.kind is OrganisationKind.LA
