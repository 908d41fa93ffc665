"""Children's data kept only as long as needed (UK GDPR, storage limitation).

A pupil is past retention when every placement of theirs ended (or was cancelled) more than the
LA's retention period ago (LaSettings.retention_years; a pupil never placed counts from when
they were added). A placement with no end recorded is still running, so it keeps its pupil.

What is removed: the pupil's name, UPN and exact date of birth (kept as 1 September of that
year, so the year group and the figures by age stay right), and every free-text note about
them and their placements (objectives, plans, reasons, contacts, review notes, absence
follow-ups, pre-start check details), with the values the audit log copied from those records.
What stays: codes, dates and flags that the figures are made from (attendance, outcomes, SEN,
sex, looked after, disadvantaged), so the dashboard and reports do not change; and one audit
event per pupil for the removal itself. The worker runs it nightly; the la_lead can preview it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time

from sqlalchemy import ColumnElement, and_, exists, func, not_, or_, select, update

from apregister.audit import record_event
from apregister.extensions import db
from apregister.models import (
    AbsenceCase,
    AuditAction,
    AuditEvent,
    ExtensionRequest,
    Placement,
    PlacementCheck,
    Pupil,
    Review,
)
from apregister.models.placement import name_search_key
from apregister.settings import current_settings

BATCH = 500  # pupils a run removes at most; the next night takes the rest
REMOVED_FIRST_NAME = "Removed"
REMOVED_LAST_NAME = "pupil"

# free text about a pupil, cleared by table: column -> the value it is left with
CLEARED = {
    Placement: {
        "objectives": "",
        "reintegration_plan": "",
        "outcome_notes": None,
        "cancel_reason": None,
        "off_framework_reason": None,
        "off_framework_review_note": None,
        "warnings": None,
        "warnings_reason": None,
        "dsl_name": None,
        "dsl_phone": None,
        "dsl_email": None,
        "lead_name": None,
        "lead_phone": None,
        "lead_email": None,
        "provider_contact_name": None,
        "provider_contact_phone": None,
        "provider_contact_email": None,
    },
    Review: {"progress": [], "notes": None},
    ExtensionRequest: {"reason": "", "decision_reason": None, "decision_warnings": None},
    AbsenceCase: {
        "contacted_whom": None,
        "reason": None,
        "settled_note": None,
        "escalation_note": None,
        "escalation_closed_note": None,
    },
    PlacementCheck: {"details": "", "given_by": None, "given_how": None},
}


def cutoff(today: date, years: int) -> date:
    """The day before which a last placement must have ended."""
    try:
        return today.replace(year=today.year - years)
    except ValueError:  # 29 February
        return today.replace(year=today.year - years, day=28)


def past_retention(today: date, years: int) -> ColumnElement[bool]:
    """Pupils not yet removed whose every placement ended before the cut-off."""
    before = cutoff(today, years)
    ended = func.coalesce(Placement.actual_end, Placement.cancelled_on)
    keeps = exists().where(Placement.pupil_id == Pupil.id, or_(ended.is_(None), ended >= before))
    placed = exists().where(Placement.pupil_id == Pupil.id)
    return and_(
        Pupil.removed_on.is_(None),
        not_(keeps),
        or_(placed, Pupil.created_at < datetime.combine(before, time(), tzinfo=UTC)),
    )


@dataclass(frozen=True)
class Preview:
    years: int
    cutoff: date
    count: int
    first: list[tuple[int, date | None]]  # (pupil id, when their last placement ended)


def preview(today: date, limit: int = 50) -> Preview:
    """What the next run would remove: how many pupils, and the first of them."""
    years = current_settings().retention_years
    condition = past_retention(today, years)
    count = db.session.scalar(select(func.count(Pupil.id)).where(condition)) or 0
    last_end = (
        select(func.max(func.coalesce(Placement.actual_end, Placement.cancelled_on)))
        .where(Placement.pupil_id == Pupil.id)
        .scalar_subquery()
    )
    first = db.session.execute(
        select(Pupil.id, last_end).where(condition).order_by(Pupil.id).limit(limit)
    ).all()
    return Preview(years, cutoff(today, years), count, [(row[0], row[1]) for row in first])


def remove_past_retention(today: date, batch: int = BATCH) -> int:
    """Anonymise up to `batch` pupils past retention; flush, never commit. Returns how many.

    The UPDATEs are Core statements on purpose: the ORM's audit hook would copy the very
    values being removed into the log. Each pupil's removal is audited explicitly instead."""
    years = current_settings().retention_years
    ids = list(
        db.session.scalars(
            select(Pupil.id).where(past_retention(today, years)).order_by(Pupil.id).limit(batch)
        )
    )
    if not ids:
        return 0
    placement_ids = select(Placement.id).where(Placement.pupil_id.in_(ids)).scalar_subquery()
    session = db.session
    birth_year = func.extract("year", Pupil.date_of_birth)
    for pupil_id, born in session.execute(select(Pupil.id, birth_year).where(Pupil.id.in_(ids))):
        session.execute(
            update(Pupil)
            .where(Pupil.id == pupil_id)
            .values(
                first_name=REMOVED_FIRST_NAME,
                last_name=REMOVED_LAST_NAME,
                # the names as search compares them go too (the model keeps them, not Core)
                first_name_key=name_search_key(REMOVED_FIRST_NAME),
                last_name_key=name_search_key(REMOVED_LAST_NAME),
                upn=None,
                date_of_birth=date(int(born), 9, 1),
                removed_on=today,
            )
            .execution_options(synchronize_session=False)
        )
    record_ids: dict[str, list[str]] = {"pupils": [str(i) for i in ids]}
    for model, values in CLEARED.items():
        owner = model.id if model is Placement else model.placement_id
        record_ids[model.__tablename__] = [
            str(i) for i in session.scalars(select(model.id).where(owner.in_(placement_ids)))
        ]
        session.execute(
            update(model)
            .where(owner.in_(placement_ids))
            .values(**values)
            .execution_options(synchronize_session=False)
        )
    # the log keeps who did what and when to these records, not the values they held
    for table, found in record_ids.items():
        for start in range(0, len(found), 500):
            session.execute(
                update(AuditEvent)
                .where(
                    AuditEvent.table_name == table,
                    AuditEvent.record_id.in_(found[start : start + 500]),
                )
                .values(changes=None)
                .execution_options(synchronize_session=False)
            )
    for pupil_id in ids:
        record_event(
            session,
            AuditAction.RETENTION_REMOVAL,
            table_name="pupils",
            record_id=pupil_id,
            detail=f"Past the {years}-year retention period: name, UPN, notes removed",
        )
    session.flush()
    return len(ids)
