"""The data-quality report: what is missing from the records (UPNs, reviews, attendance,
outcomes, objectives), each check a column select streamed by a session of its own."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import String, and_, cast, exists, literal, literal_column

from apregister.access import visible
from apregister.exports import Joined, SelectedRows, date_column, placement_rows, text_column
from apregister.models import (
    Attendance,
    LaSettings,
    Placement,
    PlacementStatus,
    Pupil,
    User,
)
from apregister.placements import queries


def data_quality_rows(user: User, today: date, settings: LaSettings) -> list[SelectedRows]:
    """What is missing: UPNs, reviews, attendance, outcomes, objectives. Each check is a
    column select streamed by a session of its own, so a page reads only the rows it shows
    and a download reads them after the request."""
    pupils = Pupil.__table__
    pupil_columns = (
        text_column("Problem", literal("Pupil without a UPN")),
        text_column("Pupil", pupils.c.first_name + " " + pupils.c.last_name),
        text_column("Provider", literal("")),
        text_column("Start", literal("")),
        text_column("Record", literal("/pupils/") + cast(pupils.c.id, String)),
    )
    without_upn = SelectedRows(
        visible(Pupil, user)
        .where(Pupil.upn.is_(None))
        .order_by(Pupil.last_name, Pupil.id)
        .with_only_columns(*(column.expression for column in pupil_columns)),
        pupil_columns,
    )
    checks = (
        (
            "No review yet",
            and_(
                queries.review_overdue_clause(settings.review_interval_days, today),
                queries.last_review_date().is_(None),
            ),
        ),
        (
            "No attendance recorded in the last 2 weeks",
            and_(
                queries.status_clause(PlacementStatus.ACTIVE, today),
                Placement.start_date < today - timedelta(days=14),
                ~exists().where(
                    Attendance.placement_id == Placement.id,
                    Attendance.date >= today - timedelta(days=14),
                ),
            ),
        ),
        (
            "Ended without an outcome",
            and_(Placement.actual_end.is_not(None), Placement.outcome.is_(None)),
        ),
        # written out, so that both databases can use the partial index on it
        ("No objectives", Placement.objectives == literal_column("''")),
    )
    placements = [
        placement_rows(
            visible(Placement, user).where(clause).order_by(Placement.id),
            (
                text_column("Problem", literal(name)),
                text_column("Pupil", Joined.pupil_name),
                text_column("Provider", Joined.provider_organisation.c.name),
                date_column("Start", Placement.start_date),
                text_column("Record", literal("/placements/") + cast(Placement.id, String)),
            ),
        )
        for name, clause in checks
    ]
    return [without_upn, *placements]
