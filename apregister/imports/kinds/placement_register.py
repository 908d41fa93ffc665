"""What the placements import checks every row against, read once with a few queries: the
pupils by UPN, the providers by each key, and every placement's key, dates and sessions."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from sqlalchemy import select

from apregister.extensions import db
from apregister.models import (
    FrameworkStatus,
    LaSettings,
    Organisation,
    OrganisationKind,
    Placement,
    PlacementOutcome,
    PlacementReason,
    Provider,
    Pupil,
    Review,
)
from apregister.placements import rules


@dataclass(frozen=True, slots=True)
class ProviderRef:
    """What policy_refusal and the messages read of a provider."""

    id: int
    name: str
    framework_status: FrameworkStatus


@dataclass(frozen=True, slots=True)
class PupilRef:
    id: int
    owner_id: int
    at_school: bool  # owned by a school (else by the LA)


@dataclass(slots=True)
class Span:
    """A placement's days and sessions, for the double-booking check."""

    placement_id: int | None  # None for an earlier row of the file that is new
    provider_id: int
    start: date
    end: date  # the last day it runs, as far as is known today (rules.run_end)
    mask: int


@dataclass(frozen=True, slots=True)
class Existing:
    """A placement on the register. Long texts are kept as their hash: enough to tell whether
    a row changes them, without holding every placement's objectives in memory."""

    id: int
    reason: PlacementReason
    planned_end: date
    session_mask: int
    hours_per_week: Decimal
    full_time: bool
    cost_per_week: Decimal | None
    objectives: int
    reintegration_plan: int
    off_framework: bool
    off_framework_reason: int | None
    actual_end: date | None
    outcome: PlacementOutcome | None
    outcome_notes: int | None
    cancelled: bool


def text_hash(text: str | None) -> int | None:
    return None if text is None else hash(text)


@dataclass
class PlacementsContext:
    today: date
    settings: LaSettings
    weeks: int
    pupils: dict[str, PupilRef]  # by UPN
    providers: dict[int, ProviderRef]
    provider_ids: dict[str, dict[str, int]]  # "name" (its name key), "urn", "ukprn": id
    placements: dict[tuple[int, int, date], Existing]  # (pupil, provider, start)
    spans: dict[int, list[Span]]  # by pupil id: the register's, then the file's valid rows
    reviews: dict[int, set[date]]  # placement id: its reviews' dates
    seen: dict[tuple[int, int, date], int] = field(default_factory=dict)  # key: its row


def read_register(today: date, settings: LaSettings) -> PlacementsContext:
    pupils = {
        row.upn: PupilRef(row.id, row.owner_id, row.kind is OrganisationKind.SCHOOL)
        for row in db.session.execute(
            select(Pupil.id, Pupil.upn, Pupil.owner_id, Organisation.kind)
            .join(Organisation, Organisation.id == Pupil.owner_id)
            .where(Pupil.upn.is_not(None))
        )
    }
    providers: dict[int, ProviderRef] = {}
    ids: dict[str, dict[str, int]] = {"name": {}, "urn": {}, "ukprn": {}}
    query = select(
        Provider.id, Provider.name, Provider.name_key, Provider.urn, Provider.ukprn,
        Provider.framework_status,
    )  # fmt: skip
    for row in db.session.execute(query):
        providers[row.id] = ProviderRef(row.id, row.name, row.framework_status)
        ids["name"][row.name_key] = row.id
        if row.urn:
            ids["urn"][row.urn] = row.id
        if row.ukprn:
            ids["ukprn"][row.ukprn] = row.id
    placements: dict[tuple[int, int, date], Existing] = {}
    spans: dict[int, list[Span]] = {}
    columns = (
        Placement.id, Placement.pupil_id, Placement.provider_id, Placement.start_date,
        Placement.reason, Placement.planned_end, Placement.session_mask,
        Placement.hours_per_week, Placement.full_time, Placement.cost_per_week,
        Placement.objectives, Placement.reintegration_plan, Placement.off_framework,
        Placement.off_framework_reason, Placement.actual_end, Placement.outcome,
        Placement.outcome_notes, Placement.cancelled_on,
    )  # fmt: skip
    result = db.session.execute(select(*columns).execution_options(yield_per=5000))
    for row in result:
        placements[(row.pupil_id, row.provider_id, row.start_date)] = Existing(
            id=row.id,
            reason=row.reason,
            planned_end=row.planned_end,
            session_mask=row.session_mask,
            hours_per_week=row.hours_per_week,
            full_time=row.full_time,
            cost_per_week=row.cost_per_week,
            objectives=hash(row.objectives),
            reintegration_plan=hash(row.reintegration_plan),
            off_framework=row.off_framework,
            off_framework_reason=text_hash(row.off_framework_reason),
            actual_end=row.actual_end,
            outcome=row.outcome,
            outcome_notes=text_hash(row.outcome_notes),
            cancelled=row.cancelled_on is not None,
        )
        if row.cancelled_on is None:
            end = rules.run_end(row.planned_end, row.actual_end, today)
            spans.setdefault(row.pupil_id, []).append(
                Span(row.id, row.provider_id, row.start_date, end, row.session_mask)
            )
    reviews: dict[int, set[date]] = {}
    for placement_id, review_date in db.session.execute(
        select(Review.placement_id, Review.review_date).execution_options(yield_per=5000)
    ):
        reviews.setdefault(placement_id, set()).add(review_date)
    return PlacementsContext(
        today=today,
        settings=settings,
        weeks=settings.placement_weeks,
        pupils=pupils,
        providers=providers,
        provider_ids=ids,
        placements=placements,
        spans=spans,
        reviews=reviews,
    )
