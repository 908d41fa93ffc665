"""The LA's settings row, read in one place."""

from __future__ import annotations

from sqlalchemy import select

from apregister.extensions import db
from apregister.models import LaSettings
from apregister.placements.rules import ThresholdPolicy, UnregisteredLimits


def current_settings() -> LaSettings:
    """The saved settings, or the defaults (the law in force) until the la_lead saves some."""
    saved = db.session.scalars(select(LaSettings).limit(1)).first()
    if saved is not None:
        return saved
    return LaSettings(
        **{
            column.key: column.default.arg
            for column in LaSettings.__table__.columns
            if column.default is not None and not callable(column.default.arg)
        }
    )


def threshold_policy(settings: LaSettings) -> ThresholdPolicy:
    return ThresholdPolicy(
        full_time_hours=settings.full_time_hours,
        pupils=settings.threshold_pupils,
        vulnerable_pupils=settings.threshold_vulnerable_pupils,
        wording=settings.threshold_wording,
    )


def unregistered_limits(settings: LaSettings) -> UnregisteredLimits:
    return UnregisteredLimits(
        max_weeks=settings.unregistered_max_weeks,
        max_sessions=settings.unregistered_max_sessions,
        max_days=settings.unregistered_max_days,
    )
