"""Attendance codes, sessions, and absences and their follow-up."""

from __future__ import annotations

from enum import StrEnum


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
