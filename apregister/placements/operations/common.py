"""What every placement operation shares: the refusal, and the pupil's row lock."""

from __future__ import annotations

from sqlalchemy import update

from apregister.extensions import db
from apregister.models import (
    Pupil,
)


class PlacementRefused(Exception):
    """The change breaks a rule; `field` names the form field the message belongs to."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


def lock_pupil(pupil: Pupil) -> None:
    """Take the pupil's row lock first, so two placements for one pupil are added one at a time
    (a row lock on PostgreSQL; SQLite's single writer lock is taken by the same write)."""
    db.session.execute(
        update(Pupil)
        .where(Pupil.id == pupil.id)
        .values(placement_lock=Pupil.placement_lock + 1)
        .execution_options(synchronize_session=False)
    )


