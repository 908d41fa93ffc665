"""The LA's settings: legal thresholds and working rules that change by policy, not by code."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import Boolean, Date, Integer, Numeric, String, false
from sqlalchemy.orm import Mapped, mapped_column

from apregister.extensions import db
from apregister.models.base import StrEnumType, TimestampMixin
from apregister.models.enums import OffFrameworkKind, OffFrameworkPolicy, ThresholdWording

ALL_CHECKS = "staff_checks,risk_assessment,agreement,parent_agreement,pupil_views,transport_lunch"


class LaSettings(TimestampMixin, db.Model):
    """One row. Defaults follow the law in force and DfE guidance (DESIGN.md, 'Rules')."""

    __tablename__ = "la_settings"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Full time has no statutory hours; 18 a week is the working guide DfE and LAs use.
    full_time_hours: Mapped[Decimal] = mapped_column(Numeric(4, 1), default=Decimal("18"))
    # Education and Skills Act 2008 s92: 5 or more full-time pupils of compulsory school age,
    threshold_pupils: Mapped[int] = mapped_column(Integer, default=5)
    # or 1 or more who has an EHC plan or is looked after.
    threshold_vulnerable_pupils: Mapped[int] = mapped_column(Integer, default=1)
    threshold_wording: Mapped[ThresholdWording] = mapped_column(
        StrEnumType(ThresholdWording, 30), default=ThresholdWording.EHC_OR_LOOKED_AFTER
    )
    placement_weeks: Mapped[int] = mapped_column(Integer, default=12)
    # DfE (Aug 2025): unregistered AP either at most 12 weeks, or part time at most 4 sessions
    # (2 days) a week.
    unregistered_max_weeks: Mapped[int] = mapped_column(Integer, default=12)
    unregistered_max_sessions: Mapped[int] = mapped_column(Integer, default=4)
    unregistered_max_days: Mapped[int] = mapped_column(Integer, default=2)
    # Reviews at least every half term; about six school weeks.
    review_interval_days: Mapped[int] = mapped_column(Integer, default=42)
    # Placements at providers that are not approved: recorded and put in front of the LA (the
    # default: DfE says schools will have to tell the LA), or refused, for each kind.
    not_on_framework_policy: Mapped[OffFrameworkPolicy] = mapped_column(
        StrEnumType(OffFrameworkPolicy, 10), default=OffFrameworkPolicy.ALLOW
    )
    suspended_policy: Mapped[OffFrameworkPolicy] = mapped_column(
        StrEnumType(OffFrameworkPolicy, 10), default=OffFrameworkPolicy.ALLOW
    )
    removed_policy: Mapped[OffFrameworkPolicy] = mapped_column(
        StrEnumType(OffFrameworkPolicy, 10), default=OffFrameworkPolicy.ALLOW
    )
    # Annual QA: a newly approved provider's first inspection and self-assessment are due
    # this many months after approval; then 12 months after the last visit / accepted one.
    first_inspection_months: Mapped[int] = mapped_column(Integer, default=3)
    first_self_assessment_months: Mapped[int] = mapped_column(Integer, default=3)
    reminder_days: Mapped[int] = mapped_column(Integer, default=30)
    # Same-day absence follow-up: a session in the pattern not recorded by these times (UK
    # time, 24-hour "HH:MM") is put to the home school; so many unexplained absences within
    # so many school days prompts an early review.
    am_cutoff: Mapped[str] = mapped_column(String(5), default="10:30")
    pm_cutoff: Mapped[str] = mapped_column(String(5), default="14:30")
    absence_pattern_count: Mapped[int] = mapped_column(Integer, default=3)
    absence_pattern_days: Mapped[int] = mapped_column(Integer, default=10)
    # Which pre-start checks a placement needs to be ready to start (models.CheckItem values,
    # comma-separated): all six by default, as DfE guidance lists them.
    required_checks: Mapped[str] = mapped_column(
        String(200), default=ALL_CHECKS, server_default=ALL_CHECKS
    )
    # Two-factor sign-in is always asked of LA staff; this asks it of schools, providers and
    # the improvement board too.
    require_two_factor_for_all: Mapped[bool] = mapped_column(
        Boolean, default=False, server_default=false()
    )
    # Years a pupil's details are kept after their last placement ends (apregister/retention.py)
    retention_years: Mapped[int] = mapped_column(Integer, default=6, server_default="6")
    # The date whose KPI values are the dashboard's baseline.
    kpi_baseline_date: Mapped[date | None] = mapped_column(Date)

    def off_framework_policy(self, kind: OffFrameworkKind) -> OffFrameworkPolicy:
        return OffFrameworkPolicy(getattr(self, f"{kind.value}_policy"))
