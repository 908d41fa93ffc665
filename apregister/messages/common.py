"""Helpers every kind of message shares: recipients, dedupe keys and the plain-text body."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

from sqlalchemy import select

from apregister.extensions import db
from apregister.mail import queue_message
from apregister.models import LA_ROLES, Role, User

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


def queue_to_all(emails: list[str], key: str, subject: str, text: str) -> int:
    """One message to each address; a key already used is not queued again."""
    return sum(
        queue_message(f"{key}:{tag(email.lower())}", email, subject, text) for email in emails
    )


def la_staff_emails() -> list[str]:
    """The LA's lead and officers with an active account."""
    return unique_emails(
        db.session.scalars(
            select(User.email).where(User.role.in_(LA_ROLES), User.active.is_(True))
        )
    )


def school_staff_emails(school_ids: Iterable[int]) -> dict[int, list[str]]:
    """Each school's active staff accounts' emails."""
    found: dict[int, list[str | None]] = {school_id: [] for school_id in school_ids}
    if found:
        for organisation_id, email in db.session.execute(
            select(User.organisation_id, User.email).where(
                User.organisation_id.in_(list(found)),
                User.role == Role.SCHOOL,
                User.active.is_(True),
            )
        ):
            found[organisation_id].append(email)
    return {school_id: unique_emails(emails) for school_id, emails in found.items()}
