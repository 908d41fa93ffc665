"""Closed sets, stored as strings and compared by member."""

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


class RegistrationType(StrEnum):
    """What kind of setting a provider is; the first five are registered with the DfE."""

    PUPIL_REFERRAL_UNIT = "pupil_referral_unit"
    AP_ACADEMY = "ap_academy"
    INDEPENDENT_SCHOOL = "independent_school"
    HOSPITAL_SCHOOL = "hospital_school"
    FE_COLLEGE = "fe_college"
    TUITION = "tuition"
    VOCATIONAL = "vocational"
    THERAPEUTIC = "therapeutic"
    WORK_BASED = "work_based"
    ONLINE = "online"
    OTHER_UNREGISTERED = "other_unregistered"

    @property
    def is_registered(self) -> bool:
        return self in REGISTERED_TYPES

    @property
    def label(self) -> str:
        return REGISTRATION_LABELS[self]


REGISTERED_TYPES = frozenset(
    {
        RegistrationType.PUPIL_REFERRAL_UNIT,
        RegistrationType.AP_ACADEMY,
        RegistrationType.INDEPENDENT_SCHOOL,
        RegistrationType.HOSPITAL_SCHOOL,
        RegistrationType.FE_COLLEGE,
    }
)

REGISTRATION_LABELS = {
    RegistrationType.PUPIL_REFERRAL_UNIT: "Pupil referral unit",
    RegistrationType.AP_ACADEMY: "AP academy or free school",
    RegistrationType.INDEPENDENT_SCHOOL: "Registered independent school",
    RegistrationType.HOSPITAL_SCHOOL: "Hospital school",
    RegistrationType.FE_COLLEGE: "Further education college",
    RegistrationType.TUITION: "Tuition (unregistered)",
    RegistrationType.VOCATIONAL: "Vocational (unregistered)",
    RegistrationType.THERAPEUTIC: "Therapeutic (unregistered)",
    RegistrationType.WORK_BASED: "Work-based (unregistered)",
    RegistrationType.ONLINE: "Online (unregistered)",
    RegistrationType.OTHER_UNREGISTERED: "Other (unregistered)",
}


class FrameworkStatus(StrEnum):
    APPLIED = "applied"
    APPROVED = "approved"
    SUSPENDED = "suspended"
    REMOVED = "removed"
    WITHDRAWN = "withdrawn"

    @property
    def label(self) -> str:
        return self.value.capitalize()


class AuditAction(StrEnum):
    INSERT = "insert"
    UPDATE = "update"
    DELETE = "delete"
    SIGN_IN = "sign_in"
    SIGN_IN_FAILED = "sign_in_failed"
    SIGN_OUT = "sign_out"
    ACCOUNT_LOCKED = "account_locked"
    ACCESS_REFUSED = "access_refused"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").capitalize()
