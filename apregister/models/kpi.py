"""What the la_lead sets for each KPI (a target and a comparator with its source), and the
running totals the dashboard reads."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import Date, Integer, Numeric, String
from sqlalchemy.orm import Mapped, mapped_column

from apregister.extensions import db
from apregister.models.base import TimestampMixin


class KpiSetting(TimestampMixin, db.Model):
    __tablename__ = "kpi_settings"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(40), unique=True)
    target: Mapped[Decimal | None] = mapped_column(Numeric(10, 1))
    comparator: Mapped[Decimal | None] = mapped_column(Numeric(10, 1))
    comparator_source: Mapped[str | None] = mapped_column(String(200))


NO_SCHOOL_PHASE = ""  # the school_phase of a pupil with no school place (the LA's own)


class AttendanceDayTotal(TimestampMixin, db.Model):
    """The sessions recorded on one day for pupils of schools of one phase: present, and
    counted (expected: every code but "not required"). The dashboard adds up a few hundred of
    these rows instead of millions of attendance rows. Kept in step with every change to
    attendance by apregister/attendance/totals.py; never written by a view."""

    __tablename__ = "attendance_day_totals"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    school_phase: Mapped[str] = mapped_column(String(20), primary_key=True)
    present: Mapped[int] = mapped_column(Integer, default=0)
    counted: Mapped[int] = mapped_column(Integer, default=0)
