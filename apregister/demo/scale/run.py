"""What every builder shares: the size asked for, the writer, one stream of random numbers, the
dates the data is set around, and the rows already made that later rows refer to."""

from __future__ import annotations

import random
import time
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from itertools import accumulate
from typing import Any

from apregister.demo.scale.attendance import DEFAULT_ATTENDANCE_WEEKS, AttendanceMarks
from apregister.demo.scale.term_dates import monday_of
from apregister.demo.scale.writer import BulkWriter
from apregister.models import REGISTERED_TYPES, FrameworkStatus, RegistrationType, SchoolPhase


@dataclass(frozen=True)
class ScaleSpec:
    schools: int = 1000
    providers: int = 500
    placements: int = 200_000
    years: int = 10
    attendance_weeks: int = DEFAULT_ATTENDANCE_WEEKS
    seed: int = 2026


@dataclass
class ScaleProvider:
    id: int
    registration: RegistrationType
    status: FrameworkStatus
    approved_on: date | None
    until: date | None  # last day new placements may start
    capacity: int
    daily_rate: Decimal

    @property
    def registered(self) -> bool:
        return self.registration in REGISTERED_TYPES


@dataclass
class ScaleSchool:
    id: int
    phase: SchoolPhase
    number: int  # DfE establishment number, the UPN's middle part


@dataclass
class ProviderPool:
    """Providers to place with, chosen in proportion to their capacity."""

    providers: list[ScaleProvider]
    cumulative: list[float] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.cumulative = list(accumulate(p.capacity for p in self.providers))


class ScaleRun:
    """One run of the generator. The builders (organisations, providers, pupils, placements,
    reviews, attendance, inspections, self-assessments) draw from its one `rng` in a fixed
    order, so the same seed on the same day gives the same rows."""

    def __init__(self, spec: ScaleSpec, writer: BulkWriter, *, today: date, now: datetime, echo):
        self.spec = spec
        self.writer = writer
        self.today = today
        self.now = now
        self.echo = echo
        self.rng = random.Random(spec.seed)
        self.first_day = today - timedelta(days=round(365.25 * spec.years))
        self.horizon = today + timedelta(days=28)
        self.window = monday_of(today) - timedelta(weeks=spec.attendance_weeks)
        self.la = 0
        self.staff: list[int] = []
        self.schools: list[ScaleSchool] = []
        self.by_phase: dict[SchoolPhase, list[ScaleSchool]] = {}
        self.school_weights: dict[SchoolPhase, list[float]] = {}
        self.providers: list[ScaleProvider] = []
        self.pools: dict[str, ProviderPool] = {}
        self.unlisted: list[ScaleProvider] = []
        self.started = time.perf_counter()
        self.marks = AttendanceMarks(writer)

    def at(self, day: date, hour: int | None = None) -> datetime:
        """A moment in the working day `day`, never later than now."""
        hour = hour if hour is not None else self.rng.randint(8, 17)
        moment = datetime(day.year, day.month, day.day, hour, 0, tzinfo=UTC)
        return min(moment, self.now)

    def between(self, first: date, last: date) -> date:
        return first + timedelta(days=self.rng.randint(0, max(0, (last - first).days)))

    def pick(self, options, weights):
        return self.rng.choices(options, weights)[0]

    def progress(self, what: str) -> None:
        self.echo(f"  {what} ({time.perf_counter() - self.started:.0f} s)")

    def timestamps(self, created: datetime, updated: datetime | None = None) -> dict:
        return {"created_at": created, "updated_at": updated or created}

    def audit(self, name: str, record: int, row: dict, when: datetime, redact=frozenset()) -> None:
        """What the audit hook would have written for this insert."""
        changes = {
            key: {"old": None, "new": "[redacted]" if key in redact else _plain(value)}
            for key, value in row.items()
            if value is not None and key not in {"created_at", "updated_at", "placement_lock"}
        }
        self.writer.add(
            "audit_events",
            {
                "id": self.writer.next_id("audit_events"),
                "occurred_at": when,
                "user_id": None,
                "organisation_id": None,
                "action": "insert",
                "table_name": name,
                "record_id": str(record),
                "changes": changes,
            },
        )


def _plain(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if hasattr(value, "value"):  # an enum member
        return value.value
    return value
