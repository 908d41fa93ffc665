"""Inspections, their actions, and self-assessments."""

from __future__ import annotations

from enum import StrEnum


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
