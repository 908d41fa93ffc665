"""Roles, organisations and the audit log's actions."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    LA_LEAD = "la_lead"
    LA_OFFICER = "la_officer"
    SCHOOL = "school"
    PROVIDER = "provider"
    BOARD = "board"

    @property
    def label(self) -> str:
        return ROLE_LABELS[self]


ROLE_LABELS = {
    Role.LA_LEAD: "LA strategic lead",
    Role.LA_OFFICER: "LA officer",
    Role.SCHOOL: "School staff",
    Role.PROVIDER: "Provider staff",
    Role.BOARD: "Improvement board",
}

LA_ROLES = frozenset({Role.LA_LEAD, Role.LA_OFFICER})


class OrganisationKind(StrEnum):
    LA = "la"
    SCHOOL = "school"
    PROVIDER = "provider"


# Which organisation each role's users belong to.
ROLE_ORGANISATION_KIND = {
    Role.LA_LEAD: OrganisationKind.LA,
    Role.LA_OFFICER: OrganisationKind.LA,
    Role.BOARD: OrganisationKind.LA,
    Role.SCHOOL: OrganisationKind.SCHOOL,
    Role.PROVIDER: OrganisationKind.PROVIDER,
}


class SchoolPhase(StrEnum):
    PRIMARY = "primary"
    SECONDARY = "secondary"
    ALL_THROUGH = "all_through"
    SPECIAL = "special"

    @property
    def label(self) -> str:
        return self.value.replace("_", "-").capitalize()


class AuditAction(StrEnum):
    INSERT = "insert"
    UPDATE = "update"
    DELETE = "delete"
    SIGN_IN = "sign_in"
    SIGN_IN_FAILED = "sign_in_failed"
    SIGN_OUT = "sign_out"
    ACCOUNT_LOCKED = "account_locked"
    ACCESS_REFUSED = "access_refused"
    SUBJECT_ACCESS = "subject_access"  # a pupil's subject access export downloaded
    RETENTION_REMOVAL = "retention_removal"  # a pupil's details removed after the period
    # two-factor sign-in: a code (or recovery code) accepted or refused, set up, reset
    TWO_FACTOR_PASSED = "two_factor_passed"
    TWO_FACTOR_FAILED = "two_factor_failed"
    TWO_FACTOR_SET_UP = "two_factor_set_up"
    RECOVERY_CODE_USED = "recovery_code_used"
    TWO_FACTOR_RESET = "two_factor_reset"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").capitalize()
