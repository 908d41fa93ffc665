"""Helpers every kind of message shares: recipients, dedupe keys and the plain-text body."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

from sqlalchemy import select

from apregister.extensions import db
from apregister.mail import queue_message
from apregister.models import LA_ROLES, MessagePreference, Role, User

SIGN_OFF = "This is an automatic message from the alternative provision register."


def tag(text: str) -> str:
    """A short stable digest, so keys stay short and hold no email address."""
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def unique_emails(emails: Iterable[str | None]) -> list[str]:
    seen: dict[str, str] = {}
    for email in emails:
        if email and email.strip():
            seen.setdefault(email.strip().lower(), email.strip())
    return sorted(seen.values(), key=str.lower)


def body(lines: list[str], items: list[str], link: str | None = None, sign_off=SIGN_OFF) -> str:
    parts = ["\n".join(lines)]
    if items:
        parts.append("\n".join(items))
    if link:
        parts.append(link)
    parts.append(sign_off)
    return "\n\n".join(parts)


def queue_to_all(
    emails: list[str],
    key: str,
    subject: str,
    text: str,
    *,
    kind: str,
    link: str | None = None,
    fields: dict[str, object] | None = None,
) -> int:
    """One message to each address; a key already used is not queued again.

    `kind` (a key of messages.kinds.KINDS) picks the Notify template; the template's fields
    are `link` (empty when there is none) and `fields`, as text (README, "Sending email")."""
    personalisation = {"link": link or ""} | {
        name: "" if value is None else str(value) for name, value in (fields or {}).items()
    }
    return sum(
        queue_message(
            f"{key}:{tag(email.lower())}",
            email,
            subject,
            text,
            kind=kind,
            personalisation=personalisation,
        )
        for email in emails
    )


def wanting(kind: str | None):
    """Users who have not switched `kind` off (safeguarding kinds cannot be)."""
    from apregister.messages.kinds import KINDS

    if kind is None or kind not in KINDS or KINDS[kind].safeguarding:
        return User.active.is_(True)
    return User.active.is_(True) & ~User.id.in_(
        select(MessagePreference.user_id).where(MessagePreference.kind == kind)
    )


def la_staff_emails(kind: str | None = None) -> list[str]:
    """The LA's lead and officers with an active account who want `kind`."""
    return unique_emails(
        db.session.scalars(select(User.email).where(User.role.in_(LA_ROLES), wanting(kind)))
    )


def staff_emails(
    organisation_ids: Iterable[int], role: Role, kind: str | None = None
) -> dict[int, list[str]]:
    """Each organisation's active users in `role` who want `kind`, by organisation."""
    found: dict[int, list[str | None]] = {org_id: [] for org_id in organisation_ids}
    if found:
        for organisation_id, email in db.session.execute(
            select(User.organisation_id, User.email).where(
                User.organisation_id.in_(list(found)), User.role == role, wanting(kind)
            )
        ):
            found[organisation_id].append(email)
    return {org_id: unique_emails(emails) for org_id, emails in found.items()}


def school_staff_emails(school_ids: Iterable[int], kind: str | None = None) -> dict[int, list[str]]:
    """Each school's active staff accounts' emails."""
    return staff_emails(school_ids, Role.SCHOOL, kind)
