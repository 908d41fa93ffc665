"""Placement pages: one blueprint, split by sub-area."""

from flask import Blueprint

bp = Blueprint("placements", __name__, url_prefix="/placements")

from apregister.placements.views import commission, progress, register, setting  # noqa: E402, F401
