"""Reviews, extension requests and decisions, ending and cancelling a placement."""

from apregister.placements.views import bp  # noqa: F401
