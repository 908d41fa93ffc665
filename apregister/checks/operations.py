"""The only code that changes pre-start checks: flush, never commit."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from apregister.extensions import db
from apregister.messages import checks as messages
from apregister.models import CheckItem, Placement, PlacementCheck, User

CONTACT_FIELDS = (
    "dsl_name",
    "dsl_phone",
    "dsl_email",
    "lead_name",
    "lead_phone",
    "lead_email",
    "provider_contact_name",
    "provider_contact_phone",
    "provider_contact_email",
)


class CheckRefused(Exception):
    """The change cannot be made as asked; the message says why, in plain words."""


def _row(placement: Placement, item: CheckItem) -> PlacementCheck | None:
    return db.session.scalars(
        select(PlacementCheck).where(
            PlacementCheck.placement_id == placement.id, PlacementCheck.item == item
        )
    ).first()


def record_check(
    placement: Placement,
    item: CheckItem,
    *,
    details: str,
    by: User,
    today: date,
    given_by: str | None = None,
    given_on: date | None = None,
    given_how: str | None = None,
) -> PlacementCheck:
    """Record (or record again) a completed item other than the agreement."""
    if item is CheckItem.AGREEMENT:
        raise CheckRefused("Both sides confirm the agreement on its own page")
    by_id = by.id  # read first: loading it later would flush a half-made row
    check = _row(placement, item)
    if check is None:
        check = PlacementCheck(placement_id=placement.id, item=item)
        db.session.add(check)
    check.details = details
    check.given_by = given_by
    check.given_on = given_on
    check.given_how = given_how
    check.recorded_by_id = by_id
    check.recorded_on = today
    check.complete = True
    db.session.flush()
    return check


def confirm_agreement(
    placement: Placement,
    *,
    as_provider: bool,
    by: User,
    today: date,
    details: str | None = None,
) -> PlacementCheck:
    """One side confirms the agreement; it is complete once both have. The commissioner
    confirms first, with who does what; a change to that needs the provider again."""
    by_id = by.id  # read first: loading it later would flush a half-made row
    check = _row(placement, CheckItem.AGREEMENT)
    if as_provider:
        if check is None or check.commissioner_confirmed_on is None:
            raise CheckRefused("The commissioner must confirm the agreement first")
        check.provider_confirmed_by_id = by_id
        check.provider_confirmed_on = today
    else:
        if not details:
            raise CheckRefused("Enter who does what")
        missing = missing_contacts(placement)
        if missing:
            raise CheckRefused(f"Add a name and a telephone or email for {missing[0]} first")
        if check is None:
            check = PlacementCheck(placement_id=placement.id, item=CheckItem.AGREEMENT)
            db.session.add(check)
        if check.details != details:
            check.provider_confirmed_by_id = None
            check.provider_confirmed_on = None
        check.details = details
        check.commissioner_confirmed_by_id = by_id
        check.commissioner_confirmed_on = today
        check.recorded_by_id = by_id
        check.recorded_on = today
    check.complete = (
        check.commissioner_confirmed_on is not None and check.provider_confirmed_on is not None
    )
    db.session.flush()
    if as_provider:
        messages.agreement_confirmed(placement, check)
    elif check.provider_confirmed_on is None:
        messages.agreement_to_confirm(placement, check)
    return check


CONTACTS = (
    ("dsl", "the home school's designated safeguarding lead"),
    ("lead", "the home school's placement lead"),
    ("provider_contact", "the provider's contact"),
)


def missing_contacts(placement: Placement) -> list[str]:
    """The named contacts the agreement still lacks (a name, and a telephone or email)."""
    return [
        who
        for prefix, who in CONTACTS
        if not getattr(placement, f"{prefix}_name")
        or not (getattr(placement, f"{prefix}_phone") or getattr(placement, f"{prefix}_email"))
    ]


def update_contacts(placement: Placement, data: dict, *, by: User) -> bool:
    """Change the agreement's named contacts; if any changed, both sides confirm again."""
    changed = False
    for name in CONTACT_FIELDS:
        value = data.get(name) or None
        if getattr(placement, name) != value:
            setattr(placement, name, value)
            changed = True
    if changed:
        check = _row(placement, CheckItem.AGREEMENT)
        if check is not None:
            check.commissioner_confirmed_by_id = None
            check.commissioner_confirmed_on = None
            check.provider_confirmed_by_id = None
            check.provider_confirmed_on = None
            check.complete = False
    db.session.flush()
    return changed
