"""Who may reach a page: `role_required`, and the log of refused access."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import abort, g, request
from flask_login import current_user

from apregister.extensions import db, login_manager
from apregister.models import AuditAction, AuditEvent, Role

ALL_ROLES = frozenset(Role)

# Endpoints anyone may reach without signing in. Everything else must carry role_required.
PUBLIC_ENDPOINTS = frozenset(
    {
        "static",
        "auth.sign_in",
        "pages.healthz",
        "pages.accessibility_statement",
        "pages.privacy_notice",
        "pages.cookies",
        "applications.apply_to_join",
        "applications.application_sent",
        "applications.accept_invitation",
    }
)

F = TypeVar("F", bound=Callable[..., Any])


def role_required(*roles: Role) -> Callable[[F], F]:
    """Let a signed-in user with one of `roles` through; others are refused (and it is logged)."""
    allowed = frozenset(roles)
    if not allowed:
        raise ValueError("role_required needs at least one role")

    def decorator(view: F) -> F:
        @wraps(view)
        def guarded(*args: Any, **kwargs: Any) -> Any:
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if current_user.role not in allowed:
                note_refusal(f"{request.method} {request.path}: role {current_user.role}")
                abort(403)
            return view(*args, **kwargs)

        guarded.allowed_roles = allowed  # type: ignore[attr-defined]
        return guarded  # type: ignore[return-value]

    return decorator


def signed_in(view: F) -> F:
    """Any signed-in user, whatever the role."""
    return role_required(*ALL_ROLES)(view)


def note_refusal(detail: str, *, table_name: str | None = None, record_id: Any = None) -> None:
    """Remember a refused access; the error handler writes it after rolling back the request."""
    g.setdefault("audit_refusals", []).append(
        {"detail": detail[:300], "table_name": table_name, "record_id": record_id}
    )


def write_refusals() -> None:
    """Write the refusals noted in this request in a transaction of their own."""
    refusals = g.pop("audit_refusals", [])
    if not refusals:
        return
    db.session.rollback()
    user = current_user if current_user.is_authenticated else None
    for refusal in refusals:
        db.session.add(
            AuditEvent(
                action=AuditAction.ACCESS_REFUSED,
                user_id=user.id if user else None,
                organisation_id=user.organisation_id if user else None,
                detail=refusal["detail"],
                table_name=refusal["table_name"],
                record_id=None if refusal["record_id"] is None else str(refusal["record_id"]),
            )
        )
    db.session.commit()
