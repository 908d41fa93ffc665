"""Small helpers the provider views share."""

from __future__ import annotations

from dataclasses import fields

from flask import current_app
from flask_wtf import FlaskForm
from sqlalchemy.exc import IntegrityError

from apregister.extensions import db
from apregister.providers.operations import ProviderDetails
from apregister.providers.queries import clashes

DETAIL_NAMES = frozenset(field.name for field in fields(ProviderDetails))


def details_from(form: FlaskForm) -> ProviderDetails:
    """The validated form's values as ProviderDetails (fields the form lacks stay empty)."""
    values = {name: form[name].data for name in DETAIL_NAMES if name in form}
    return ProviderDetails(**values)


def found_clashes(form: FlaskForm, except_id: int | None = None) -> bool:
    """Put 'already on the register' errors on the form's fields; True if there were any."""
    found = clashes(
        name=form["name"].data if "name" in form else None,
        urn=form["urn"].data if "urn" in form else None,
        ukprn=form["ukprn"].data if "ukprn" in form else None,
        except_id=except_id,
    )
    for field, message in found.items():
        form[field].errors.append(message)
    return bool(found)


def commit_or_clash(form: FlaskForm) -> bool:
    """Commit; if another request took the same name, URN or UKPRN meanwhile, say so."""
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        form["name"].errors.append(
            "Another provider with this name, URN or UKPRN was saved at the same moment"
        )
        return False
    return True


def warn_days() -> int:
    return current_app.config["DOCUMENT_EXPIRY_WARNING_DAYS"]
