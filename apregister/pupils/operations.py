"""Adding and changing pupils. Flush, never commit."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from apregister.extensions import db
from apregister.models import Pupil, SenStatus, Sex


@dataclass
class PupilDetails:
    upn: str | None
    first_name: str
    last_name: str
    date_of_birth: date
    sex: Sex
    sen_status: SenStatus
    looked_after: bool
    disadvantaged: bool


def add_pupil(details: PupilDetails, *, owner_id: int) -> Pupil:
    pupil = Pupil(owner_id=owner_id, **vars(details))
    db.session.add(pupil)
    db.session.flush()
    return pupil


def update_pupil(pupil: Pupil, details: PupilDetails) -> Pupil:
    for key, value in vars(details).items():
        setattr(pupil, key, value)
    db.session.flush()
    return pupil
