"""Applying to join the framework: the applicant's reference number and the documents sent
with the application."""

from __future__ import annotations

import secrets
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from apregister.extensions import db
from apregister.models import DocumentKind, Provider
from apregister.uploads import CheckedFile

# Easy to read aloud and to copy: no 0/O, no 1/I. 32 symbols, 8 of them: 2**40 references,
# drawn at random so one applicant's reference says nothing about another's.
ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
PREFIX = "AP-"
LENGTH = 8

# What an applicant may send with the application: the documents approval needs (rules.py's
# admission checklist). Each is optional: the LA asks for what is missing.
APPLICATION_DOCUMENTS: tuple[DocumentKind, ...] = (
    DocumentKind.INSURANCE,
    DocumentKind.SAFEGUARDING_POLICY,
    DocumentKind.DBS_CONFIRMATION,
    DocumentKind.RISK_ASSESSMENT,
    DocumentKind.DATA_PROTECTION,
    DocumentKind.COMPLAINTS_POLICY,
)


def new_reference(choose: Callable[[Sequence[str]], str] = secrets.choice) -> str:
    """A fresh reference, like AP-7KQ4M2XD."""
    return PREFIX + "".join(choose(ALPHABET) for _ in range(LENGTH))


def is_reference(text: str) -> bool:
    """True if the text has the form of a reference (whether or not one was given)."""
    return (
        len(text) == len(PREFIX) + LENGTH
        and text.startswith(PREFIX)
        and all(char in ALPHABET for char in text[len(PREFIX) :])
    )


def unused_reference() -> str:
    """A reference no provider holds yet (the unique constraint stays the last word)."""
    while True:
        reference = new_reference()
        taken = db.session.scalar(
            select(Provider.id).where(Provider.application_reference == reference)
        )
        if taken is None:
            return reference


@dataclass(frozen=True)
class ApplicationDocument:
    """A checked file sent with an application."""

    kind: DocumentKind
    upload: CheckedFile
    expires_on: date | None = None
