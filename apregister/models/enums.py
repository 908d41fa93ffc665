"""Closed sets, stored as strings and compared by member."""

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
    REJECTED = "rejected"  # an application the LA turned down
    # A setting a school (or the LA) placed a pupil at without it ever joining the framework.
    NOT_ON_FRAMEWORK = "not_on_framework"

    @property
    def label(self) -> str:
        if self is FrameworkStatus.NOT_ON_FRAMEWORK:
            return "Not on the framework"
        return self.value.capitalize()

    @property
    def off_framework_kind(self) -> OffFrameworkKind | None:
        """Which LA policy a placement at a provider in this status falls under; None when
        the provider is approved, so the placement is on the framework."""
        if self is FrameworkStatus.APPROVED:
            return None
        if self is FrameworkStatus.SUSPENDED:
            return OffFrameworkKind.SUSPENDED
        if self is FrameworkStatus.REMOVED:
            return OffFrameworkKind.REMOVED
        return OffFrameworkKind.NOT_ON_FRAMEWORK


class OffFrameworkKind(StrEnum):
    """The kinds of provider an LA sets a placement policy for (DESIGN.md, 'Every AP placement
    is on the register')."""

    NOT_ON_FRAMEWORK = "not_on_framework"  # never approved: not on it, applied, withdrawn...
    SUSPENDED = "suspended"
    REMOVED = "removed"

    @property
    def label(self) -> str:
        return {
            "not_on_framework": "Settings not on the framework",
            "suspended": "Providers suspended from the framework",
            "removed": "Providers removed from the framework",
        }[self.value]


class OffFrameworkPolicy(StrEnum):
    ALLOW = "allow"  # record it, mark it off framework, and put it in front of the LA
    REFUSE = "refuse"

    @property
    def label(self) -> str:
        return {
            "allow": "Allow, mark it off framework and tell the LA",
            "refuse": "Refuse the placement",
        }[self.value]


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


class FrameworkDecision(StrEnum):
    """A step in a provider's framework lifecycle, named as the person taking it would."""

    APPROVE = "approve"
    REJECT = "reject"
    SUSPEND = "suspend"
    REINSTATE = "reinstate"
    REMOVE = "remove"
    WITHDRAW = "withdraw"


class ProvisionType(StrEnum):
    ACADEMIC = "academic"
    TUITION = "tuition"
    VOCATIONAL = "vocational"
    THERAPEUTIC = "therapeutic"
    WORK_BASED = "work_based"
    ONLINE = "online"
    OUTDOOR = "outdoor"
    CREATIVE = "creative"
    MEDICAL = "medical"

    @property
    def label(self) -> str:
        return PROVISION_LABELS[self]


PROVISION_LABELS = {
    ProvisionType.ACADEMIC: "Full-time academic curriculum",
    ProvisionType.TUITION: "Tuition (one-to-one or small group)",
    ProvisionType.VOCATIONAL: "Vocational courses",
    ProvisionType.THERAPEUTIC: "Therapeutic provision",
    ProvisionType.WORK_BASED: "Work-based learning",
    ProvisionType.ONLINE: "Online learning",
    ProvisionType.OUTDOOR: "Outdoor and sport-based learning",
    ProvisionType.CREATIVE: "Creative and arts-based learning",
    ProvisionType.MEDICAL: "Medical needs or hospital education",
}


class Specialism(StrEnum):
    SEMH = "semh"
    AUTISM = "autism"
    MEDICAL = "medical"
    SLCN = "slcn"
    LEARNING = "learning"
    EBSA = "ebsa"
    YOUNG_PARENTS = "young_parents"

    @property
    def label(self) -> str:
        return SPECIALISM_LABELS[self]


SPECIALISM_LABELS = {
    Specialism.SEMH: "Social, emotional and mental health (SEMH)",
    Specialism.AUTISM: "Autism",
    Specialism.MEDICAL: "Medical and physical needs",
    Specialism.SLCN: "Speech, language and communication needs",
    Specialism.LEARNING: "Moderate or specific learning difficulties",
    Specialism.EBSA: "Emotionally based school avoidance",
    Specialism.YOUNG_PARENTS: "Young parents",
}


class KeyStage(StrEnum):
    KS1 = "ks1"
    KS2 = "ks2"
    KS3 = "ks3"
    KS4 = "ks4"
    KS5 = "ks5"

    @property
    def label(self) -> str:
        return f"Key stage {self.value[-1]}"


class OfstedJudgement(StrEnum):
    OUTSTANDING = "outstanding"
    GOOD = "good"
    REQUIRES_IMPROVEMENT = "requires_improvement"
    INADEQUATE = "inadequate"
    NOT_YET_INSPECTED = "not_yet_inspected"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").capitalize()


class DocumentKind(StrEnum):
    INSURANCE = "insurance"
    SAFEGUARDING_POLICY = "safeguarding_policy"
    DBS_CONFIRMATION = "dbs_confirmation"
    RISK_ASSESSMENT = "risk_assessment"
    DATA_PROTECTION = "data_protection"
    COMPLAINTS_POLICY = "complaints_policy"
    OTHER = "other"

    @property
    def label(self) -> str:
        return DOCUMENT_LABELS[self]


DOCUMENT_LABELS = {
    DocumentKind.INSURANCE: "Public liability insurance",
    DocumentKind.SAFEGUARDING_POLICY: "Safeguarding and child protection policy",
    DocumentKind.DBS_CONFIRMATION: "Confirmation of DBS checks (single central record)",
    DocumentKind.RISK_ASSESSMENT: "Health and safety risk assessment",
    DocumentKind.DATA_PROTECTION: "Data protection policy",
    DocumentKind.COMPLAINTS_POLICY: "Complaints policy",
    DocumentKind.OTHER: "Other document",
}


class DocumentState(StrEnum):
    VALID = "valid"
    EXPIRING = "expiring"
    EXPIRED = "expired"
    NO_EXPIRY = "no_expiry"

    @property
    def label(self) -> str:
        return {
            DocumentState.VALID: "Valid",
            DocumentState.EXPIRING: "Expiring soon",
            DocumentState.EXPIRED: "Expired",
            DocumentState.NO_EXPIRY: "No expiry date",
        }[self]


class Sex(StrEnum):
    """School census values."""

    FEMALE = "F"
    MALE = "M"
    UNKNOWN = "U"

    @property
    def label(self) -> str:
        return {"F": "Female", "M": "Male", "U": "Unknown"}[self.value]


class SenStatus(StrEnum):
    NONE = "none"
    SEN_SUPPORT = "sen_support"
    EHC_PLAN = "ehc_plan"

    @property
    def label(self) -> str:
        return {"none": "No SEN", "sen_support": "SEN support", "ehc_plan": "EHC plan"}[self.value]


class PlacementReason(StrEnum):
    PREVENT_EXCLUSION = "prevent_exclusion"
    RE_ENGAGE = "re_engage"
    MEDICAL = "medical"
    PERMANENTLY_EXCLUDED = "permanently_excluded"
    NEW_TO_AREA = "new_to_area"
    EHC_MAINTAIN = "ehc_maintain"
    EHC_ALTERNATIVE = "ehc_alternative"
    EHC_NONE_AVAILABLE = "ehc_none_available"

    @property
    def label(self) -> str:
        return PLACEMENT_REASON_LABELS[self]


PLACEMENT_REASON_LABELS = {
    PlacementReason.PREVENT_EXCLUSION: "To prevent a suspension or permanent exclusion",
    PlacementReason.RE_ENGAGE: "To re-engage the pupil in education",
    PlacementReason.MEDICAL: "Medical needs or hospital education",
    PlacementReason.PERMANENTLY_EXCLUDED: "Permanently excluded, awaiting a new placement",
    PlacementReason.NEW_TO_AREA: "New to the area without a school place",
    PlacementReason.EHC_MAINTAIN: "EHC plan: to maintain a placement",
    PlacementReason.EHC_ALTERNATIVE: "EHC plan: as an alternative to a placement",
    PlacementReason.EHC_NONE_AVAILABLE: "EHC plan: while no placement is available",
}


class PlacementStatus(StrEnum):
    PLANNED = "planned"
    ACTIVE = "active"
    ENDED = "ended"
    CANCELLED = "cancelled"

    @property
    def label(self) -> str:
        return self.value.capitalize()


class PlacementOutcome(StrEnum):
    RETURNED_HOME_SCHOOL = "returned_home_school"
    ANOTHER_MAINSTREAM = "another_mainstream"
    SPECIAL_SCHOOL = "special_school"
    ANOTHER_AP = "another_ap"
    EHC_ASSESSMENT = "ehc_assessment"
    NEET = "neet"
    OTHER = "other"

    @property
    def label(self) -> str:
        return PLACEMENT_OUTCOME_LABELS[self]


PLACEMENT_OUTCOME_LABELS = {
    PlacementOutcome.RETURNED_HOME_SCHOOL: "Returned to their home school full time",
    PlacementOutcome.ANOTHER_MAINSTREAM: "Moved to another mainstream school",
    PlacementOutcome.SPECIAL_SCHOOL: "Moved to a special school",
    PlacementOutcome.ANOTHER_AP: "Moved to another alternative provision",
    PlacementOutcome.EHC_ASSESSMENT: "EHC needs assessment started",
    PlacementOutcome.NEET: "Left education (NEET)",
    PlacementOutcome.OTHER: "Other",
}


class ReviewDecision(StrEnum):
    CONTINUE = "continue"
    EXTEND = "extend"
    END = "end"

    @property
    def label(self) -> str:
        return {
            "continue": "Continue the placement",
            "extend": "Request an extension",
            "end": "End the placement",
        }[self.value]


class ExtensionStatus(StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    DECLINED = "declined"

    @property
    def label(self) -> str:
        return self.value.capitalize()


class AttendanceCode(StrEnum):
    """What the provider records each session; each maps to the DfE code the home school uses."""

    PRESENT = "present"
    AUTHORISED = "authorised"
    UNAUTHORISED = "unauthorised"
    # absent, and the provider does not know why: the home school follows it up the same day
    UNEXPLAINED = "unexplained"
    NOT_REQUIRED = "not_required"

    @property
    def label(self) -> str:
        return ATTENDANCE_LABELS[self]

    @property
    def dfe_code(self) -> str:
        """The DfE code where the school arranged the provision (B when present)."""
        return DFE_CODES[self]

    def dfe_code_for(self, *, arranged_by_la: bool) -> str:
        """DfE attendance codes, August 2024: present at provision the LA arranged is K;
        at off-site provision the school arranged, B."""
        if self is AttendanceCode.PRESENT and arranged_by_la:
            return "K"
        return DFE_CODES[self]


ATTENDANCE_LABELS = {
    AttendanceCode.PRESENT: "Present",
    AttendanceCode.AUTHORISED: "Authorised absence",
    AttendanceCode.UNAUTHORISED: "Unauthorised absence",
    AttendanceCode.UNEXPLAINED: "Absent, reason not known",
    AttendanceCode.NOT_REQUIRED: "Not required",
}
# B: educated off site; C: other authorised circumstances; O: unauthorised; N: no reason yet
# provided; X: not required.
DFE_CODES = {
    AttendanceCode.PRESENT: "B",
    AttendanceCode.AUTHORISED: "C",
    AttendanceCode.UNAUTHORISED: "O",
    AttendanceCode.UNEXPLAINED: "N",
    AttendanceCode.NOT_REQUIRED: "X",
}


class AbsenceTrigger(StrEnum):
    """What put a session to the home school to follow up the same day."""

    UNEXPLAINED = "unexplained"  # the provider marked an absence with no reason
    NOT_RECORDED = "not_recorded"  # nothing was recorded by the LA's cut-off time

    @property
    def label(self) -> str:
        return {
            "unexplained": "Absent, reason not known",
            "not_recorded": "Not recorded by the cut-off time",
        }[self.value]


class Escalation(StrEnum):
    CHILDRENS_SOCIAL_CARE = "childrens_social_care"
    CHILD_MISSING_EDUCATION = "child_missing_education"
    POLICE = "police"
    OTHER = "other"

    @property
    def label(self) -> str:
        return {
            "childrens_social_care": "Referred to children's social care",
            "child_missing_education": "Reported as a child missing education",
            "police": "Reported to the police",
            "other": "Escalated another way",
        }[self.value]


class Session(StrEnum):
    AM = "AM"
    PM = "PM"


class ThresholdWording(StrEnum):
    """Which pupils count singly towards the independent-school registration threshold."""

    EHC_OR_LOOKED_AFTER = "ehc_or_looked_after"  # Education and Skills Act 2008 s92, in force
    SEN_OR_LOOKED_AFTER = "sen_or_looked_after"  # Children's Wellbeing and Schools Act 2026 s43

    @property
    def label(self) -> str:
        return {
            "ehc_or_looked_after": "An EHC plan, or looked after (law in force)",
            "sen_or_looked_after": "Any special educational needs, or looked after (2026 Act)",
        }[self.value]


class Judgement(StrEnum):
    MET = "met"
    PARTLY_MET = "partly_met"
    NOT_MET = "not_met"

    @property
    def label(self) -> str:
        return {"met": "Met", "partly_met": "Partly met", "not_met": "Not met"}[self.value]


class InspectionOutcome(StrEnum):
    APPROVED = "approved"
    APPROVED_WITH_ACTIONS = "approved_with_actions"
    NOT_APPROVED = "not_approved"

    @property
    def label(self) -> str:
        return {
            "approved": "Approved",
            "approved_with_actions": "Approved with actions",
            "not_approved": "Not approved (recommend suspension)",
        }[self.value]


class InspectionStatus(StrEnum):
    PLANNED = "planned"  # a visit is booked
    PUBLISHED = "published"  # recorded and shown to the provider

    @property
    def label(self) -> str:
        return self.value.capitalize()


class ActionOwner(StrEnum):
    PROVIDER = "provider"
    LA = "la"

    @property
    def label(self) -> str:
        return {"provider": "Provider", "la": "LA"}[self.value]


class ActionStatus(StrEnum):
    OPEN = "open"
    DONE = "done"  # the provider says it is done; the LA verifies
    CLOSED = "closed"

    @property
    def label(self) -> str:
        return {"open": "Open", "done": "Done, to verify", "closed": "Closed"}[self.value]


class SelfAssessmentStatus(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    RETURNED = "returned"
    ACCEPTED = "accepted"

    @property
    def label(self) -> str:
        return self.value.capitalize()
