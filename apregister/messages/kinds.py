"""Every kind of message, whom it is for, and whether it is about a child's safety (those
cannot be switched off: DESIGN.md, "Messages")."""

from __future__ import annotations

from dataclasses import dataclass

from apregister.models import Role

LA = frozenset({Role.LA_LEAD, Role.LA_OFFICER})
SCHOOL = frozenset({Role.SCHOOL})
PROVIDER = frozenset({Role.PROVIDER})


@dataclass(frozen=True)
class Kind:
    key: str
    label: str
    roles: frozenset[Role]
    safeguarding: bool = False


KINDS = {
    kind.key: kind
    for kind in (
        Kind("unexplained_absence", "An absence to follow up the same day", SCHOOL, True),
        Kind("repeated_absence", "A pattern of absence that needs an early review", SCHOOL, True),
        Kind("off_framework", "A placement recorded off the framework", LA, True),
        Kind(
            "provider_lapsed", "A provider your pupils attend is suspended or removed", SCHOOL, True
        ),
        Kind("application_received", "A framework application received", LA),
        Kind("extension_requested", "An extension requested", LA),
        Kind("extension_decided", "An extension decided", SCHOOL),
        Kind("self_assessment_submitted", "A self-assessment submitted", LA),
        Kind("self_assessment_reviewed", "Your self-assessment returned or accepted", PROVIDER),
        Kind("inspection_published", "An inspection report published", PROVIDER),
    )
}


def switchable(role: Role) -> list[Kind]:
    """The kinds a user in `role` receives and may switch off."""
    return [kind for kind in KINDS.values() if role in kind.roles and not kind.safeguarding]
