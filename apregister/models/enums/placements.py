"""Pupils, placements, reviews and extensions."""

from __future__ import annotations

from enum import StrEnum


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
