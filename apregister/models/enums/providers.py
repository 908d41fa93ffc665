"""The framework, registration, and a provider's profile and documents."""

from __future__ import annotations

from enum import StrEnum


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
