"""Dashboard figures kept between requests (apregister/dashboard/kept.py)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from apregister.extensions import db
from apregister.models.base import UTCDateTime


class KeptFigures(db.Model):
    """One set of the dashboard's measured figures (every KPI for each window, the breakdowns
    and the trend, before any suppression), for one choice of filters on one day. `key` is a
    digest of `spec`, the choice; `payload` the figures as JSON. Written only by
    dashboard/kept.py (a page that found none fresh enough, or the worker refreshing them);
    derived from audited records, so not audited itself. Holds no child's details."""

    __tablename__ = "kept_figures"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    for_day: Mapped[date] = mapped_column(Date, index=True)
    spec: Mapped[str] = mapped_column(Text)
    payload: Mapped[str] = mapped_column(Text)
    computed_at: Mapped[datetime] = mapped_column(UTCDateTime())
    read_at: Mapped[datetime] = mapped_column(UTCDateTime())
