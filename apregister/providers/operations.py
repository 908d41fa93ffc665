"""The only code that changes the register. Flush, never commit."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from apregister.extensions import db
from apregister.messages.events import application_decided, application_received
from apregister.messages.placements import provider_lapsed
from apregister.models import (
    ComplianceDocument,
    DocumentKind,
    FrameworkDecision,
    FrameworkStatus,
    FrameworkStatusChange,
    OfstedJudgement,
    Provider,
    RegistrationType,
    Role,
    User,
)
from apregister.providers import rules
from apregister.providers.applying import ApplicationDocument, unused_reference
from apregister.uploads import CheckedFile

# Fields a provider may change about itself (never its status or the LA's notes).
SELF_SERVICE_FIELDS = frozenset(
    {
        "description",
        "address_line_1",
        "address_line_2",
        "town",
        "postcode",
        "capacity",
        "website",
        "contact_name",
        "contact_email",
        "contact_phone",
        "safeguarding_lead_name",
        "safeguarding_lead_email",
        "safeguarding_lead_phone",
        "provision_types",
        "specialisms",
        "key_stages",
    }
)

PROFILE_FIELDS = SELF_SERVICE_FIELDS | {
    "name",
    "registration_type",
    "legal_name",
    "company_number",
    "charity_number",
    "urn",
    "ukprn",
    "ofsted_judgement",
    "ofsted_date",
    "area",
    "daily_rate",
    "internal_notes",
}


@dataclass
class ProviderDetails:
    """Everything that describes a provider, already validated and normalised."""

    name: str
    registration_type: RegistrationType
    legal_name: str | None = None
    company_number: str | None = None
    charity_number: str | None = None
    urn: str | None = None
    ukprn: str | None = None
    ofsted_judgement: OfstedJudgement | None = None
    ofsted_date: date | None = None
    description: str | None = None
    address_line_1: str | None = None
    address_line_2: str | None = None
    town: str | None = None
    postcode: str | None = None
    area: str | None = None
    capacity: int | None = None
    daily_rate: Decimal | None = None
    website: str | None = None
    contact_name: str | None = None
    contact_email: str | None = None
    contact_phone: str | None = None
    safeguarding_lead_name: str | None = None
    safeguarding_lead_email: str | None = None
    safeguarding_lead_phone: str | None = None
    internal_notes: str | None = None
    provision_types: list[str] = field(default_factory=list)
    specialisms: list[str] = field(default_factory=list)
    key_stages: list[str] = field(default_factory=list)


def _apply(provider: Provider, values: dict[str, Any], allowed: frozenset[str]) -> None:
    for key, value in values.items():
        if key in allowed:
            setattr(provider, key, value)


def _record_status(
    provider: Provider,
    to_status: FrameworkStatus,
    *,
    reason: str,
    today: date,
    by: User | None,
    override: str | None = None,
) -> FrameworkStatusChange:
    change = FrameworkStatusChange(
        provider=provider,
        from_status=provider.framework_status,
        to_status=to_status,
        reason=reason.strip(),
        checklist_override=override.strip() if override else None,
        changed_on=today,
        changed_by_id=by.id if by is not None else None,
    )
    db.session.add(change)
    provider.framework_status = to_status
    if to_status is FrameworkStatus.APPROVED and provider.approved_on is None:
        provider.approved_on = today
    return change


def add_provider(
    details: ProviderDetails,
    *,
    status: FrameworkStatus,
    reason: str,
    today: date,
    by: User | None,
) -> Provider:
    """A new register entry, with its first status in the history."""
    provider = Provider(name=details.name, registration_type=details.registration_type)
    _apply(provider, vars(details), PROFILE_FIELDS)
    provider.framework_status = None  # the history starts from nothing
    db.session.add(provider)
    _record_status(provider, status, reason=reason, today=today, by=by)
    db.session.flush()
    return provider


def apply_to_join(
    details: ProviderDetails, *, today: date, documents: Iterable[ApplicationDocument] = ()
) -> Provider:
    """A provider's own application from the public form: status applied, nobody signed in,
    a reference number for the applicant, and the documents sent with it."""
    details.internal_notes = None
    details.daily_rate = None
    provider = add_provider(
        details,
        status=FrameworkStatus.APPLIED,
        reason="Applied to join the framework",
        today=today,
        by=None,
    )
    provider.application_reference = unused_reference()
    for document in documents:
        add_document(
            provider,
            kind=document.kind,
            title=document.kind.label,
            issued_on=None,
            expires_on=document.expires_on,
            upload=document.upload,
            by=None,
        )
    db.session.flush()
    application_received(provider)
    return provider


def update_provider(provider: Provider, details: ProviderDetails) -> Provider:
    """The LA changes any part of the profile (not the framework status)."""
    _apply(provider, vars(details), PROFILE_FIELDS)
    db.session.flush()
    return provider


def update_own_profile(provider: Provider, values: dict[str, Any]) -> Provider:
    """A provider changes its own contact details, description, offer and capacity."""
    _apply(provider, values, SELF_SERVICE_FIELDS)
    db.session.flush()
    return provider


class DecisionRefused(Exception):
    """The decision cannot be taken: the message says why, in plain words."""


def decide(
    provider: Provider,
    decision: FrameworkDecision,
    *,
    reason: str,
    role: Role,
    today: date,
    by: User,
    override: str | None = None,
) -> FrameworkStatusChange:
    """Take a framework decision; approval needs the checklist complete or an override."""
    if decision not in rules.decisions_open_to(role, provider.framework_status):
        raise DecisionRefused(
            f"You cannot {decision.value} a provider whose status is "
            f"{provider.framework_status.label.lower()}"
        )
    if not reason or not reason.strip():
        raise DecisionRefused("Enter the reason for this decision")
    if decision in rules.CHECKED_DECISIONS:
        checklist = checklist_for(provider, today)
        if not rules.checklist_complete(checklist) and not (override and override.strip()):
            raise DecisionRefused(
                "The admission checklist is not complete. Complete it, or give a reason "
                "to approve without it"
            )
    else:
        override = None
    change = _record_status(
        provider,
        rules.status_after(decision),
        reason=reason,
        today=today,
        by=by,
        override=override,
    )
    if change.from_status is FrameworkStatus.APPLIED and decision in (
        FrameworkDecision.APPROVE,
        FrameworkDecision.REJECT,
    ):
        application_decided(provider, decision is FrameworkDecision.APPROVE, reason)
    if change.to_status in (FrameworkStatus.SUSPENDED, FrameworkStatus.REMOVED):
        db.session.flush()
        provider_lapsed(provider, change, today)
    return change


def checklist_for(
    provider: Provider, today: date, documents: list[ComplianceDocument] | None = None
) -> list[rules.ChecklistItem]:
    """`documents`: every one of the provider's, if the caller has read them already."""
    documents = provider.documents if documents is None else documents
    return rules.approval_checklist(
        is_registered=provider.is_registered,
        ofsted_judgement=provider.ofsted_judgement,
        ofsted_date=provider.ofsted_date,
        documents=[rules.DocumentFacts(doc.kind, doc.expires_on) for doc in documents],
        today=today,
    )


def add_document(
    provider: Provider,
    *,
    kind: DocumentKind,
    title: str,
    issued_on: date | None,
    expires_on: date | None,
    upload: CheckedFile,
    by: User | None,
) -> ComplianceDocument:
    document = ComplianceDocument(
        provider=provider,
        kind=kind,
        title=title.strip(),
        issued_on=issued_on,
        expires_on=expires_on,
        file_name=upload.file_name,
        content_type=upload.content_type,
        size=upload.size,
        sha256=upload.sha256,
        content=upload.content,
        uploaded_by_id=by.id if by is not None else None,
    )
    db.session.add(document)
    db.session.flush()
    return document
