"""Every kind of message, whom it is for, and whether it is about a child's safety (those
cannot be switched off: DESIGN.md, "Messages")."""

from __future__ import annotations

from dataclasses import dataclass

from apregister.models import Role

LA = frozenset({Role.LA_LEAD, Role.LA_OFFICER})
SCHOOL = frozenset({Role.SCHOOL})
PROVIDER = frozenset({Role.PROVIDER})
NOBODY_SIGNED_IN = frozenset()  # to people without an account yet: nothing to switch off


@dataclass(frozen=True)
class Kind:
    key: str
    label: str
    roles: frozenset[Role]
    safeguarding: bool = False
    # the Notify template's own fields, besides subject, body and link (README)
    fields: tuple[str, ...] = ()


KINDS = {
    kind.key: kind
    for kind in (
        Kind(
            "unexplained_absence",
            "An absence to follow up the same day",
            SCHOOL,
            True,
            fields=("placement_number", "provider_name", "date", "session", "count"),
        ),
        Kind(
            "repeated_absence",
            "A pattern of absence that needs an early review",
            SCHOOL,
            True,
            fields=("placement_number", "provider_name", "count", "days"),
        ),
        Kind(
            "off_framework",
            "A placement recorded off the framework",
            LA,
            True,
            fields=("placement_number", "provider_name", "framework_status", "start_date"),
        ),
        Kind(
            "provider_lapsed",
            "A provider your pupils attend is suspended or removed",
            SCHOOL,
            True,
            fields=("provider_name", "framework_status", "count"),
        ),
        Kind(
            "invitation",
            "An invitation to use the register",
            NOBODY_SIGNED_IN,
            fields=("name", "provider_name"),
        ),
        Kind(
            "application_decided",
            "Your framework application decided",
            NOBODY_SIGNED_IN,
            fields=("provider_name", "decision", "reference"),
        ),
        Kind(
            "agreement_to_confirm",
            "A placement agreement waiting for you to confirm",
            PROVIDER,
            fields=("placement_number", "provider_name", "start_date"),
        ),
        Kind(
            "agreement_confirmed",
            "A placement agreement confirmed by the provider",
            SCHOOL | LA,
            fields=("placement_number", "provider_name", "start_date"),
        ),
        Kind(
            "placement_changed",
            "A placement changed by its commissioner",
            SCHOOL | PROVIDER,
            fields=("placement_number", "provider_name", "changes", "confirm_again"),
        ),
        Kind(
            "application_received",
            "A framework application received",
            LA,
            fields=("provider_name", "reference"),
        ),
        Kind(
            "extension_requested",
            "An extension requested",
            LA,
            fields=("placement_number", "provider_name", "new_end"),
        ),
        Kind(
            "extension_decided",
            "An extension decided",
            SCHOOL,
            fields=("placement_number", "provider_name", "new_end", "decision"),
        ),
        Kind(
            "self_assessment_submitted",
            "A self-assessment submitted",
            LA,
            fields=("provider_name", "academic_year"),
        ),
        Kind(
            "self_assessment_reviewed",
            "Your self-assessment returned or accepted",
            PROVIDER,
            fields=("academic_year", "decision"),
        ),
        Kind(
            "inspection_published",
            "An inspection report published",
            PROVIDER,
            fields=("visit_date",),
        ),
        Kind("review_due", "Placement reviews due or overdue", SCHOOL, fields=("count",)),
        Kind("inspection_due", "Inspections due or overdue", LA, fields=("count", "overdue")),
        Kind(
            "self_assessment_due",
            "Your self-assessment due or overdue",
            PROVIDER,
            fields=("provider_name", "due_date", "overdue"),
        ),
        Kind(
            "action_due",
            "Inspection actions due soon or overdue",
            PROVIDER | LA,
            fields=("provider_name", "count", "overdue"),
        ),
        Kind(
            "document_expiring",
            "A compliance document expiring or expired",
            PROVIDER,
            fields=("document", "expires_on", "state"),
        ),
    )
}


def switchable(role: Role) -> list[Kind]:
    """The kinds a user in `role` receives and may switch off."""
    return [kind for kind in KINDS.values() if role in kind.roles and not kind.safeguarding]


def check_fields(kind: str, personalisation: dict[str, str]) -> None:
    """A template for `kind` gets the same fields every time (Notify refuses a message that
    lacks one of its template's fields); a mismatch is the code's mistake."""
    expected = {"link", *KINDS[kind].fields}
    if set(personalisation) != expected:
        raise ValueError(
            f"{kind} takes the fields {sorted(expected)}, not {sorted(personalisation)}"
        )
