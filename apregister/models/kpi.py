"""What the la_lead sets for each KPI: a target and a comparator with its source."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import Numeric, String
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
