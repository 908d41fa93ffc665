"""Pure rules for the provider register. `today` is always passed in."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from apregister.models.enums import (
    DocumentKind,
    DocumentState,
    FrameworkDecision,
    FrameworkStatus,
    OfstedJudgement,
    Role,
)

# ---- identifiers -----------------------------------------------------------------------------

_POSTCODE = re.compile(r"([A-Z]{1,2}[0-9][A-Z0-9]?)([0-9][A-Z]{2})")
_COMPANY = re.compile(r"^(?:[0-9]{8}|[A-Z]{2}[0-9]{6})$")
_PHONE_CHARS = re.compile(r"[\s\-()]")


def urn_problem(value: str) -> str | None:
    """A URN (GIAS unique reference number) is 6 digits."""
    if not re.fullmatch(r"[0-9]{6}", value):
        return "URN must be 6 digits, like 123456"
    return None


def ukprn_problem(value: str) -> str | None:
    """A UKPRN is 8 digits starting with 1."""
    if not re.fullmatch(r"1[0-9]{7}", value):
        return "UKPRN must be 8 digits starting with 1, like 10012345"
    return None


def normalise_postcode(value: str) -> str | None:
    """'sw1a1aa' -> 'SW1A 1AA'; None if it is not in the UK postcode format."""
    match = _POSTCODE.fullmatch(re.sub(r"\s+", "", value.upper()))
    if match is None:
        return None
    return f"{match.group(1)} {match.group(2)}"


def normalise_phone(value: str) -> str | None:
    """A UK phone number, digits only (a leading +44 becomes 0); None if it is not one."""
    compact = _PHONE_CHARS.sub("", value)
    if compact.startswith("+44"):
        compact = "0" + compact[3:]
    if not re.fullmatch(r"0[0-9]{9,10}", compact):
        return None
    return compact


def company_number_problem(value: str) -> str | None:
    if not _COMPANY.fullmatch(value.upper()):
        return "Company number must be 8 characters, like 01234567 or SC123456"
    return None


def charity_number_problem(value: str) -> str | None:
    if not re.fullmatch(r"[0-9]{6,8}", value):
        return "Charity number must be 6 to 8 digits, like 1123456"
    return None


# ---- documents -------------------------------------------------------------------------------


def document_state(expires_on: date | None, today: date, warn_days: int) -> DocumentState:
    """Valid, expiring within `warn_days`, or expired (a document is good to the end of its day)."""
    if expires_on is None:
        return DocumentState.NO_EXPIRY
    if expires_on < today:
        return DocumentState.EXPIRED
    if expires_on <= today + timedelta(days=warn_days):
        return DocumentState.EXPIRING
    return DocumentState.VALID


@dataclass(frozen=True)
class DocumentFacts:
    kind: DocumentKind
    expires_on: date | None


@dataclass(frozen=True)
class ChecklistItem:
    label: str
    met: bool
    why: str | None = None


# What approval needs on file (DESIGN.md, the admission checklist).
REQUIRED_DOCUMENTS = (
    DocumentKind.INSURANCE,
    DocumentKind.SAFEGUARDING_POLICY,
    DocumentKind.DBS_CONFIRMATION,
    DocumentKind.RISK_ASSESSMENT,
    DocumentKind.DATA_PROTECTION,
    DocumentKind.COMPLAINTS_POLICY,
)
# Insurance lapses; approval needs a current policy with its expiry date.
NEEDS_EXPIRY = frozenset({DocumentKind.INSURANCE})


def approval_checklist(
    *,
    is_registered: bool,
    ofsted_judgement: OfstedJudgement | None,
    ofsted_date: date | None,
    documents: Iterable[DocumentFacts],
    today: date,
) -> list[ChecklistItem]:
    """Each item a provider needs before approval, and whether it is met today."""
    documents = list(documents)
    items = []
    for kind in REQUIRED_DOCUMENTS:
        held = [doc for doc in documents if doc.kind is kind]
        current = [doc for doc in held if doc.expires_on is None or doc.expires_on >= today]
        if kind in NEEDS_EXPIRY:
            current = [doc for doc in current if doc.expires_on is not None]
        if current:
            items.append(ChecklistItem(kind.label, True))
        elif held:
            items.append(ChecklistItem(kind.label, False, "The document on file has expired"))
        else:
            items.append(ChecklistItem(kind.label, False, "No document uploaded"))
    if is_registered:
        has_judgement = ofsted_judgement is not None and ofsted_date is not None
        items.append(
            ChecklistItem(
                "Latest Ofsted judgement and date",
                has_judgement,
                None if has_judgement else "Record the latest Ofsted judgement and its date",
            )
        )
    return items


def checklist_complete(items: Iterable[ChecklistItem]) -> bool:
    return all(item.met for item in items)


# ---- framework lifecycle ---------------------------------------------------------------------

TRANSITIONS: dict[FrameworkDecision, tuple[frozenset[FrameworkStatus], FrameworkStatus]] = {
    FrameworkDecision.APPROVE: (frozenset({FrameworkStatus.APPLIED}), FrameworkStatus.APPROVED),
    FrameworkDecision.REJECT: (frozenset({FrameworkStatus.APPLIED}), FrameworkStatus.REJECTED),
    FrameworkDecision.SUSPEND: (frozenset({FrameworkStatus.APPROVED}), FrameworkStatus.SUSPENDED),
    FrameworkDecision.REINSTATE: (
        frozenset({FrameworkStatus.SUSPENDED}),
        FrameworkStatus.APPROVED,
    ),
    FrameworkDecision.REMOVE: (
        frozenset({FrameworkStatus.APPROVED, FrameworkStatus.SUSPENDED}),
        FrameworkStatus.REMOVED,
    ),
    FrameworkDecision.WITHDRAW: (
        frozenset({FrameworkStatus.APPLIED, FrameworkStatus.APPROVED, FrameworkStatus.SUSPENDED}),
        FrameworkStatus.WITHDRAWN,
    ),
}

LA_DECISIONS = frozenset(FrameworkDecision)
PROVIDER_DECISIONS = frozenset({FrameworkDecision.WITHDRAW})
# Approving (or reinstating) puts a provider in front of schools: the checklist applies.
CHECKED_DECISIONS = frozenset({FrameworkDecision.APPROVE, FrameworkDecision.REINSTATE})

DECISION_LABELS = {
    FrameworkDecision.APPROVE: "Approve",
    FrameworkDecision.REJECT: "Reject the application",
    FrameworkDecision.SUSPEND: "Suspend",
    FrameworkDecision.REINSTATE: "Reinstate",
    FrameworkDecision.REMOVE: "Remove from the framework",
    FrameworkDecision.WITHDRAW: "Withdraw from the framework",
}


def decisions_open_to(role: Role, status: FrameworkStatus) -> list[FrameworkDecision]:
    """The framework decisions this role may take on a provider in this status, in order."""
    allowed = (
        LA_DECISIONS
        if role in (Role.LA_LEAD, Role.LA_OFFICER)
        else (PROVIDER_DECISIONS if role is Role.PROVIDER else frozenset())
    )
    return [
        decision
        for decision in FrameworkDecision
        if decision in allowed and status in TRANSITIONS[decision][0]
    ]


def status_after(decision: FrameworkDecision) -> FrameworkStatus:
    return TRANSITIONS[decision][1]
