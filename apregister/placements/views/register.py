"""The placement list, adding a placement, the placement page and the CSV export."""

from apregister.placements.views import bp  # noqa: F401
