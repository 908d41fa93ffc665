"""Template globals and filters: the council's name, navigation, dates in GOV.UK style."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from flask import Flask, current_app, g
from flask_login import current_user
from govuk_frontend_wtf.main import wtforms_errors

from apregister.navigation import group_label, navigation_for, sub_navigation_for

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


def govuk_timestamp(value: datetime | None) -> str:
    """'3 March 2026, 2:15pm' in UK time; 'midday' and 'midnight' rather than 12pm and 12am."""
    if value is None:
        return ""
    local = value.astimezone(UK)
    if local.minute == 0 and local.hour in (0, 12):
        clock = "midnight" if local.hour == 0 else "midday"
    else:
        clock = f"{local.hour % 12 or 12}:{local:%M}{'am' if local.hour < 12 else 'pm'}"
    return f"{govuk_date(local)}, {clock}"


def error_summary(form) -> dict:
    """govuk-frontend-wtf's error list, with date fields linked to their day box."""
    params = wtforms_errors(form)
    dates = {f"#{field.id}" for field in form if field.type == "DateInputField"}
    for error in params["errorList"]:
        if error["href"] in dates:
            error["href"] += "-day"
    return params


def format_weeks(value) -> str:
    """12.0 -> '12', 12.5 -> '12.5'."""
    text = f"{value}"
    return text[:-2] if text.endswith(".0") else text


def format_phone(value: str | None) -> str:
    """'01632960123' -> '01632 960123', '02079460958' -> '020 7946 0958', for reading."""
    if not value or not value.isdigit():
        return value or ""
    if value.startswith("02") and len(value) == 11:
        return f"{value[:3]} {value[3:7]} {value[7:]}"
    if len(value) == 11:
        return f"{value[:5]} {value[5:]}"
    return value


def init_app(app: Flask) -> None:
    app.jinja_env.globals["error_summary"] = error_summary
    app.jinja_env.filters["phone"] = format_phone
    app.jinja_env.filters["weeks"] = format_weeks
    app.jinja_env.globals["timedelta_weeks"] = lambda weeks: timedelta(weeks=weeks)
    app.jinja_env.filters["govuk_date"] = govuk_date
    app.jinja_env.filters["govuk_datetime"] = govuk_datetime
    app.jinja_env.filters["govuk_timestamp"] = govuk_timestamp

    @app.context_processor
    def service_context():
        role = current_user.role if current_user.is_authenticated else None
        # Each form field a GOV.UK widget renders is a template of its own and comes here
        # again (a filter form: ten times a page), so the navigation is worked out once a
        # request for the role.
        kept = g.setdefault("service_context", {})
        if role not in kept:
            kept[role] = {
                "la_name": current_app.config["LA_NAME"],
                "service_name": current_app.config["SERVICE_NAME"],
                "navigation": navigation_for(role),
                "sub_navigation": sub_navigation_for(role),
                "navigation_group": group_label(role),
            }
        return kept[role]
