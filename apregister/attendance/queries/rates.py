"""Attendance rates: sessions present over sessions counted."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import NamedTuple

from sqlalchemy import Select, case, func, select

from apregister.extensions import db
from apregister.models import Attendance, AttendanceCode


class Rate(NamedTuple):
    """Present sessions as a percentage of sessions counted ("not required" is not counted)."""

    rate: Decimal | None
    present: int
    counted: int


def rate_of(present: int, counted: int) -> Decimal | None:
    """The same sum as placements.rules.attendance_rate, from counts."""
    if not counted:
        return None
    return (Decimal(100) * present / counted).quantize(Decimal("0.1"))


def session_sums(placement_ids) -> Select:
    """(placement_id, present, counted) for each placement of `placement_ids` (ids, or a
    select of them) that has any session recorded: the sums a rate is worked out from."""
    present = func.sum(case((Attendance.code == AttendanceCode.PRESENT, 1), else_=0))
    counted = func.sum(case((Attendance.code != AttendanceCode.NOT_REQUIRED, 1), else_=0))
    return (
        select(Attendance.placement_id, present.label("present"), counted.label("counted"))
        .where(Attendance.placement_id.in_(placement_ids))
        .group_by(Attendance.placement_id)
    )


def attendance_rates(placement_ids: Iterable[int]) -> dict[int, Rate]:
    """Each placement's rate, present and counted sessions, in one query. Pass ids the caller
    has already fetched through `access`; a placement with nothing recorded gets (None, 0, 0)."""
    ids = set(placement_ids)
    if not ids:
        return {}
    rates = {placement_id: Rate(None, 0, 0) for placement_id in ids}
    for placement_id, present, counted in db.session.execute(session_sums(ids)):
        present, counted = int(present or 0), int(counted or 0)
        rates[placement_id] = Rate(rate_of(present, counted), present, counted)
    return rates
