"""The audit log is written here and nowhere else.

One session hook records every insert, update and delete of every business table;
`record_event` records sign-ins, failed sign-ins and refused access.
"""

from __future__ import annotations

import contextlib
import contextvars
from collections.abc import Iterator
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any

from flask import g, has_request_context
from sqlalchemy import event, insert, inspect
from sqlalchemy.orm import Session

from apregister.audit_exemptions import (  # noqa: F401 (re-exported)
    CORE_WRITES,
    CORE_WRITES_EXEMPT_MODULES,
    NOT_AUDITED,
)
from apregister.models import AuditAction, AuditEvent, User
from apregister.models.base import utcnow

REDACTED = "[redacted]"

Actor = tuple[int | None, int | None]  # (user id, organisation id)
_outside_request: contextvars.ContextVar[Actor] = contextvars.ContextVar(
    "audit_actor", default=(None, None)
)


# what every change written meanwhile is noted with, e.g. the file it was imported from
_detail: contextvars.ContextVar[str | None] = contextvars.ContextVar("audit_detail", default=None)


@contextlib.contextmanager
def noting(detail: str) -> Iterator[None]:
    """Log every change made inside with `detail` (at most 300 characters), e.g. "Imported
    from placements.xlsx (SHA-256 ...)"."""
    token = _detail.set(detail[:300])
    try:
        yield
    finally:
        _detail.reset(token)


@contextlib.contextmanager
def acting_as(user: User | None) -> Iterator[None]:
    """Attribute changes made outside a request (CLI, seed) to `user` (None: the system)."""
    actor = (user.id, user.organisation_id) if user is not None else (None, None)
    token = _outside_request.set(actor)
    try:
        yield
    finally:
        _outside_request.reset(token)


def _actor() -> Actor:
    if has_request_context():
        # Flask-Login keeps the user it loaded for this request here.
        user = getattr(g, "_login_user", None)
        if user is not None and getattr(user, "is_authenticated", False):
            values = inspect(user).dict
            return values.get("id"), values.get("organisation_id")
    return _outside_request.get()


def _plain(value: Any) -> Any:
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, bytes):
        return f"<{len(value)} bytes>"
    return value


def _table_of(obj: Any) -> str:
    return inspect(obj).mapper.tables[-1].name


def _record_id(obj: Any) -> str | None:
    # New objects have no identity key until the flush finishes, so read the primary key.
    key = inspect(obj).mapper.primary_key_from_instance(obj)
    if any(part is None for part in key):
        return None
    return "-".join(str(part) for part in key)


def _columns(obj: Any) -> list[tuple[str, Any]]:
    mapper = inspect(obj).mapper
    ignore = getattr(obj, "__audit_ignore__", frozenset()) | {"created_at", "updated_at"}
    return [(attr.key, attr) for attr in mapper.column_attrs if attr.key not in ignore]


def _shown(obj: Any, key: str, value: Any) -> Any:
    if key in getattr(obj, "__audit_redact__", frozenset()):
        return REDACTED
    return _plain(value)


def _loaded(obj: Any) -> dict[str, Any]:
    # Read what is in memory: loading a missing attribute mid-flush would query a deleted row.
    return inspect(obj).dict


def _insert_changes(obj: Any) -> dict[str, Any]:
    values = _loaded(obj)
    return {
        key: {"old": None, "new": _shown(obj, key, values[key])}
        for key, _ in _columns(obj)
        if values.get(key) is not None
    }


def _update_changes(obj: Any) -> dict[str, Any]:
    state = inspect(obj)
    changes = {}
    for key, _ in _columns(obj):
        history = state.attrs[key].history
        if not history.has_changes():
            continue
        old = history.deleted[0] if history.deleted else None
        new = history.added[0] if history.added else None
        if old == new:
            continue
        changes[key] = {"old": _shown(obj, key, old), "new": _shown(obj, key, new)}
    return changes


def _delete_changes(obj: Any) -> dict[str, Any]:
    values = _loaded(obj)
    return {
        key: {"old": _shown(obj, key, values[key]), "new": None}
        for key, _ in _columns(obj)
        if values.get(key) is not None
    }


def _audited(obj: Any) -> bool:
    return _table_of(obj) not in NOT_AUDITED


def _after_flush(session: Session, flush_context: Any) -> None:
    user_id, organisation_id = _actor()
    detail = _detail.get()
    now = utcnow()
    rows = []
    for action, objects, describe in (
        (AuditAction.INSERT, session.new, _insert_changes),
        (AuditAction.UPDATE, session.dirty, _update_changes),
        (AuditAction.DELETE, session.deleted, _delete_changes),
    ):
        for obj in objects:
            if not _audited(obj):
                continue
            changes = describe(obj)
            if action is AuditAction.UPDATE and not changes:
                continue
            rows.append(
                {
                    "occurred_at": now,
                    "user_id": user_id,
                    "organisation_id": organisation_id,
                    "action": action,
                    "table_name": _table_of(obj),
                    "record_id": _record_id(obj),
                    "changes": changes,
                    "detail": detail,
                }
            )
    if rows:
        session.connection().execute(insert(AuditEvent), rows)


def _keep_old_value(target: Any, value: Any, oldvalue: Any, initiator: Any) -> Any:
    return value


def _track_old_values(mapper: Any, cls: type) -> None:
    # Load a column's stored value before it is overwritten, so the log can show it.
    if mapper.local_table is None or mapper.local_table.name in NOT_AUDITED:
        return
    for attr in mapper.column_attrs:
        if attr.parent is mapper and not event.contains(
            getattr(cls, attr.key), "set", _keep_old_value
        ):
            event.listen(
                getattr(cls, attr.key), "set", _keep_old_value, active_history=True, propagate=True
            )


def install(session_class: Any, model_class: Any) -> None:
    """Attach the hooks to the application's session class and models (once)."""
    if not event.contains(session_class, "after_flush", _after_flush):
        event.listen(session_class, "after_flush", _after_flush)
    if not event.contains(model_class, "mapper_configured", _track_old_values):
        event.listen(model_class, "mapper_configured", _track_old_values, propagate=True)


def record_event(
    session: Session,
    action: AuditAction,
    *,
    user: User | None = None,
    detail: str | None = None,
    table_name: str | None = None,
    record_id: str | int | None = None,
) -> None:
    """Add a session event (sign-in, failure, refusal) to the log; the caller commits."""
    session.add(
        AuditEvent(
            action=action,
            user_id=user.id if user is not None else None,
            organisation_id=user.organisation_id if user is not None else None,
            detail=detail[:300] if detail else None,
            table_name=table_name,
            record_id=str(record_id) if record_id is not None else None,
        )
    )
