"""Every model, imported so that metadata and migrations see them all."""

from apregister.models.audit import AuditEvent
from apregister.models.enums import (
    LA_ROLES,
    REGISTERED_TYPES,
    AuditAction,
    DocumentKind,
    DocumentState,
    FrameworkDecision,
    FrameworkStatus,
    KeyStage,
    OfstedJudgement,
    OrganisationKind,
    ProvisionType,
    RegistrationType,
    Role,
    SchoolPhase,
    Specialism,
)
from apregister.models.organisation import LocalAuthority, Organisation, School
from apregister.models.provider import (
    ComplianceDocument,
    FrameworkStatusChange,
    Provider,
    ProviderTag,
)
from apregister.models.user import Invitation, User, UserSession

__all__ = [
    "REGISTERED_TYPES",
    "ComplianceDocument",
    "DocumentKind",
    "DocumentState",
    "FrameworkDecision",
    "FrameworkStatusChange",
    "Invitation",
    "KeyStage",
    "OfstedJudgement",
    "ProviderTag",
    "ProvisionType",
    "Specialism",
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
