"""Every model's visibility rule in one table, and the ways views fetch through it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from flask import abort, request
from flask_login import current_user
from sqlalchemy import Select, select

from apregister.access.guards import note_refusal
from apregister.access.organisations import (
    visible_documents,
    visible_organisations,
    visible_providers,
    visible_schools,
    visible_status_changes,
    visible_users,
)
from apregister.access.oversight import (
    visible_actions,
    visible_audit_events,
    visible_import_jobs,
    visible_inspections,
    visible_outbox,
    visible_self_assessments,
)
from apregister.access.placements import (
    visible_absence_cases,
    visible_attendance,
    visible_extension_requests,
    visible_placements,
    visible_pupils,
    visible_reviews,
)
from apregister.extensions import db
from apregister.models import (
    LA_ROLES,
    AbsenceCase,
    Attendance,
    AuditEvent,
    ComplianceDocument,
    ExtensionRequest,
    FrameworkStatusChange,
    ImportJob,
    Inspection,
    InspectionAction,
    Organisation,
    OutboxMessage,
    Placement,
    Provider,
    Pupil,
    Review,
    Role,
    School,
    SelfAssessment,
    User,
)

M = TypeVar("M")


VISIBILITY: dict[type, Callable[[User], Select[Any]]] = {
    User: visible_users,
    Organisation: visible_organisations,
    School: visible_schools,
    Provider: visible_providers,
    AuditEvent: visible_audit_events,
    ComplianceDocument: visible_documents,
    Pupil: visible_pupils,
    Placement: visible_placements,
    Review: visible_reviews,
    ExtensionRequest: visible_extension_requests,
    Attendance: visible_attendance,
    AbsenceCase: visible_absence_cases,
    Inspection: visible_inspections,
    InspectionAction: visible_actions,
    SelfAssessment: visible_self_assessments,
    OutboxMessage: visible_outbox,
    FrameworkStatusChange: visible_status_changes,
    ImportJob: visible_import_jobs,
}


def visible(model: type[M], user: User | None = None) -> Select[tuple[M]]:
    """The query for every `model` row `user` (default: the current user) may see."""
    try:
        builder = VISIBILITY[model]
    except KeyError:
        raise LookupError(f"no visibility rule for {model.__name__}") from None
    return builder(user if user is not None else current_user)


def countable(model: type[M], user: User | None = None) -> Select[tuple[M]]:
    """Rows that may be counted in aggregate figures (never listed): the board counts all."""
    user = user if user is not None else current_user
    if user.role is Role.BOARD:
        return select(model)
    return visible(model, user)


def whole_register(model: type[M]) -> Select[tuple[M]]:
    """Every row: what `countable(model, user)` is for each user `counts_whole_register`
    finds true. For figures kept for all of them alike (dashboard/kept.py), never listed."""
    return select(model)


def counts_whole_register(user: User | None = None) -> bool:
    """Whether `countable(Placement, user)` is every placement, so that figures kept for the
    whole register (the attendance day totals) may be shown to `user` as theirs."""
    user = user if user is not None else current_user
    return user.role in LA_ROLES or user.role is Role.BOARD


def get_visible_or_404(
    model: type[M],
    record_id: int,
    user: User | None = None,
    *,
    scope: Callable[[User], Select[Any]] | None = None,
) -> M:
    """The record if the user may see it (or, given `scope`, act on it); otherwise 404,
    whether it exists or not."""
    user = user if user is not None else current_user
    stmt = scope(user) if scope is not None else visible(model, user)
    found = db.session.scalars(stmt.where(model.id == record_id)).first()
    if found is not None:
        return found
    if db.session.get(model, record_id) is not None:
        note_refusal(
            f"{request.method} {request.path}: not visible to this organisation",
            table_name=model.__table__.name,
            record_id=record_id,
        )
    abort(404)
