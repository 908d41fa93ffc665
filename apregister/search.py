"""Finding a pupil (or their placements) by name or UPN on a list page.

Children's data: a name or UPN never goes into a URL, a log line or readable into the session
cookie. The search box is a small POST form; the term is kept sealed in the session (encrypted
and authenticated with a key of this server's and this sign-in's, so the signed-but-readable
cookie does not show it) and the list, a plain GET, applies it with its other filters.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re

from cryptography.fernet import Fernet, InvalidToken
from flask import Blueprint, current_app, redirect, request, session, url_for
from govuk_frontend_wtf.wtforms_widgets import GovSubmitInput, GovTextInput
from sqlalchemy import ColumnElement, and_, or_
from wtforms import StringField, SubmitField
from wtforms.validators import DataRequired, Length, ValidationError

from apregister.access import role_required, visible
from apregister.auth.operations import SESSION_KEY
from apregister.forms import FlaskForm
from apregister.models import Placement, Pupil, Role
from apregister.models.placement import name_search_key
from apregister.sql import not_indexed

MAX_LENGTH = 100
UPN_LENGTH = 13
MAX_WORDS = 5
_SESSION = "searches"
# letters and digits in words, joined by single spaces, hyphens or apostrophes
_PLAIN = re.compile(r"[^\W_]+(?:[ '’-]+[^\W_]+)*[’']?")


def normal(term: str) -> str:
    """The term as it is kept and shown: single spaces, the typographic apostrophe plain."""
    return " ".join(term.replace("’", "'").split())


def plain_words(form, field):
    if field.data and not _PLAIN.fullmatch(field.data):
        raise ValidationError("Search using letters, numbers, spaces, hyphens and apostrophes only")
    if field.data and len(field.data.split()) > MAX_WORDS:
        raise ValidationError(f"Search using {MAX_WORDS} words or fewer")


class SearchForm(FlaskForm):
    term = StringField(
        "Name or UPN",
        widget=GovTextInput(),
        filters=[lambda value: normal(value) if isinstance(value, str) else value],
        validators=[
            DataRequired(message="Enter a name or UPN"),
            Length(max=MAX_LENGTH, message=f"Search must be {MAX_LENGTH} characters or fewer"),
            plain_words,
        ],
    )
    submit = SubmitField("Search", widget=GovSubmitInput())


class ClearSearchForm(FlaskForm):
    submit = SubmitField("Clear search", widget=GovSubmitInput())


# ---- the term, sealed in the session ---------------------------------------------------------


def _key() -> bytes:
    secret = current_app.secret_key
    secret = secret.encode() if isinstance(secret, str) else secret
    sign_in = str(session.get(SESSION_KEY, "")).encode()
    return hmac.new(secret, b"apregister search term\0" + sign_in, hashlib.sha256).digest()


def _fernet() -> Fernet:
    return Fernet(base64.urlsafe_b64encode(_key()))


def seal(term: str) -> str:
    return _fernet().encrypt(term.encode()).decode()


def unseal(sealed: str) -> str | None:
    """The term, or None if it was sealed for another sign-in or has been tampered with."""
    try:
        term = _fernet().decrypt(sealed.encode()).decode()
    except (InvalidToken, ValueError, UnicodeError):
        return None
    return term if _PLAIN.fullmatch(term) and len(term) <= MAX_LENGTH else None


def current_term(list_name: str) -> str | None:
    kept = session.get(_SESSION)
    sealed = kept.get(list_name) if isinstance(kept, dict) else None
    return unseal(sealed) if isinstance(sealed, str) else None


def keep_term(list_name: str, term: str | None) -> None:
    kept = dict(session.get(_SESSION) or {})
    if term:
        kept[list_name] = seal(term)
    else:
        kept.pop(list_name, None)
    session[_SESSION] = kept


# ---- the match, as SQL ------------------------------------------------------------------------


def _after(prefix: str) -> str:
    """The first string, by code point, after every string that starts with `prefix`."""
    return prefix[:-1] + chr(ord(prefix[-1]) + 1)


def _starts(key, prefix: str) -> ColumnElement[bool]:
    # a range, not LIKE: an index on the key serves it on SQLite and PostgreSQL alike
    return and_(key >= prefix, key < _after(prefix))


def _word(word: str, *, indexed: bool) -> ColumnElement[bool]:
    first, last = Pupil.first_name_key, Pupil.last_name_key
    if not indexed:
        first, last = not_indexed(first), not_indexed(last)
    return or_(_starts(first, word), _starts(last, word))


def pupil_match(term: str) -> ColumnElement[bool]:
    """A pupil whose UPN is the term, or each of whose words starts their first or last name
    (case aside): "jo sm" finds Jo Smith and Smith Jones, "smith" every Smith.

    Each word is a range of the kept name keys (Pupil.first_name_key, last_name_key). The
    longest word, likely the rarest, is read from their indexes and the others are tested on
    the pupils it finds: SQLite keeps no statistics to choose by (PostgreSQL, which does,
    gets plain columns and chooses, or intersects the ranges, itself)."""
    words = sorted(set(name_search_key(term).split()), key=lambda word: (-len(word), word))
    names = and_(*(_word(word, indexed=n == 0) for n, word in enumerate(words)))
    if len(words) == 1 and len(term) == UPN_LENGTH:
        return or_(Pupil.upn == term.upper(), names)
    return names


def placement_match(term: str) -> ColumnElement[bool]:
    """Placements of the pupils `pupil_match` finds among those the user may see: a school's
    few hundred are read by owner first, not every pupil's name (the caller's select of
    placements keeps its own scope too)."""
    pupils = visible(Pupil).with_only_columns(Pupil.id).select_from(Pupil)
    return Placement.pupil_id.in_(pupils.where(pupil_match(term)))


# ---- the POST routes a list gets -----------------------------------------------------------------


def add_routes(bp: Blueprint, *, list_name: str, noun: str, roles: tuple[Role, ...], render):
    """`POST <prefix>/search` and `POST <prefix>/search/clear` on `bp`: keep or drop the term,
    then back to the list (GET) with its filters, which carry no personal data. A term that
    is refused shows the list again, `render(search_form)`, with the error on the field."""

    def back():
        args = {k: v for k, v in request.args.to_dict(flat=False).items() if k != "page"}
        return redirect(url_for(f"{bp.name}.list_{noun}", **args))

    def search():
        form = SearchForm()
        if form.validate_on_submit():
            keep_term(list_name, form.term.data)
            return back()
        return render(form)

    def clear():
        if ClearSearchForm().validate_on_submit():
            keep_term(list_name, None)
        return back()

    search.__name__ = f"search_{noun}"
    clear.__name__ = f"clear_{noun}_search"
    bp.add_url_rule("/search", view_func=role_required(*roles)(search), methods=["POST"])
    bp.add_url_rule("/search/clear", view_func=role_required(*roles)(clear), methods=["POST"])
