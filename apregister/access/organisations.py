"""What each user may see of accounts, organisations, schools and providers' records."""

from __future__ import annotations

from sqlalchemy import Select, false, or_, select

from apregister.models import (
    LA_ROLES,
    ComplianceDocument,
    FrameworkStatus,
    FrameworkStatusChange,
    Organisation,
    Placement,
    Provider,
    Role,
    School,
    User,
)


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
        placed = select(Placement.provider_id).where(Placement.school_id == user.organisation_id)
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
