"""The one door for access control.

Every view is marked with `role_required`; every record a view shows is fetched through a
`visible_*` query builder or `get_visible_or_404`. Another organisation's record answers 404,
exactly like a record that does not exist.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import abort, g, request
from flask_login import current_user
from sqlalchemy import Select, false, or_, select

from apregister.extensions import db, login_manager
from apregister.models import (
    LA_ROLES,
    AbsenceCase,
    Attendance,
    AuditAction,
    AuditEvent,
    ComplianceDocument,
    ExtensionRequest,
    FrameworkStatus,
    FrameworkStatusChange,
    Inspection,
    InspectionAction,
    InspectionStatus,
    Organisation,
    OutboxMessage,
    Placement,
    Provider,
    Pupil,
    Review,
    Role,
    School,
    SelfAssessment,
    SelfAssessmentStatus,
    User,
)

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
M = TypeVar("M")


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


# ---- query builders: what each user may see --------------------------------------------


def visible_users(user: User) -> Select[tuple[User]]:
    """The la_lead manages every account; everyone else sees only their own."""
    stmt = select(User)
    if user.role is Role.LA_LEAD:
        return stmt
    return stmt.where(User.id == user.id)


def visible_organisations(user: User) -> Select[tuple[Organisation]]:
    """LA roles see every organisation; others see only their own."""
    stmt = select(Organisation)
    if user.role in LA_ROLES:
        return stmt
    return stmt.where(Organisation.id == user.organisation_id)


def visible_schools(user: User) -> Select[tuple[School]]:
    stmt = select(School)
    if user.role in LA_ROLES:
        return stmt
    if user.role is Role.SCHOOL:
        return stmt.where(School.id == user.organisation_id)
    return stmt.where(false())


def visible_providers(user: User) -> Select[tuple[Provider]]:
    """LA roles: the whole register. Schools: the approved directory, and every provider their
    pupils are placed with, whatever its status. A provider: the directory and itself."""
    stmt = select(Provider)
    if user.role in LA_ROLES:
        return stmt
    approved = Provider.framework_status == FrameworkStatus.APPROVED
    if user.role is Role.SCHOOL:
        placed = select(Placement.provider_id).where(
            Placement.school_id == user.organisation_id
        )
        return stmt.where(or_(approved, Provider.id.in_(placed)))
    if user.role is Role.PROVIDER:
        return stmt.where(or_(approved, Provider.id == user.organisation_id))
    return stmt.where(false())


def placeable_providers(user: User) -> Select[tuple[Provider]]:
    """Providers this user may place a pupil with: any on the register, whatever its framework
    status, for those who commission (LA roles and schools). A placement at one that is not
    approved is marked off framework; the LA's settings may refuse some kinds."""
    stmt = select(Provider)
    if user.role in LA_ROLES or user.role is Role.SCHOOL:
        return stmt
    return stmt.where(false())


def managed_providers(user: User) -> Select[tuple[Provider]]:
    """Providers whose own records (profile, documents, status) this user may change:
    every one for LA roles, only its own for a provider user."""
    stmt = select(Provider)
    if user.role in LA_ROLES:
        return stmt
    if user.role is Role.PROVIDER:
        return stmt.where(Provider.id == user.organisation_id)
    return stmt.where(false())


def sees_whole_profile(user: User, provider: Provider) -> bool:
    """LA roles and the provider itself see its whole profile; others see directory fields."""
    return user.role in LA_ROLES or (
        user.role is Role.PROVIDER and user.organisation_id == provider.id
    )


def visible_documents(user: User) -> Select[tuple[ComplianceDocument]]:
    """Compliance documents: the LA's and the provider's own; nobody else's."""
    stmt = select(ComplianceDocument)
    if user.role in LA_ROLES:
        return stmt
    if user.role is Role.PROVIDER:
        return stmt.where(ComplianceDocument.provider_id == user.organisation_id)
    return stmt.where(false())


def visible_status_changes(user: User) -> Select[tuple[FrameworkStatusChange]]:
    """LA roles: every change. A provider: its own. A school: why a provider was suspended
    or removed, so it can decide about placing a pupil there (DESIGN.md)."""
    stmt = select(FrameworkStatusChange)
    if user.role in LA_ROLES:
        return stmt
    if user.role is Role.PROVIDER:
        return stmt.where(FrameworkStatusChange.provider_id == user.organisation_id)
    if user.role is Role.SCHOOL:
        return stmt.where(
            FrameworkStatusChange.to_status.in_(
                [FrameworkStatus.SUSPENDED, FrameworkStatus.REMOVED]
            )
        )
    return stmt.where(false())


def visible_pupils(user: User) -> Select[tuple[Pupil]]:
    """LA roles: every pupil. A school: its own. A provider: the pupils placed with it (and
    views show it only the fields it needs)."""
    stmt = select(Pupil)
    if user.role in LA_ROLES:
        return stmt
    if user.role is Role.SCHOOL:
        return stmt.where(Pupil.owner_id == user.organisation_id)
    if user.role is Role.PROVIDER:
        placed = select(Placement.pupil_id).where(Placement.provider_id == user.organisation_id)
        return stmt.where(Pupil.id.in_(placed))
    return stmt.where(false())


def managed_pupils(user: User) -> Select[tuple[Pupil]]:
    """Pupils whose record this user may change: a school its own, LA roles any."""
    stmt = select(Pupil)
    if user.role in LA_ROLES:
        return stmt
    if user.role is Role.SCHOOL:
        return stmt.where(Pupil.owner_id == user.organisation_id)
    return stmt.where(false())


def _placement_scope(user: User):
    if user.role in LA_ROLES:
        return None
    if user.role is Role.SCHOOL:
        return Placement.school_id == user.organisation_id
    if user.role is Role.PROVIDER:
        return Placement.provider_id == user.organisation_id
    return false()


def visible_placements(user: User) -> Select[tuple[Placement]]:
    """LA roles: all. A school: its pupils' placements. A provider: the placements with it."""
    scope = _placement_scope(user)
    stmt = select(Placement)
    return stmt if scope is None else stmt.where(scope)


def managed_placements(user: User) -> Select[tuple[Placement]]:
    """Placements this user may review, extend, end or cancel: a school its own, LA any."""
    stmt = select(Placement)
    if user.role in LA_ROLES:
        return stmt
    if user.role is Role.SCHOOL:
        return stmt.where(Placement.school_id == user.organisation_id)
    return stmt.where(false())


def _through_placement(model, user: User) -> Select[Any]:
    scope = _placement_scope(user)
    stmt = select(model)
    if scope is None:
        return stmt
    return stmt.where(model.placement_id.in_(select(Placement.id).where(scope)))


def visible_reviews(user: User) -> Select[tuple[Review]]:
    return _through_placement(Review, user)


def visible_extension_requests(user: User) -> Select[tuple[ExtensionRequest]]:
    return _through_placement(ExtensionRequest, user)


def visible_attendance(user: User) -> Select[tuple[Attendance]]:
    return _through_placement(Attendance, user)


def visible_absence_cases(user: User) -> Select[tuple[AbsenceCase]]:
    """LA roles: every case. A school: its pupils' cases. A provider sees none: the school's
    follow-up notes are not for it (it sees the attendance it recorded)."""
    stmt = select(AbsenceCase)
    if user.role in LA_ROLES:
        return stmt
    if user.role is Role.SCHOOL:
        return stmt.where(
            AbsenceCase.placement_id.in_(
                select(Placement.id).where(Placement.school_id == user.organisation_id)
            )
        )
    return stmt.where(false())


def visible_inspections(user: User) -> Select[tuple[Inspection]]:
    """LA roles: every inspection. A provider: published reports about itself only."""
    stmt = select(Inspection)
    if user.role in LA_ROLES:
        return stmt
    if user.role is Role.PROVIDER:
        return stmt.where(
            Inspection.provider_id == user.organisation_id,
            Inspection.status == InspectionStatus.PUBLISHED,
        )
    return stmt.where(false())


def visible_actions(user: User) -> Select[tuple[InspectionAction]]:
    stmt = select(InspectionAction)
    if user.role in LA_ROLES:
        return stmt
    if user.role is Role.PROVIDER:
        published = select(Inspection.id).where(
            Inspection.provider_id == user.organisation_id,
            Inspection.status == InspectionStatus.PUBLISHED,
        )
        return stmt.where(InspectionAction.inspection_id.in_(published))
    return stmt.where(false())


def visible_self_assessments(user: User) -> Select[tuple[SelfAssessment]]:
    """LA roles: every self-assessment that has been submitted at least once. A provider: its
    own, drafts included."""
    stmt = select(SelfAssessment)
    if user.role in LA_ROLES:
        return stmt.where(SelfAssessment.status != SelfAssessmentStatus.DRAFT)
    if user.role is Role.PROVIDER:
        return stmt.where(SelfAssessment.provider_id == user.organisation_id)
    return stmt.where(false())


def visible_outbox(user: User) -> Select[tuple[OutboxMessage]]:
    stmt = select(OutboxMessage)
    if user.role is Role.LA_LEAD:
        return stmt
    return stmt.where(false())


def visible_audit_events(user: User) -> Select[tuple[AuditEvent]]:
    stmt = select(AuditEvent)
    if user.role is Role.LA_LEAD:
        return stmt
    return stmt.where(false())


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
