"""The provider register's pages: one blueprint, split by sub-area."""

from flask import Blueprint

bp = Blueprint("providers", __name__, url_prefix="/providers")

from apregister.providers.views import documents, manage, profile, register  # noqa: E402, F401
