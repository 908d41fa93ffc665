"""A subject access export (UK GDPR, article 15): everything the register holds about one pupil,
with the audit trail of every record, as one JSON file for the la_lead. The download is itself
audited. Every column of every row is written, so a field added later is included without
anyone remembering to."""

from __future__ import annotations

import json
from datetime import date, datetime
from decimal import Decimal
from enum import Enum

from flask import Response, render_template
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import and_, false, inspect, or_, select
from sqlalchemy.orm import joinedload

from apregister.access import get_visible_or_404, role_required
from apregister.audit import record_event
from apregister.extensions import db
from apregister.models import (
    AbsenceCase,
    Attendance,
    AuditAction,
    AuditEvent,
    ExtensionRequest,
    Placement,
    PlacementCheck,
    Pupil,
    Review,
    Role,
)
from apregister.models.base import utcnow
from apregister.pupils.views import bp

# the records about a pupil's placements, by the key the export lists them under
PLACEMENT_RECORDS = {
    "reviews": Review,
    "extension_requests": ExtensionRequest,
    "attendance": Attendance,
    "absence_cases": AbsenceCase,
    "pre_start_checks": PlacementCheck,
}


def _value(value):
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, Enum):
        return value.value
    return value


def _row(record) -> dict:
    """Every column of a record, as JSON values."""
    return {
        column.key: _value(getattr(record, column.key))
        for column in inspect(record).mapper.column_attrs
    }


def gather(pupil: Pupil) -> dict:
    """Everything held about `pupil`, and the audit trail of each of those records."""
    placements = db.session.scalars(
        select(Placement)
        .where(Placement.pupil_id == pupil.id)
        .options(joinedload(Placement.provider))
        .order_by(Placement.id)
    ).all()
    placement_ids = [placement.id for placement in placements]
    records: dict[str, dict[int, list]] = {}
    for key, model in PLACEMENT_RECORDS.items():
        rows = db.session.scalars(
            select(model)
            .where(model.placement_id.in_(placement_ids))
            .order_by(model.placement_id, model.id)
        ).all()
        records[key] = {}
        for row in rows:
            records[key].setdefault(row.placement_id, []).append(row)
    ids_by_table = {"pupils": [pupil.id], "placements": placement_ids} | {
        PLACEMENT_RECORDS[key].__tablename__: [row.id for rows in found.values() for row in rows]
        for key, found in records.items()
    }
    trail = db.session.scalars(
        select(AuditEvent)
        .where(
            or_(
                false(),
                *(
                    and_(
                        AuditEvent.table_name == table,
                        AuditEvent.record_id.in_([str(record_id) for record_id in ids]),
                    )
                    for table, ids in ids_by_table.items()
                    if ids
                ),
            )
        )
        .options(joinedload(AuditEvent.user))
        .order_by(AuditEvent.occurred_at, AuditEvent.id)
    ).all()
    return {
        "about": "Everything the alternative provision register holds about one pupil, with "
        "the audit trail of each record (UK GDPR, article 15).",
        "generated_at": utcnow().isoformat(),
        "pupil": _row(pupil),
        "home_school": pupil.owner.name,
        "placements": [
            _row(placement)
            | {"provider": placement.provider.name}
            | {
                key: [_row(row) for row in found.get(placement.id, [])]
                for key, found in records.items()
            }
            for placement in placements
        ],
        "audit_trail": [
            _row(event) | {"by": event.user.name if event.user else None} for event in trail
        ],
    }


def _counts(export: dict) -> dict[str, int]:
    placements = export["placements"]
    return {
        "placements": len(placements),
        **{key: sum(len(p[key]) for p in placements) for key in PLACEMENT_RECORDS},
        "audit_trail": len(export["audit_trail"]),
    }


@bp.route("/<int:pupil_id>/subject-access")
@role_required(Role.LA_LEAD)
def subject_access(pupil_id: int):
    pupil = get_visible_or_404(Pupil, pupil_id)
    return render_template(
        "pupils/subject_access.html",
        pupil=pupil,
        counts=_counts(gather(pupil)),
        form=FlaskForm(),
    )


@bp.route("/<int:pupil_id>/subject-access", methods=["POST"])
@role_required(Role.LA_LEAD)
def download_subject_access(pupil_id: int):
    pupil = get_visible_or_404(Pupil, pupil_id)
    form = FlaskForm()
    if not form.validate_on_submit():
        return subject_access(pupil_id), 400
    export = gather(pupil)
    record_event(
        db.session,
        AuditAction.SUBJECT_ACCESS,
        user=current_user,
        table_name="pupils",
        record_id=pupil.id,
        detail="Subject access export downloaded",
    )
    db.session.commit()
    return Response(
        json.dumps(export, indent=2, ensure_ascii=False),
        mimetype="application/json",
        headers={
            "Content-Disposition": f'attachment; filename="subject-access-pupil-{pupil.id}.json"',
            "Cache-Control": "no-store",
        },
    )
