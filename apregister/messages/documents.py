"""Reminders to providers about compliance documents about to expire, or expired (DESIGN.md:
"Expiring documents are flagged before and after expiry")."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta

from sqlalchemy import func, select

from apregister.extensions import db
from apregister.mail import service_link
from apregister.messages.common import body, queue_to_all
from apregister.models import ComplianceDocument, DocumentKind, Provider
from apregister.templating import govuk_date


def document_reminders(
    providers: dict[int, Provider], recipients: dict[int, list[str]], today: date, warn_days: int
) -> int:
    """One message a provider for each newest document of a kind that expires within
    `warn_days` (once before, and once again after it has expired)."""
    latest = func.max(ComplianceDocument.expires_on)
    rows = db.session.execute(
        select(ComplianceDocument.provider_id, ComplianceDocument.kind, latest)
        .where(
            ComplianceDocument.provider_id.in_(list(providers)),
            ComplianceDocument.expires_on.is_not(None),
        )
        .group_by(ComplianceDocument.provider_id, ComplianceDocument.kind)
        .having(latest <= today + timedelta(days=warn_days))
    ).all()
    found: dict[int, list[tuple[DocumentKind, date]]] = defaultdict(list)
    for provider_id, kind, expires in rows:
        found[provider_id].append((DocumentKind(kind), expires))
    queued = 0
    for provider_id, documents in found.items():
        for kind, expires in documents:
            expired = expires < today
            text = body(
                [
                    f"{providers[provider_id].name}'s {kind.label.lower()} "
                    f"{'expired' if expired else 'expires'} on {govuk_date(expires)}.",
                    "Please upload the new one.",
                ],
                [],
                link := service_link(f"/providers/{provider_id}"),
            )
            state = "expired" if expired else "expiring"
            queued += queue_to_all(
                recipients.get(provider_id, []),
                f"document-{state}:{provider_id}:{kind.value}:{expires.isoformat()}",
                f"Document {state}: {kind.label}",
                text,
                kind="document_expiring",
                link=link,
                fields={"document": kind.label, "expires_on": govuk_date(expires), "state": state},
            )
    return queued
