"""Every model, imported so that metadata and migrations see them all."""

from apregister.models.audit import AuditEvent
from apregister.models.enums import (
    LA_ROLES,
    AuditAction,
    FrameworkStatus,
    OrganisationKind,
    RegistrationType,
    Role,
    SchoolPhase,
)
from apregister.models.organisation import LocalAuthority, Organisation, Provider, School
from apregister.models.user import User, UserSession

__all__ = [
    "LA_ROLES",
    "AuditAction",
    "AuditEvent",
    "FrameworkStatus",
    "LocalAuthority",
    "Organisation",
    "OrganisationKind",
    "Provider",
    "RegistrationType",
    "Role",
    "School",
    "SchoolPhase",
    "User",
    "UserSession",
]
