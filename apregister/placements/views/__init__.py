"""Placement pages: one blueprint, split by sub-area."""

from flask import Blueprint

bp = Blueprint("placements", __name__, url_prefix="/placements")

from apregister.placements.views import (  # noqa: E402, F401
    change,
    commission,
    progress,
    register,
    setting,
)
