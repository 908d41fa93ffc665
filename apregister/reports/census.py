"""The school census export of AP placements: one row a placement open at any time in the
census's collection period, its fields named and coded as the census asks (census_codes.py)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from sqlalchemy import String, case, func, null, type_coerce

from apregister.access import visible
from apregister.exports import (
    Column,
    Joined,
    coded_column,
    date_column,
    number_column,
    placement_rows,
    text_column,
)
from apregister.models import Placement, User
from apregister.placements.rules import sessions_per_week
from apregister.reports import census_codes as codes

_provider = Joined.provider
_urn = func.nullif(_provider.c.urn, "")
_ukprn = func.nullif(_provider.c.ukprn, "")


def _census_columns(census_date: date) -> tuple[Column, ...]:
    return (
        text_column("UPN", Joined.pupil.c.upn),
        text_column("School", func.coalesce(Joined.school.c.name, "")),
        # one of the three: the URN, else the UKPRN, else the type of setting
        text_column("AP URN", _urn),
        text_column("AP UKPRN", case((_urn.is_(None), _ukprn), else_=null())),
        coded_column(
            codes.AP_SETTING_TYPE.field,
            case(
                (_urn.is_(None) & _ukprn.is_(None), _provider.c.registration_type),
                else_=null(),
            ),
            lambda stored: None if stored is None else codes.setting_type_code(stored),
        ),
        coded_column(
            codes.AP_PLACEMENT_REASON.field,
            type_coerce(Placement.reason, String()),
            codes.reason_code,
        ),
        date_column("AP entry date", Placement.start_date),
        # only once the pupil has left: an actual end on or before the census date, never
        # the planned end
        date_column(
            "AP leaving date",
            case((Placement.actual_end <= census_date, Placement.actual_end), else_=null()),
        ),
        coded_column(
            codes.AP_ATTENDANCE_PATTERN.field, Placement.full_time, codes.attendance_pattern_code
        ),
        coded_column("AP sessions per week", Placement.session_mask, sessions_per_week),
        number_column("AP hours per week", Placement.hours_per_week),
    )


CENSUS_HEADER = tuple(column.heading for column in _census_columns(date.min))


def census_rows(user: User, census_date: date) -> Iterable[Sequence[Any]]:
    """Placements open at any time from the previous census day to `census_date` (those that
    ended in the period included, with their leaving date), streamed."""
    since = codes.previous_census_day(census_date)
    stmt = (
        visible(Placement, user)
        .where(
            Placement.cancelled_on.is_(None),
            Placement.start_date <= census_date,
            Placement.actual_end.is_(None) | (Placement.actual_end >= since),
        )
        .order_by(Placement.id)
    )
    return placement_rows(stmt, _census_columns(census_date))
