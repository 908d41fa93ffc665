"""Annual QA inspections: the LA's work list, planning and recording visits, the published
report, and the life of each action (the provider marks it done, the LA closes or reopens it).

One blueprint, split by sub-area: `listing` (the work list), `visits` (planning a visit and
recording its report), `report` (the published report) and `actions` (an action's steps)."""

from __future__ import annotations

from flask import Blueprint

from apregister.models import FrameworkStatus, Role

bp = Blueprint("inspections", __name__, url_prefix="/inspections")

LA = (Role.LA_LEAD, Role.LA_OFFICER)
ON_FRAMEWORK = (FrameworkStatus.APPROVED, FrameworkStatus.SUSPENDED)

from apregister.inspections.views import (  # noqa: E402, F401
    actions,
    listing,
    report,
    visits,
)
