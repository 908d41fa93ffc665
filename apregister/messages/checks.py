"""Messages about the agreement between commissioner and provider, which both sides confirm
before a placement starts: each side hears when the other has done its part."""

from __future__ import annotations

from apregister.mail import service_link
from apregister.messages.common import body, la_staff_emails, queue_to_all, staff_emails, tag
from apregister.models import Placement, PlacementCheck, Role
from apregister.templating import govuk_date


def _fields(placement: Placement) -> dict[str, object]:
    return {
        "placement_number": placement.id,
        "provider_name": placement.provider.name,
        "start_date": govuk_date(placement.start_date),
    }


def agreement_to_confirm(placement: Placement, check: PlacementCheck) -> int:
    """To the provider's users: the commissioner has confirmed the agreement; now it's theirs."""
    link = service_link(f"/placements/{placement.id}/agreement")
    text = body(
        [
            f"The commissioner has confirmed the agreement for placement {placement.id}, which "
            f"starts on {govuk_date(placement.start_date)}.",
            "Please read it and confirm it: the placement is not ready to start until you do.",
        ],
        [],
        link,
    )
    emails = staff_emails([placement.provider_id], Role.PROVIDER, "agreement_to_confirm")
    version = f"{check.commissioner_confirmed_on}:{tag(check.details or '')}"
    return queue_to_all(
        emails[placement.provider_id],
        f"agreement-to-confirm:{check.id}:{version}",
        f"An agreement to confirm: placement {placement.id}",
        text,
        kind="agreement_to_confirm",
        link=link,
        fields=_fields(placement),
    )


def agreement_confirmed(placement: Placement, check: PlacementCheck) -> int:
    """To the commissioner's staff (the school's, or the LA's): the provider has confirmed."""
    link = service_link(f"/placements/{placement.id}")
    text = body(
        [
            f"{placement.provider.name} has confirmed the agreement for placement {placement.id}.",
            "See the placement's checks before it starts.",
        ],
        [],
        link,
    )
    if placement.school_id is not None and placement.commissioner_id == placement.school_id:
        emails = staff_emails([placement.school_id], Role.SCHOOL, "agreement_confirmed")
        recipients = emails[placement.school_id]
    else:
        recipients = la_staff_emails("agreement_confirmed")
    return queue_to_all(
        recipients,
        f"agreement-confirmed:{check.id}:{check.provider_confirmed_on}",
        f"Agreement confirmed by the provider: placement {placement.id}",
        text,
        kind="agreement_confirmed",
        link=link,
        fields=_fields(placement),
    )
