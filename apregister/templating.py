"""Template globals and filters: the council's name, navigation, dates in GOV.UK style."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from flask import Flask, current_app
from flask_login import current_user

from apregister.navigation import navigation_for

UK = ZoneInfo("Europe/London")


def govuk_date(value: date | datetime | None) -> str:
    """'3 March 2025'."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = value.astimezone(UK)
    return f"{value.day} {value:%B %Y}"


def govuk_datetime(value: datetime | None) -> str:
    """'3 March 2025 at 2:05pm', in UK time."""
    if value is None:
        return ""
    local = value.astimezone(UK)
    hour = local.hour % 12 or 12
    return f"{govuk_date(local)} at {hour}:{local:%M}{'am' if local.hour < 12 else 'pm'}"


def init_app(app: Flask) -> None:
    app.jinja_env.filters["govuk_date"] = govuk_date
    app.jinja_env.filters["govuk_datetime"] = govuk_datetime

    @app.context_processor
    def service_context():
        role = current_user.role if current_user.is_authenticated else None
        return {
            "la_name": current_app.config["LA_NAME"],
            "service_name": current_app.config["SERVICE_NAME"],
            "navigation": navigation_for(role),
        }
