"""Filtering a list by a school or a provider without listing a thousand of them.

Without JavaScript the filter is a text box: the organisation whose name is typed (or the only
one whose name contains it) is used; several or none is an error on the field, with links to
the organisations meant. With JavaScript the same box is an accessible autocomplete whose
suggestions come from `suggest_organisations`, ten names at most, scoped like every other
query. The chosen organisation's id travels in a hidden field beside the name, so two schools
with the same name stay apart. Organisation names are not personal data: they may be in a URL.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from flask import Blueprint, abort, jsonify, request, url_for
from sqlalchemy import case, func

from apregister.access import role_required, visible
from apregister.extensions import db
from apregister.forms import int_or_zero
from apregister.models import LA_ROLES, Provider, Role, School

bp = Blueprint("organisations", __name__, url_prefix="/organisations")

KINDS = {"school": School, "provider": Provider}
SUGGESTIONS = 10
MIN_TYPED = 2
MAX_TYPED = 200


@dataclass
class Choice:
    """What a filter box resolved to: an organisation, or an error and the likely ones."""

    id: int | None = None
    name: str = ""
    error: str | None = None
    matches: list[tuple[int, str, str]] = field(default_factory=list)  # id, name, link


def _named(model, typed: str):
    """`model`'s visible records whose name contains `typed` (case aside), exact ones first."""
    lowered = typed.lower()
    name = func.lower(model.name)
    return (
        visible(model)
        .with_only_columns(model.id, model.name)
        .select_from(model)
        .where(name.contains(lowered, autoescape=True))
        .order_by(
            case((name == lowered, 0), (name.startswith(lowered, autoescape=True), 1), else_=2),
            model.name,
            model.id,
        )
    )


def resolve(kind: str, typed_key: str, id_key: str, *, endpoint: str) -> Choice:
    """The organisation a list's `typed_key` and `id_key` arguments pick; where several match,
    links to the list (`endpoint`) filtered by each.

    A link from elsewhere carries only the id; the filter form carries the name typed and the
    id last chosen, which counts only while the name still matches it."""
    model = KINDS[kind]
    args = request.args
    typed = " ".join(args.get(typed_key, "").split())[:MAX_TYPED]
    wanted = int_or_zero(args.get(id_key))
    if wanted and (typed_key not in args or typed):
        row = db.session.execute(
            visible(model)
            .with_only_columns(model.id, model.name)
            .select_from(model)
            .where(model.id == wanted)
        ).first()
        if row is not None and (typed_key not in args or row.name.lower() == typed.lower()):
            return Choice(row.id, row.name)
    if not typed:
        return Choice()
    rows = db.session.execute(_named(model, typed).limit(SUGGESTIONS + 1)).all()
    exact = [row for row in rows if row.name.lower() == typed.lower()]
    if len(exact) == 1 or len(rows) == 1:
        row = exact[0] if exact else rows[0]
        return Choice(row.id, row.name)
    if not rows:
        return Choice(name=typed, error=f"No {kind} matches ‘{typed}’: check the name")
    kept = {k: v for k, v in args.to_dict(flat=False).items() if k not in ("page", typed_key)}
    matches = [
        (row.id, row.name, url_for(endpoint, **kept, **{id_key: row.id}))
        for row in rows[:SUGGESTIONS]
    ]
    return Choice(
        name=typed,
        error=f"More than one {kind} matches ‘{typed}’: type more of its name, or choose one",
        matches=matches,
    )


@bp.route("/suggest")
@role_required(*LA_ROLES, Role.SCHOOL)
def suggest_organisations():
    """The autocomplete's suggestions: [{id, name}], ten at most, of what the user may see."""
    model = KINDS.get(request.args.get("kind", ""))
    if model is None:
        abort(404)
    typed = " ".join(request.args.get("q", "").split())[:MAX_TYPED]
    if len(typed) < MIN_TYPED:
        return jsonify([])
    rows = db.session.execute(_named(model, typed).limit(SUGGESTIONS)).all()
    return jsonify([{"id": row.id, "name": row.name} for row in rows])
