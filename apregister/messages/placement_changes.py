"""A placement changed after it was recorded: the other side is told what changed (by name,
never the values, and only what that side may see), and whether the agreement must be
confirmed again."""

from __future__ import annotations

from apregister.mail import service_link
from apregister.messages.common import body, queue_to_all, staff_emails, tag
from apregister.models import LA_ROLES, Placement, Role, User
from apregister.placements import change_rules

KIND = "placement_changed"


def _recipients(placement: Placement, by: User) -> list[tuple[str, list[str]]]:
    """(who, emails) for each side to tell: the provider when the school changes it; the
    school (if any) and the provider when the LA does."""
    sides: list[tuple[str, list[str]]] = []
    if by.role in LA_ROLES and placement.school_id is not None:
        sides.append(
            ("school", staff_emails([placement.school_id], Role.SCHOOL, KIND)[placement.school_id])
        )
    sides.append(
        (
            "provider",
            staff_emails([placement.provider_id], Role.PROVIDER, KIND)[placement.provider_id],
        )
    )
    return sides


def placement_changed(
    placement: Placement, changed: list[str], *, by: User, agreement_reopened: bool
) -> int:
    """To the other side of the placement: what the commissioner changed."""
    link = service_link(f"/placements/{placement.id}")
    who = "The LA" if by.role in LA_ROLES else by.organisation.name
    version = tag(f"{placement.updated_at.isoformat()}:{','.join(changed)}")
    queued = 0
    for side, emails in _recipients(placement, by):
        words = change_rules.described(changed, for_provider=side == "provider")
        if not words:
            continue
        what = ", ".join(words)
        lines = [
            f"{who} has changed placement {placement.id} at {placement.provider.name}.",
            f"What changed: {what}.",
        ]
        if agreement_reopened:
            lines.append(
                "The agreement no longer says what was confirmed: both sides need to confirm "
                "it again."
            )
        queued += queue_to_all(
            emails,
            f"placement-changed:{placement.id}:{version}:{side}",
            f"Placement {placement.id} changed",
            body(lines, [], link),
            kind=KIND,
            link=link,
            fields={
                "placement_number": placement.id,
                "provider_name": placement.provider.name,
                "changes": what,
                "confirm_again": "yes" if agreement_reopened else "no",
            },
        )
    return queued
