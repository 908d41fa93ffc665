"""Closed sets, stored as strings and compared by member.

One module a sub-area: `accounts` (roles, organisations, the audit log), `providers` (the
framework, registration and a provider's profile and documents), `placements` (pupils,
placements, reviews and extensions), `attendance` (codes, absences and their follow-up) and
`quality` (inspections and self-assessments). Import from `apregister.models.enums` (or
`apregister.models`).
"""

from __future__ import annotations

from apregister.models.enums.accounts import (  # noqa: F401 (re-exported)
    LA_ROLES,
    ROLE_LABELS,
    ROLE_ORGANISATION_KIND,
    AuditAction,
    OrganisationKind,
    Role,
    SchoolPhase,
)
from apregister.models.enums.attendance import (  # noqa: F401 (re-exported)
    ATTENDANCE_LABELS,
    DFE_CODES,
    AbsenceTrigger,
    AttendanceCode,
    Escalation,
    Session,
)
from apregister.models.enums.placements import (  # noqa: F401 (re-exported)
    PLACEMENT_OUTCOME_LABELS,
    PLACEMENT_REASON_LABELS,
    ExtensionStatus,
    PlacementOutcome,
    PlacementReason,
    PlacementStatus,
    ReviewDecision,
    SenStatus,
    Sex,
)
from apregister.models.enums.providers import (  # noqa: F401 (re-exported)
    DOCUMENT_LABELS,
    PROVISION_LABELS,
    REGISTERED_TYPES,
    REGISTRATION_LABELS,
    SPECIALISM_LABELS,
    DocumentKind,
    DocumentState,
    FrameworkDecision,
    FrameworkStatus,
    KeyStage,
    OffFrameworkKind,
    OffFrameworkPolicy,
    OfstedJudgement,
    ProvisionType,
    RegistrationType,
    Specialism,
    ThresholdWording,
)
from apregister.models.enums.quality import (  # noqa: F401 (re-exported)
    ActionOwner,
    ActionStatus,
    InspectionOutcome,
    InspectionStatus,
    Judgement,
    SelfAssessmentStatus,
)
