"""Messages about placements off the framework, and at providers that stop being approved."""

from __future__ import annotations

from collections import Counter
from datetime import date

from sqlalchemy import select

from apregister.extensions import db
from apregister.mail import service_link
from apregister.messages.common import body, la_staff_emails, queue_to_all, school_staff_emails
from apregister.models import FrameworkStatusChange, Placement, Provider
from apregister.placements.queries import current_clause
from apregister.templating import govuk_date


def off_framework_recorded(placement: Placement, commissioner: str) -> int:
    """To the LA's staff: a placement was recorded at a provider that is not approved."""
    provider = placement.provider
    status = (placement.off_framework_status or provider.framework_status).label.lower()
    text = body(
        [
            f"{commissioner} has recorded placement {placement.id} at {provider.name}, "
            f"which is {status} on the framework.",
            f"It starts on {govuk_date(placement.start_date)}. Please review it.",
        ],
        [],
        link := service_link(f"/placements/{placement.id}"),
    )
    return queue_to_all(
        la_staff_emails(),
        f"off-framework:{placement.id}",
        f"Placement {placement.id} recorded off the framework, to review",
        text,
        kind="off_framework",
        link=link,
        fields={
            "placement_number": placement.id,
            "provider_name": provider.name,
            "framework_status": status,
            "start_date": govuk_date(placement.start_date),
        },
    )


def provider_lapsed(provider: Provider, change: FrameworkStatusChange, today: date) -> int:
    """To each school with a placement planned or running there: the provider has been
    suspended or removed, why, and how many of the school's placements it affects."""
    schools = Counter(
        db.session.scalars(
            select(Placement.school_id).where(
                Placement.provider_id == provider.id,
                Placement.school_id.is_not(None),
                current_clause(today),
            )
        )
    )
    if not schools:
        return 0
    status = provider.framework_status.label.lower()
    link = service_link("/placements?provider_lapsed=y")
    queued = 0
    for school_id, emails in school_staff_emails(schools).items():
        count = schools[school_id]
        text = body(
            [
                f"{provider.name} was {status} on {govuk_date(change.changed_on)}.",
                f"The LA's reason: {change.reason}",
                f"{count} of your placement{'' if count == 1 else 's'} there "
                f"{'is' if count == 1 else 'are'} planned or running. Please check "
                f"{'it' if count == 1 else 'each one'} with the LA.",
            ],
            [],
            link,
        )
        queued += queue_to_all(
            emails,
            f"provider-lapsed:{change.id}:{school_id}",
            f"{provider.name} {status}",
            text,
            kind="provider_lapsed",
            link=link,
            fields={"provider_name": provider.name, "framework_status": status, "count": count},
        )
    return queued
