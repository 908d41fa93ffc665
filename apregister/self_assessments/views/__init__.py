"""Annual self-assessments: the provider fills one in and submits it, the LA accepts it or returns
it with comments, and every version is kept.

One blueprint, split by sub-area: `listing` (the list, and starting one), `filling` (the
provider's answers and check) and `review` (one self-assessment's page, and the LA's review)."""

from __future__ import annotations

from flask import Blueprint

from apregister.models import Role

bp = Blueprint("self_assessments", __name__, url_prefix="/self-assessments")

LA = (Role.LA_LEAD, Role.LA_OFFICER)
READERS = (*LA, Role.PROVIDER)

from apregister.self_assessments.views import filling, listing, review  # noqa: E402, F401
