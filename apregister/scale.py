"""`flask seed-scale`: a large, realistic synthetic register for benchmarks.

The default size is ten years of the largest English LA: 1,000 schools, 500 providers and
200,000 placements, with pupils, reviews, extension requests, recent session-by-session
attendance, annual inspections (judgements and actions) and annual self-assessments.

Rows are written with Core bulk inserts in batches (on PostgreSQL with COPY, its bulk insert),
never as ORM objects. So the audit hook, an ORM flush hook, does not run: instead one audit
event per pupil and per placement is written here, as the hook would have written it, so the
audit page has a realistic length. Values are converted by the models' own column types, so
they are stored exactly as the app stores them. Everything is random but reproducible: the same
seed on the same day gives the same data.
"""

from __future__ import annotations

import hashlib
import random
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from itertools import accumulate
from typing import Any

from sqlalchemy import Connection, column, func, insert, inspect, select, table, text
from stdnum.gb import upn as stdnum_upn

from apregister.attendance import totals as attendance_totals
from apregister.extensions import db
from apregister.models import (
    REGISTERED_TYPES,
    ActionOwner,
    ActionStatus,
    AttendanceCode,
    DocumentKind,
    ExtensionStatus,
    FrameworkStatus,
    InspectionOutcome,
    InspectionStatus,
    Judgement,
    KeyStage,
    OrganisationKind,
    PlacementOutcome,
    PlacementReason,
    RegistrationType,
    ReviewDecision,
    Role,
    SchoolPhase,
    SelfAssessmentStatus,
    SenStatus,
    Sex,
    Specialism,
)
from apregister.models.placement import name_search_key
from apregister.models.provider import name_key
from apregister.placements.rules import slot_bit
from apregister.providers.rules import REQUIRED_DOCUMENTS
from apregister.qa.rules import DEFAULT_AREAS, academic_year, add_months

# A year of attendance: every attendance page reads at most a few recent weeks and the KPIs a
# year, and at this size a year is about two million rows (most of the run); ten years would
# be about twenty million rows and turn minutes into the best part of an hour.
DEFAULT_ATTENDANCE_WEEKS = 52
BATCH = 5000
LA_CODE = "886"  # Kent's LA number: UPNs must carry a real one
SEED_EMAIL_DOMAIN = "seed-scale.example.org"

# Parents before children, so every batch's foreign keys already exist.
ORDER = (
    "organisations",
    "schools",
    "providers",
    "users",
    "provider_tags",
    "framework_status_changes",
    "compliance_documents",
    "pupils",
    "placements",
    "reviews",
    "extension_requests",
    "attendance",
    "inspections",
    "inspection_judgements",
    "inspection_actions",
    "self_assessments",
    "self_assessment_versions",
    "self_assessment_entries",
    "audit_events",
)


def _words(text: str) -> tuple[str, ...]:
    return tuple(word.strip() for word in text.split(",") if word.strip())


TOWNS = _words(
    "Ashford, Canterbury, Dover, Folkestone, Gravesend, Maidstone, Margate, Ramsgate, Sevenoaks,"
    "Tonbridge, Dartford, Faversham, Sittingbourne, Whitstable, Deal, Sandwich, Hythe, Tenterden,"
    "Cranbrook, Edenbridge, Herne Bay, Broadstairs, Westerham, Paddock Wood, Swanley, Snodland,"
    "Aylesford, Minster, Headcorn, Marden, Staplehurst, Wye, Lydd, Birchington, Otford, Hawkhurst"
)
# Kent's districts, with their postcode areas
AREAS = tuple(
    tuple(area.split(":"))
    for area in _words(
        "Ashford:TN, Canterbury:CT, Dartford:DA, Dover:CT, Folkestone and Hythe:CT, Gravesham:DA,"
        "Maidstone:ME, Sevenoaks:TN, Swale:ME, Thanet:CT, Tonbridge and Malling:ME,"
        "Tunbridge Wells:TN"
    )
)
FEATURES = _words(
    "Oaks, Park, Hill, Green, Valley, Fields, Vale, Meadow, Brook, Wood, Downs, Court, Lane,"
    "Cross, Heath, Grove, Marsh, Ridge, Bridge, Farm"
)
SECONDARY_KINDS = ("Academy", "High School", "Grammar School")
SAINTS = _words("Anne, Mary, John, Peter, Paul, Michael, Margaret, George, Luke")
ADJECTIVES = _words(
    "Bright, New, Fresh, Open, Clear, Rising, Green, Blue, Silver, Golden, True, Brave, Steady,"
    "Kind, Bold, Next, First, Wide, Calm, North"
)
NOUNS = _words(
    "Futures, Horizons, Pathways, Bridges, Compass, Harbour, Lighthouse, Oak, Willow, Phoenix,"
    "Anchor, Summit, Meadow, Orchard, Beacon, Journey, Roots, Wings, Steps, Springboard, Acorn,"
    "Foundry, Kestrel, Rowan"
)
PROVIDER_NAMES = {
    RegistrationType.PUPIL_REFERRAL_UNIT: (
        "{town} Pupil Referral Unit",
        "{town} Short Stay School",
    ),
    RegistrationType.AP_ACADEMY: ("{town} AP Academy", "The {noun} Academy"),
    RegistrationType.INDEPENDENT_SCHOOL: ("{adj} {noun} School", "{noun} House School"),
    RegistrationType.HOSPITAL_SCHOOL: ("{town} Hospital School", "{town} Hospital Education"),
    RegistrationType.FE_COLLEGE: ("{town} College", "{town} {adj} College"),
    RegistrationType.TUITION: ("{adj} {noun} Tuition", "{surname} Tutoring"),
    RegistrationType.VOCATIONAL: ("{adj} {noun} Skills Centre", "{town} Motor Vehicle Training"),
    RegistrationType.THERAPEUTIC: ("{noun} Therapeutic Education", "{noun} Care Farm"),
    RegistrationType.WORK_BASED: ("{town} Work Skills", "{noun} Apprenticeship Pathways"),
    RegistrationType.ONLINE: ("{adj} Online Learning", "{noun} Virtual School"),
    RegistrationType.OTHER_UNREGISTERED: ("{adj} {noun} Project", "{noun} Outdoor Learning"),
}
# Share of providers of each type: registered settings are fewer but larger.
TYPE_WEIGHTS = (4, 6, 12, 2, 6, 20, 15, 12, 8, 8, 7)
TYPE_CAPACITY = {
    RegistrationType.PUPIL_REFERRAL_UNIT: (60, 200),
    RegistrationType.AP_ACADEMY: (50, 180),
    RegistrationType.INDEPENDENT_SCHOOL: (20, 90),
    RegistrationType.HOSPITAL_SCHOOL: (20, 80),
    RegistrationType.FE_COLLEGE: (30, 120),
}
TYPE_PROVISION = {
    RegistrationType.PUPIL_REFERRAL_UNIT: ("academic",),
    RegistrationType.AP_ACADEMY: ("academic", "vocational"),
    RegistrationType.INDEPENDENT_SCHOOL: ("academic", "therapeutic"),
    RegistrationType.HOSPITAL_SCHOOL: ("medical", "academic"),
    RegistrationType.FE_COLLEGE: ("vocational", "work_based"),
    RegistrationType.TUITION: ("tuition", "online"),
    RegistrationType.VOCATIONAL: ("vocational", "work_based"),
    RegistrationType.THERAPEUTIC: ("therapeutic", "outdoor", "creative"),
    RegistrationType.WORK_BASED: ("work_based", "vocational"),
    RegistrationType.ONLINE: ("online", "tuition"),
    RegistrationType.OTHER_UNREGISTERED: ("outdoor", "creative", "vocational"),
}
STATUSES = (
    FrameworkStatus.APPROVED,
    FrameworkStatus.APPLIED,
    FrameworkStatus.SUSPENDED,
    FrameworkStatus.REMOVED,
    FrameworkStatus.WITHDRAWN,
    FrameworkStatus.REJECTED,
    FrameworkStatus.NOT_ON_FRAMEWORK,
)
STATUS_WEIGHTS = (78, 5, 4, 4, 5, 4, 3)
# Schools place about 1 in 50 pupils at settings the LA has not approved (DESIGN.md).
OFF_FRAMEWORK_SHARE = 0.02
OFF_FRAMEWORK_REASONS = (
    "The only setting offering construction skills within travelling distance",
    "Recommended by CAMHS for its therapeutic approach",
    "Pupil already attends and trusts the staff there",
    "No place free at an approved provider for this term",
)
# Where medical placements and permanently excluded pupils mostly go
MEDICAL_TYPES = (
    RegistrationType.HOSPITAL_SCHOOL,
    RegistrationType.THERAPEUTIC,
    RegistrationType.ONLINE,
)
EXCLUDED_TYPES = (RegistrationType.PUPIL_REFERRAL_UNIT, RegistrationType.AP_ACADEMY)
LEAVING_REASONS = {
    FrameworkStatus.SUSPENDED: "Public liability insurance lapsed; suspended until renewed",
    FrameworkStatus.REMOVED: "No longer meets the framework's quality standards",
    FrameworkStatus.WITHDRAWN: "Provider stopped offering places to the LA",
    FrameworkStatus.REJECTED: "Admission checks not met: no safeguarding lead in post",
}
FIRST_NAMES = {
    Sex.MALE: _words(
        "Alfie, Archie, Ben, Callum, Charlie, Connor, Dylan, Ethan, Finley, Freddie, George,"
        "Harley, Harry, Harvey, Jack, Jacob, Jake, Jayden, Kai, Kian, Leo, Lewis, Liam, Logan,"
        "Louie, Mason, Max, Mohammed, Noah, Oliver, Oscar, Reece, Riley, Ryan, Sam, Theo, Thomas,"
        "Tyler, Zac, Zain"
    ),
    Sex.FEMALE: _words(
        "Aisha, Amelia, Amira, Ava, Bella, Chloe, Demi, Ella, Ellie, Emily, Erin, Evie, Freya,"
        "Grace, Hannah, Holly, Isla, Jade, Keira, Lacey, Leah, Lily, Lola, Maisie, Maya, Mia,"
        "Millie, Olivia, Poppy, Priya, Ruby, Scarlett, Sienna, Skye, Sophie, Summer, Tia, Zara,"
        "Zoe, Niamh"
    ),
    Sex.UNKNOWN: _words("Alex, Charlie, Jordan, Sam, Riley, Rowan, Jamie"),
}
LAST_NAMES = _words(
    "Smith, Jones, Taylor, Brown, Williams, Wilson, Johnson, Davies, Robinson, Wright, Thompson,"
    "Evans, Walker, White, Roberts, Green, Hall, Wood, Jackson, Clarke, Patel, Khan, Lewis, James,"
    "Phillips, Mason, Mitchell, Rose, Davis, Rodriguez, Cox, Alexander, Morgan, Moore, Mills, King,"
    "Lee, Baker, Harris, Scott, Turner, Hill, Cooper, Ward, Morris, Carter, Hughes, Price, Bennett,"
    "Ahmed, Ali, Begum, Hussain, Iqbal, Nowak, Kowalski, Owen, Foster, Kelly, Murphy, Reid, Shah,"
    "Okafor, Adeyemi, Mensah, Campbell, Stewart, Palmer"
)
OBJECTIVES = (
    "Attend at least 90% of sessions",
    "Rebuild confidence in English and maths",
    "Agree a plan for returning to school",
    "Manage anger without physical aggression",
    "Complete a Level 1 vocational qualification",
    "Re-establish a regular daily routine",
    "Work with the CAMHS worker on anxiety",
    "Sit GCSE English and maths",
    "Build a positive relationship with a key adult",
    "Reduce incidents of leaving lessons",
    "Take part in group sessions with peers",
    "Catch up on reading to age-related expectations",
    "Attend the home school one day a week by week 8",
    "Complete a work experience placement",
)
PROGRESS = (
    "Good progress",
    "Some progress",
    "Little progress so far",
    "Achieved",
    "Progress has slowed since the last review",
    "On track",
    "Not yet started",
)
REINTEGRATION = (
    "Review at week 6; phased return to the home school from week 9, full time by week 12.",
    "Two days a week at the home school from week 6, rising to full time by the end.",
    "Move to a special school place once the EHC plan is amended; transition visits first.",
    "Stay on the home school's roll; keyworker visits the school fortnightly to plan the return.",
    "Managed move to another mainstream school, with a six-week transition timetable.",
    "Return to the home school with a reduced timetable reviewed every two weeks.",
)
REVIEW_NOTES = (
    "Parent attended and agreed the plan.",
    "School SENCO joined by video.",
    "Attendance has improved since the keyworker started.",
    "Pupil said they feel safer here.",
    "Transport problems affected Monday sessions.",
    "Social worker to be invited next time.",
)
EXTENSION_REASONS = (
    "Waiting for a special school place named in the EHC plan",
    "Needs more weeks to finish the qualification",
    "Medical advice: not yet well enough to return",
    "The managed move has not been agreed yet",
    "Reintegration started late after illness",
)
CANCEL_REASONS = (
    "The family moved out of the area",
    "The home school found another way to support the pupil",
    "Provider could not offer the agreed sessions",
    "Parent did not agree to the placement",
)
OUTCOME_NOTES = (
    "Full-time return went well.",
    "Place found at a school nearer home.",
    "EHC needs assessment agreed by panel.",
    "Placement broke down after repeated absence.",
    "Moved to a specialist provider better suited to the pupil's needs.",
)
FINDINGS = {
    Judgement.MET: "Standard met. Policies are in place and followed; staff knew them well.",
    Judgement.PARTLY_MET: "Partly met. Practice is sound but records are not consistently kept.",
    Judgement.NOT_MET: "Not met. Serious gaps found; the provider must act before the next visit.",
}
ACTIONS = {
    "safeguarding": "Bring the single central record up to date and send the LA a copy",
    "health_safety": "Review the premises risk assessment and fix the fire exit signage",
    "admissions": "Record attendance session by session and tell the home school the same day",
    "education": "Write a curriculum plan for English and maths for each pupil",
    "leadership": "Set up supervision for staff and keep notes of it",
    "outcomes": "Agree a reintegration timeline for each pupil at the first review",
}
EVIDENCE = (
    "Policy reviewed this year; training log attached; case studies available on request.",
    "Attendance analysis by pupil and term; notes of meetings with home schools.",
    "Lesson observations and pupil work samples; destination data for last year's leavers.",
)
SUMMARIES = (
    "A calm, well-run setting. Pupils are known well and staff keep clear records.",
    "Pupils are safe and engaged. Record keeping needs tightening, as set out in the actions.",
    "Leaders have improved the curriculum since the last visit; attendance remains a concern.",
)
DEMO_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)
# Roughly English term dates: (month, day) ranges when schools are closed.
HOLIDAYS = (
    ((1, 1), (1, 3)),
    ((2, 14), (2, 22)),
    ((3, 29), (4, 12)),
    ((5, 25), (5, 31)),
    ((7, 23), (9, 2)),
    ((10, 24), (11, 1)),
    ((12, 20), (12, 31)),
)
FULL_WEEK = 0b1111111111
# Attendance rows, most of the data set, are built as tuples in this order.
ATTENDANCE_COLUMNS = (
    "id",
    "placement_id",
    "date",
    "session",
    "code",
    "recorded_by_id",
    "created_at",
    "updated_at",
)


class SeedRefused(Exception):
    """The database is not one seed-scale may write to (yet)."""


@dataclass(frozen=True)
class ScaleSpec:
    schools: int = 1000
    providers: int = 500
    placements: int = 200_000
    years: int = 10
    attendance_weeks: int = DEFAULT_ATTENDANCE_WEEKS
    seed: int = 2026


_HOLIDAY_DAYS = frozenset(
    (month, day)
    for month in range(1, 13)
    for day in range(1, 32)
    if any(start <= (month, day) <= end for start, end in HOLIDAYS)
)


def in_holiday(day: date) -> bool:
    return (day.month, day.day) in _HOLIDAY_DAYS


def monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def sessions_in(mask: int) -> int:
    return bin(mask).count("1")


# ---- writing ---------------------------------------------------------------------------------


class BulkWriter:
    """Buffers rows per table and writes them in batches, parents first. Each value goes through
    its column's own type (so a date or an enum is stored as the app stores it); the statement
    itself is untyped, so SQLAlchemy does not convert twice."""

    def __init__(self, connection: Connection, *, now: datetime, batch: int = BATCH):
        self.connection = connection
        self.dialect = connection.dialect
        self.copy = self.dialect.name == "postgresql" and self.dialect.driver == "psycopg"
        self.now = now
        self.batch = batch
        self.buffers: dict[str, list[tuple]] = {name: [] for name in ORDER}
        self.counts: Counter[str] = Counter()
        self._ids: dict[str, int] = {}
        self._plans: dict[str, tuple] = {}

    def next_id(self, name: str) -> int:
        if name not in self._ids:
            found = self.connection.execute(text(f"SELECT MAX(id) FROM {name}")).scalar()
            self._ids[name] = (found or 0) + 1
        self._ids[name] += 1
        return self._ids[name] - 1

    def add(self, name: str, row: dict[str, Any]) -> None:
        """Queue a row given as column -> Python value; columns left out get their default."""
        self.add_stored(name, self._convert(self._plan(name)[1], row))

    def add_stored(self, name: str, values: tuple) -> None:
        """Queue a row already in storage form, in the table's column order."""
        buffer = self.buffers[name]
        buffer.append(values)
        if len(buffer) >= self.batch:
            self.flush(upto=name)

    def stored(self, name: str, key: str, value: Any) -> Any:
        """`value` as column `key` of table `name` stores it."""
        processor, cache = self._plan(name)[2][key]
        return value if processor is None else self._cached(processor, cache, value)

    def flush(self, upto: str | None = None) -> None:
        for name in ORDER:
            if self.buffers[name]:
                self._write(name, self.buffers[name])
                self.buffers[name] = []
            if name == upto:
                return

    def _plan(self, name: str) -> tuple:
        if name not in self._plans:
            real = db.metadata.tables[name]
            converters = []
            for col in real.columns:
                default = col.default.arg if col.default is not None else None
                if callable(default):
                    default = self.now  # created_at / updated_at
                processor = col.type.dialect_impl(self.dialect).bind_processor(self.dialect)
                converters.append((col.name, default, processor, {}))
            plain = table(name, *[column(col.name) for col in real.columns])
            by_key = {key: (processor, cache) for key, _, processor, cache in converters}
            self._plans[name] = (plain, converters, by_key)
        return self._plans[name]

    @staticmethod
    def _cached(processor, cache: dict, value: Any) -> Any:
        try:
            return cache[value]  # most values repeat: dates, enums, flags
        except KeyError:
            if len(cache) > 50_000:
                cache.clear()
            cache[value] = stored = processor(value)
            return stored
        except TypeError:  # unhashable: JSON
            return processor(value)

    def _convert(self, converters: list[tuple], row: dict[str, Any]) -> tuple:
        values = []
        append, get = values.append, row.get
        for key, default, processor, cache in converters:
            value = get(key, default)
            if processor is not None and value is not None:
                try:
                    value = cache[value]  # most values repeat: dates, enums, flags
                except (KeyError, TypeError):
                    value = self._cached(processor, cache, value)
            append(value)
        return tuple(values)

    def _write(self, name: str, rows: list[tuple]) -> None:
        plain, converters, _ = self._plan(name)
        keys = [key for key, *_ in converters]
        if self.copy:
            cursor = self.connection.connection.driver_connection.cursor()
            with cursor.copy(f"COPY {name} ({', '.join(keys)}) FROM STDIN") as copy:
                for values in rows:
                    copy.write_row(values)
        elif self.dialect.paramstyle == "qmark":  # SQLite: straight to executemany
            marks = ", ".join("?" for _ in keys)
            self.connection.exec_driver_sql(
                f"INSERT INTO {name} ({', '.join(keys)}) VALUES ({marks})", rows
            )
        else:
            self.connection.execute(
                insert(plain), [dict(zip(keys, values, strict=True)) for values in rows]
            )
        self.counts[name] += len(rows)

    def finish(self) -> None:
        """Write what is left; on PostgreSQL move each id sequence past the ids used here."""
        self.flush()
        if self.dialect.name == "postgresql":
            for name in self._ids:
                self.connection.execute(
                    text(
                        f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "
                        f"(SELECT COALESCE(MAX(id), 0) + 1 FROM {name}), false)"
                    )
                )


# ---- generating ------------------------------------------------------------------------------


@dataclass
class _Provider:
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
class _School:
    id: int
    phase: SchoolPhase
    number: int  # DfE establishment number, the UPN's middle part


@dataclass
class _Pool:
    providers: list[_Provider]
    cumulative: list[float] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.cumulative = list(accumulate(p.capacity for p in self.providers))


class ScaleBuilder:
    def __init__(self, spec: ScaleSpec, writer: BulkWriter, *, today: date, now: datetime, echo):
        self.spec = spec
        self.w = writer
        self.today = today
        self.now = now
        self.echo = echo
        self.rng = random.Random(spec.seed)
        self.first_day = today - timedelta(days=round(365.25 * spec.years))
        self.horizon = today + timedelta(days=28)
        self.window = monday_of(today) - timedelta(weeks=spec.attendance_weeks)
        self.schools: list[_School] = []
        self.providers: list[_Provider] = []
        self.staff: list[int] = []
        self.started = time.perf_counter()
        if tuple(db.metadata.tables["attendance"].columns.keys()) != ATTENDANCE_COLUMNS:
            raise RuntimeError("The attendance table changed: update ATTENDANCE_COLUMNS")
        self.codes = {code: writer.stored("attendance", "code", code) for code in AttendanceCode}
        self.am = writer.stored("attendance", "session", "AM")
        self.pm = writer.stored("attendance", "session", "PM")

    # -- small helpers

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

    # -- organisations and staff

    def la_id(self, la_name: str) -> int:
        found = self.w.connection.execute(
            text("SELECT id FROM organisations WHERE kind = :kind ORDER BY id LIMIT 1"),
            {"kind": OrganisationKind.LA.value},
        ).scalar()
        if found is not None:
            return found
        la = self.w.next_id("organisations")
        stamp = self.at(self.first_day)
        self.w.add(
            "organisations", {"id": la, "kind": "la", "name": la_name, **self.timestamps(stamp)}
        )
        return la

    def add_staff(self, la: int) -> None:
        """QA officers who inspect and decide (they cannot sign in: their hash is unusable)."""
        existing = self.w.connection.execute(
            text("SELECT id FROM users WHERE email LIKE :pattern ORDER BY id"),
            {"pattern": f"%@{SEED_EMAIL_DOMAIN}"},
        ).scalars()
        self.staff = list(existing)
        if self.staff:
            return
        for n, name in enumerate(
            ("Jane Okoro", "Mark Ellis", "Ruth Bhatt", "Dan Frost", "Amy Cole")
        ):
            user = self.w.next_id("users")
            email = f"{name.lower().replace(' ', '.')}.{n}@{SEED_EMAIL_DOMAIN}"
            self.w.add(
                "users",
                {
                    "id": user,
                    "email": email,
                    "name": name,
                    "role": Role.LA_OFFICER,
                    "organisation_id": la,
                    "active": True,
                    "failed_attempts": 0,
                    "password_hash": "!seed-scale account: no password",
                    **self.timestamps(self.at(self.first_day)),
                },
            )
            self.staff.append(user)

    def add_schools(self) -> None:
        used_urns = set(self.w.connection.execute(text("SELECT urn FROM schools")).scalars())
        names: set[str] = set()
        phases = (
            SchoolPhase.PRIMARY,
            SchoolPhase.SECONDARY,
            SchoolPhase.ALL_THROUGH,
            SchoolPhase.SPECIAL,
        )
        numbers = {
            SchoolPhase.PRIMARY: 2000,
            SchoolPhase.SECONDARY: 4000,
            SchoolPhase.ALL_THROUGH: 4600,
            SchoolPhase.SPECIAL: 7000,
        }
        urn = 118000
        for index in range(self.spec.schools):
            phase = phases[index] if index < 4 else self.pick(phases, (76, 17, 2, 5))
            place, feature = self.rng.choice(TOWNS), self.rng.choice(FEATURES)
            name = {
                SchoolPhase.PRIMARY: f"{place} {feature} Primary School",
                SchoolPhase.SECONDARY: f"{place} {self.rng.choice(SECONDARY_KINDS)}",
                SchoolPhase.ALL_THROUGH: f"{place} {feature} All-Through School",
                SchoolPhase.SPECIAL: f"{feature} School, {place}",
            }[phase]
            if phase is SchoolPhase.PRIMARY and self.rng.random() < 0.3:
                name = f"St {self.rng.choice(SAINTS)}'s CE Primary School, {place}"
            name = _unique_name(name, names)
            while str(urn) in used_urns:
                urn += 1
            used_urns.add(str(urn))
            numbers[phase] += 1
            org = self.w.next_id("organisations")
            stamp = self.at(self.first_day)
            self.w.add(
                "organisations",
                {"id": org, "kind": "school", "name": name, **self.timestamps(stamp)},
            )
            self.w.add("schools", {"id": org, "urn": str(urn), "phase": phase})
            self.schools.append(_School(org, phase, numbers[phase] % 10000))
        self.by_phase = {phase: [s for s in self.schools if s.phase is phase] for phase in phases}
        self.school_weights = {
            phase: list(accumulate(self.rng.lognormvariate(0, 0.8) for _ in found))
            for phase, found in self.by_phase.items()
        }

    def add_providers(self) -> None:
        taken = {
            key: set(self.w.connection.execute(text(f"SELECT {key} FROM providers")).scalars())
            for key in ("name_key", "urn", "ukprn")
        }
        types = list(RegistrationType)
        for index in range(self.spec.providers):
            kind = types[index] if index < len(types) else self.pick(types, TYPE_WEIGHTS)
            status = STATUSES[index % len(STATUSES)]
            if index >= len(STATUSES):
                status = self.pick(STATUSES, STATUS_WEIGHTS)
            name = self._provider_name(kind, taken["name_key"])
            self._add_provider(index, kind, status, name, taken)
        approved = [p for p in self.providers if p.approved_on]
        self.pools = {
            "all": _Pool(approved),
            "medical": _Pool([p for p in approved if p.registration in MEDICAL_TYPES]),
            "excluded": _Pool([p for p in approved if p.registration in EXCLUDED_TYPES]),
        }
        self.unlisted = [p for p in self.providers if p.status is FrameworkStatus.NOT_ON_FRAMEWORK]

    def _provider_name(self, kind: RegistrationType, taken: set[str]) -> str:
        pattern = self.rng.choice(PROVIDER_NAMES[kind])
        name = pattern.format(
            town=self.rng.choice(TOWNS),
            noun=self.rng.choice(NOUNS),
            adj=self.rng.choice(ADJECTIVES),
            surname=self.rng.choice(LAST_NAMES),
        )
        found, suffix = name, 2
        while name_key(found) in taken:
            found, suffix = f"{name} ({suffix})", suffix + 1
        taken.add(name_key(found))
        return found

    def _route(
        self, index: int, status: FrameworkStatus
    ) -> tuple[list[tuple], date | None, date | None]:
        """The provider's status history, when it was approved, and the last day a placement
        may start there. The first provider is approved from before the period, so every
        placement has somewhere to go however small the run."""
        rng, today = self.rng, self.today
        if status is FrameworkStatus.APPLIED:
            applied = today - timedelta(days=rng.randint(5, 120))
        elif index == 0 or rng.random() < 0.35:
            applied = self.first_day - timedelta(days=rng.randint(30, 1500))
        else:
            applied = self.between(self.first_day, today - timedelta(days=300))
        if status is FrameworkStatus.NOT_ON_FRAMEWORK:
            added = self.between(self.first_day, today - timedelta(days=30))
            route = [(None, status, "Added by a school to record a placement there", added)]
            return route, None, None
        route = [(None, FrameworkStatus.APPLIED, "Applied to join the framework", applied)]
        if status is FrameworkStatus.APPLIED:
            return route, None, None
        if status is FrameworkStatus.REJECTED:
            rejected = applied + timedelta(days=rng.randint(30, 90))
            route.append((FrameworkStatus.APPLIED, status, LEAVING_REASONS[status], rejected))
            return route, None, None
        approved_on = applied + timedelta(days=rng.randint(21, 90))
        route.append(
            (FrameworkStatus.APPLIED, FrameworkStatus.APPROVED, "Checks complete", approved_on)
        )
        if status is FrameworkStatus.APPROVED:
            return route, approved_on, self.horizon
        if status is FrameworkStatus.SUSPENDED:
            left = today - timedelta(days=rng.randint(7, 180))
        else:
            left = self.between(
                min(approved_on + timedelta(days=365), today - timedelta(days=30)),
                today - timedelta(days=14),
            )
        left = max(left, approved_on + timedelta(days=60))
        route.append((FrameworkStatus.APPROVED, status, LEAVING_REASONS[status], left))
        return route, approved_on, left

    def person(self, sex: Sex) -> str:
        return f"{self.rng.choice(FIRST_NAMES[sex])} {self.rng.choice(LAST_NAMES)}"

    def sometimes(self, chance: float, value: Any) -> Any:
        return value if self.rng.random() < chance else None

    def _profile(self, index: int, name: str, kind: RegistrationType, taken: dict) -> dict:
        """The register entry's own fields."""
        rng, today = self.rng, self.today
        registered = kind in REGISTERED_TYPES
        urn = ukprn = None
        if registered and kind is not RegistrationType.FE_COLLEGE:
            urn = self._unique(lambda: str(rng.randint(130000, 149999)), taken["urn"])
        if kind is RegistrationType.FE_COLLEGE or (not registered and rng.random() < 0.2):
            ukprn = self._unique(lambda: str(rng.randint(10000000, 10099999)), taken["ukprn"])
        area, prefix = rng.choice(AREAS)
        domain = name_key(name).split(" ")[0].replace("'", "") + f"{index}.example"
        low, high = TYPE_CAPACITY.get(kind, (8, 45))
        offer = "full-time" if registered else "part-time"
        judgements = ("outstanding", "good", "requires_improvement", "inadequate")
        return {
            "name_key": name_key(name),
            "registration_type": kind,
            "urn": urn,
            "ukprn": ukprn,
            "legal_name": f"{name} {'Trust' if registered else 'Ltd'}",
            "company_number": self.sometimes(0.7, f"{rng.randint(1000000, 99999999):08d}"),
            "charity_number": self.sometimes(0.25, str(rng.randint(1000000, 1199999))),
            "ofsted_judgement": self.pick(judgements, (15, 60, 20, 5)) if registered else None,
            "ofsted_date": self.between(today - timedelta(days=1500), today)
            if registered
            else None,
            "description": f"{name} offers {offer} alternative provision in small groups, "
            "with a plan for every pupil's return to school.",
            "address_line_1": f"{rng.randint(1, 200)} {rng.choice(FEATURES)} Road",
            "town": rng.choice(TOWNS),
            "postcode": f"{prefix}{rng.randint(1, 20)} {rng.randint(1, 9)}"
            f"{rng.choice('ABDEFGHJ')}{rng.choice('LNPQRSTUWXYZ')}",
            "area": area,
            "capacity": rng.randint(low, high),
            "daily_rate": Decimal(rng.randrange(6000, 26000, 500)) / 100,
            "website": self.sometimes(0.8, f"https://www.{domain}"),
            "contact_name": self.person(Sex.FEMALE),
            "contact_email": f"office@{domain}",
            "contact_phone": f"01632 {rng.randint(960000, 960999)}",
            "safeguarding_lead_name": self.person(Sex.MALE),
            "safeguarding_lead_email": f"dsl@{domain}",
            "internal_notes": self.sometimes(0.1, "Check capacity before commissioning in summer."),
        }

    def _add_provider(self, index, kind, status, name, taken) -> None:
        route, approved_on, until = self._route(index, status)
        profile = self._profile(index, name, kind, taken)
        org = self.w.next_id("organisations")
        stamps = self.timestamps(self.at(route[0][3]), self.at(route[-1][3]))
        self.w.add("organisations", {"id": org, "kind": "provider", "name": name, **stamps})
        self.w.add(
            "providers",
            {"id": org, "framework_status": status, "approved_on": approved_on, **profile},
        )
        self._provider_tags(org, kind)
        for from_status, to_status, reason, day in route:
            self.w.add(
                "framework_status_changes",
                {
                    "id": self.w.next_id("framework_status_changes"),
                    "provider_id": org,
                    "from_status": from_status,
                    "to_status": to_status,
                    "reason": reason,
                    "changed_on": day,
                    "changed_at": self.at(day),
                    "changed_by_id": None if from_status is None else self.rng.choice(self.staff),
                    "checklist_override": None,
                },
            )
        if approved_on is not None and self.rng.random() < 0.9:
            left = until if status is not FrameworkStatus.APPROVED else None
            self._documents(org, approved_on, left)
        self.providers.append(
            _Provider(
                org, kind, status, approved_on, until, profile["capacity"], profile["daily_rate"]
            )
        )

    def _unique(self, make: Callable[[], str], taken: set[str]) -> str:
        value = make()
        while value in taken:
            value = make()
        taken.add(value)
        return value

    def _provider_tags(self, provider: int, kind: RegistrationType) -> None:
        rng = self.rng
        primary = rng.random() < 0.15
        tags = {("provision_type", value) for value in TYPE_PROVISION[kind][: rng.randint(1, 3)]}
        tags |= {("specialism", s.value) for s in rng.sample(list(Specialism), rng.randint(1, 3))}
        stages = (KeyStage.KS1, KeyStage.KS2) if primary else (KeyStage.KS3, KeyStage.KS4)
        if kind is RegistrationType.FE_COLLEGE:
            stages = (KeyStage.KS4, KeyStage.KS5)
        tags |= {("key_stage", stage.value) for stage in stages}
        for kind_, value in sorted(tags):
            self.w.add(
                "provider_tags",
                {
                    "id": self.w.next_id("provider_tags"),
                    "provider_id": provider,
                    "kind": kind_,
                    "value": value,
                },
            )

    def _documents(self, provider: int, approved_on: date, left: date | None) -> None:
        """The required set at approval, and insurance renewed every year since; a few lapse."""
        rng, sha = self.rng, hashlib.sha256(DEMO_PDF).hexdigest()
        issued = approved_on - timedelta(days=rng.randint(5, 30))
        last = left or self.today

        def document(kind: DocumentKind, issued_on: date, expires_on: date | None) -> None:
            self.w.add(
                "compliance_documents",
                {
                    "id": self.w.next_id("compliance_documents"),
                    "provider_id": provider,
                    "kind": kind,
                    "title": kind.label,
                    "issued_on": issued_on,
                    "expires_on": expires_on,
                    "file_name": f"{kind.value.replace('_', '-')}.pdf",
                    "content_type": "application/pdf",
                    "size": len(DEMO_PDF),
                    "sha256": sha,
                    "content": DEMO_PDF,
                    "uploaded_by_id": rng.choice(self.staff),
                    **self.timestamps(self.at(issued_on)),
                },
            )

        for kind in REQUIRED_DOCUMENTS:
            if kind is not DocumentKind.INSURANCE:
                document(kind, issued, issued + timedelta(days=730) if rng.random() < 0.3 else None)
        start = issued
        lapses = rng.random() < 0.06
        while True:
            expires = start + timedelta(days=365)
            document(DocumentKind.INSURANCE, start, expires)
            if expires > last or (lapses and expires > last - timedelta(days=400)):
                break
            start = expires - timedelta(days=rng.randint(0, 20))

    # -- pupils and placements

    def add_pupils_and_placements(self) -> None:
        conn = self.w.connection
        self.used_upns = set(
            conn.execute(text("SELECT upn FROM pupils WHERE upn IS NOT NULL")).scalars()
        )
        self.serials: Counter[tuple[int, int]] = Counter()
        self.la_number = 1100  # pupils with no school place: a PRU-style establishment number
        made, target, step = 0, self.spec.placements, max(1, self.spec.placements // 10)
        while made < target:
            count = min(self.pick((1, 2, 3, 4), (80, 15, 4, 1)), target - made)
            done = self._pupil(count)
            for _ in range(done):
                made += 1
                if made % step == 0:
                    self.progress(f"{made:,} of {target:,} placements")

    def _upn(self, number: int, entered: int) -> str | None:
        if self.rng.random() < 0.01:
            return None  # missing: the data-quality report lists these
        while True:
            key = (number, entered % 100)
            self.serials[key] += 1
            if self.serials[key] > 999:
                number = 1000 + (number + 1) % 9000
                continue
            rest = f"{LA_CODE}{number:04d}{entered % 100:02d}{self.serials[key]:03d}"
            value = stdnum_upn.calc_check_digit(rest) + rest
            if value not in self.used_upns:
                self.used_upns.add(value)
                return value

    def _start(self, earliest: date, latest: date | None = None) -> date | None:
        """A weekday in term time from `earliest` to `latest` (the horizon if None, and then
        more often in later years, as AP use grows), more often a Monday; None if there is none
        before the horizon."""
        rng, span = self.rng, (self.horizon - self.first_day).days
        grows = latest is None
        latest = min(latest or self.horizon, self.horizon)
        for _ in range(200):
            day = self.between(earliest, latest)
            if grows and rng.random() > (1 + 0.6 * (day - self.first_day).days / span) / 1.6:
                continue
            if day.weekday() and rng.random() < 0.5:
                day = monday_of(day)
            if day.weekday() < 5 and not in_holiday(day) and earliest <= day <= latest:
                return day
        return None

    def _school_for(self, year: int, sen: SenStatus) -> _School:
        phase = SchoolPhase.PRIMARY if year <= 6 else SchoolPhase.SECONDARY
        roll = self.rng.random()
        if roll < (0.35 if sen is SenStatus.EHC_PLAN else 0.08):
            phase = SchoolPhase.SPECIAL
        elif roll > 0.95:
            phase = SchoolPhase.ALL_THROUGH
        if not self.by_phase[phase]:
            return self.rng.choice(self.schools)
        return self.rng.choices(self.by_phase[phase], cum_weights=self.school_weights[phase])[0]

    def _pupil(self, count: int) -> int:
        """One pupil and up to `count` placements, one after another; returns how many."""
        rng = self.rng
        start = self._start(self.first_day)
        assert start is not None
        year = self.pick(range(1, 12), (1, 1.5, 2, 2.5, 3.5, 4.5, 7, 10, 15, 22, 24))
        autumn = start.year if start.month >= 9 else start.year - 1
        born_from = date(autumn - year - 5, 9, 1)
        dob = self.between(born_from, date(autumn - year - 4, 8, 31))
        sex = self.pick((Sex.MALE, Sex.FEMALE, Sex.UNKNOWN), (68, 31, 1))
        sen = self.pick((SenStatus.EHC_PLAN, SenStatus.SEN_SUPPORT, SenStatus.NONE), (15, 35, 50))
        no_school = rng.random() < 0.05 and year >= 7
        school = None if no_school else self._school_for(year, sen)
        pupil = self.w.next_id("pupils")
        created = self.at(start - timedelta(days=rng.randint(7, 30)))
        row = {
            "id": pupil,
            "owner_id": school.id if school else self.la,
            "upn": self._upn(school.number if school else self.la_number, dob.year + 5),
            "first_name": rng.choice(FIRST_NAMES[sex]),
            "last_name": rng.choice(LAST_NAMES),
            "date_of_birth": dob,
            "sex": sex,
            "sen_status": sen,
            "looked_after": rng.random() < 0.08,
            "disadvantaged": rng.random() < 0.55,
            "placement_lock": 0,
            **self.timestamps(created),
        }
        # the names as search compares them, as the model's validator keeps them
        keys = {f"{name}_key": name_search_key(row[name]) for name in ("first_name", "last_name")}
        self.w.add("pupils", row | keys)
        self._audit(
            "pupils",
            pupil,
            row,
            created,
            redact={"upn", "first_name", "last_name", "date_of_birth"},
        )
        attendance = rng.betavariate(6, 1.4)  # most pupils attend well, a few hardly at all
        done = 0
        while done < count:
            end = self._placement(row, school, start, attendance)
            done += 1
            if end is None:
                break
            gap = end + timedelta(days=rng.randint(1, 90))
            start = self._start(gap, gap + timedelta(days=30))
            if start is None:
                break
            autumn = start.year if start.month >= 9 else start.year - 1
            if autumn - dob.year - ((dob.month, dob.day) > (8, 31)) - 4 > 11:
                break  # past Year 11
        return done

    def _provider_for(self, reason: PlacementReason, start: date) -> _Provider:
        rng = self.rng
        pool = self.pools["all"]
        if (
            reason is PlacementReason.MEDICAL
            and self.pools["medical"].providers
            and rng.random() < 0.7
        ):
            pool = self.pools["medical"]
        elif (
            reason is PlacementReason.PERMANENTLY_EXCLUDED
            and self.pools["excluded"].providers
            and rng.random() < 0.7
        ):
            pool = self.pools["excluded"]
        for _ in range(30):
            found = rng.choices(pool.providers, cum_weights=pool.cumulative)[0]
            if found.approved_on <= start <= found.until:
                return found
        open_then = [p for p in self.pools["all"].providers if p.approved_on <= start <= p.until]
        return rng.choice(open_then or self.pools["all"].providers[:1])

    def _pattern(self, full_time: bool) -> tuple[int, Decimal]:
        rng = self.rng
        if full_time:
            mask = FULL_WEEK if rng.random() < 0.85 else FULL_WEEK & ~slot_bit(4, 1)
            hours = Decimal(self.pick(("25", "27.5", "22.5", "30"), (50, 20, 20, 10)))
            return mask, hours
        shape = self.pick(("days", "mornings"), (80, 20))
        if shape == "mornings":
            mask = sum(slot_bit(day, 0) for day in range(5))
        else:
            days = rng.sample(range(5), self.pick((1, 2, 3), (20, 55, 25)))
            mask = sum(slot_bit(day, half) for day in days for half in (0, 1))
        return mask, Decimal(sessions_in(mask) * 25) / 10  # 2.5 hours a session

    def _placement(self, pupil: dict, school: _School | None, start: date, attendance: float):
        """One placement with its reviews, extension request and attendance; returns the day it
        ended (None if it is still running or planned)."""
        rng, today = self.rng, self.today
        if school is None:
            reason = self.pick(
                (PlacementReason.NEW_TO_AREA, PlacementReason.PERMANENTLY_EXCLUDED), (1, 1)
            )
        elif pupil["sen_status"] is SenStatus.EHC_PLAN and rng.random() < 0.5:
            reason = rng.choice(
                (
                    PlacementReason.EHC_MAINTAIN,
                    PlacementReason.EHC_ALTERNATIVE,
                    PlacementReason.EHC_NONE_AVAILABLE,
                )
            )
        else:
            reason = self.pick(
                (
                    PlacementReason.PREVENT_EXCLUSION,
                    PlacementReason.RE_ENGAGE,
                    PlacementReason.MEDICAL,
                    PlacementReason.PERMANENTLY_EXCLUDED,
                ),
                (36, 34, 10, 14),
            )
        off_framework = bool(
            school and self.unlisted and rng.random() < OFF_FRAMEWORK_SHARE
        )
        provider = rng.choice(self.unlisted) if off_framework else self._provider_for(reason, start)
        chance = 0.75 if provider.registered else 0.2
        if reason is PlacementReason.PERMANENTLY_EXCLUDED:
            chance = 0.95  # full-time education from the sixth day of an exclusion
        mask, hours = self._pattern(rng.random() < chance)
        weeks = self.pick((12, 6, 8, 10, "long"), (64, 8, 5, 5, 18))
        if weeks == "long":
            weeks = rng.randint(16, 39)
            if not provider.registered and sessions_in(mask) > 4 and rng.random() < 0.8:
                mask, hours = self._pattern(False)  # DfE: long unregistered AP is part time
        first_end = start + timedelta(weeks=min(weeks, 12))
        planned_end = start + timedelta(weeks=weeks)
        created_day = start - timedelta(days=rng.randint(3, 21))
        placement = self.w.next_id("placements")
        row: dict[str, Any] = {
            "id": placement,
            "pupil_id": pupil["id"],
            "school_id": school.id if school else None,
            "commissioner_id": pupil["owner_id"],
            "provider_id": provider.id,
            "reason": reason,
            "start_date": start,
            "planned_end": first_end,
            "session_mask": mask,
            "hours_per_week": hours,
            "full_time": hours >= 18,
            "cost_per_week": (provider.daily_rate * sessions_in(mask) / 2).quantize(Decimal("0.01"))
            if rng.random() < 0.9
            else None,
            "objectives": "\n".join(rng.sample(OBJECTIVES, 3)),
            "reintegration_plan": rng.choice(REINTEGRATION),
            "created_by_id": None,
        }
        if off_framework:
            reviewed = start + timedelta(days=rng.randint(1, 20))
            row |= {
                "off_framework": True,
                "off_framework_status": FrameworkStatus.NOT_ON_FRAMEWORK,
                "off_framework_reason": rng.choice(OFF_FRAMEWORK_REASONS),
            }
            if reviewed < today - timedelta(days=3) and rng.random() < 0.9:
                row |= {
                    "off_framework_reviewed_on": reviewed,
                    "off_framework_review_note": "Checked the setting's safeguarding and "
                    "insurance; the placement may go on",
                }
        created = self.at(min(created_day, today))
        if created_day <= today and start > created_day + timedelta(days=1) and rng.random() < 0.02:
            row["cancelled_on"] = self.between(
                created_day + timedelta(days=1), min(start - timedelta(days=1), today)
            )
            row["cancel_reason"] = rng.choice(CANCEL_REASONS)
            self._add_placement(row, created, self.at(row["cancelled_on"]))
            return row["cancelled_on"]
        early_end = None
        if rng.random() < 0.12 and weeks * 7 > 14:  # broke down before its planned end
            early_end = start + timedelta(days=rng.randint(14, weeks * 7 - 1))
        extension = self._extension(row, weeks, first_end, planned_end, early_end)
        end = min(early_end, row["planned_end"]) if early_end else row["planned_end"]
        early = end < row["planned_end"]
        recorded_by = end + timedelta(days=rng.randint(0, 10))
        if recorded_by <= today and not (
            end < today < end + timedelta(days=56) and rng.random() < 0.15
        ):
            row["actual_end"] = end
            row["outcome"] = self._outcome(early, school is None)
            row["outcome_notes"] = rng.choice(OUTCOME_NOTES) if rng.random() < 0.3 else None
        last_day = row.get("actual_end") or row["planned_end"]
        reviews = self._review_dates(row, last_day)
        updated = max([start, *reviews[-1:], *([row["actual_end"]] if "actual_end" in row else [])])
        self._add_placement(row, created, self.at(min(updated, today)))
        if extension:
            self.w.add("extension_requests", extension)
        self._reviews(row, reviews, attendance, extension)
        self._attendance(row, last_day, attendance)
        return row.get("actual_end")

    def _add_placement(self, row: dict, created: datetime, updated: datetime) -> None:
        row.update(self.timestamps(created, max(created, updated)))
        self.w.add("placements", row)
        self._audit("placements", row["id"], row, created)

    def _extension(
        self, row: dict, weeks: int, first_end: date, planned_end: date, ended: date | None
    ) -> dict | None:
        """Longer placements were extended at about week ten; a few requests were declined,
        and the latest ones wait for a decision. The request, to add after the placement."""
        rng, today = self.rng, self.today
        start = row["start_date"]
        if weeks > 12:
            status, new_end = ExtensionStatus.APPROVED, planned_end
        elif weeks == 12 and rng.random() < 0.04:
            status, new_end = (
                ExtensionStatus.DECLINED,
                first_end + timedelta(weeks=rng.randint(4, 12)),
            )
        else:
            return None
        requested = start + timedelta(days=rng.randint(56, 77))
        if requested > today or (ended is not None and requested >= ended):
            return None
        decided = requested + timedelta(days=rng.randint(2, 14))
        if decided > today:
            status = ExtensionStatus.PENDING
        elif status is ExtensionStatus.APPROVED:
            row["planned_end"] = new_end
        request = {
            "id": self.w.next_id("extension_requests"),
            "placement_id": row["id"],
            "requested_on": requested,
            "new_end": new_end,
            "reason": rng.choice(EXTENSION_REASONS),
            "status": status,
            "requested_by_id": None,
            "decided_by_id": rng.choice(self.staff)
            if status is not ExtensionStatus.PENDING
            else None,
            "decided_on": decided if status is not ExtensionStatus.PENDING else None,
            "decision_reason": {
                "approved": "Agreed at panel",
                "declined": "Return to school as planned",
                "pending": None,
            }[status.value],
            **self.timestamps(self.at(requested), self.at(min(decided, today))),
        }
        return request

    def _outcome(self, early: bool, no_school: bool) -> PlacementOutcome:
        outcomes = list(PlacementOutcome)  # returned, mainstream, special, AP, EHC, NEET, other
        weights = (10, 8, 10, 30, 10, 20, 12) if early else (55, 12, 8, 10, 7, 4, 4)
        outcome = self.pick(outcomes, weights)
        if no_school and outcome is PlacementOutcome.RETURNED_HOME_SCHOOL:
            return PlacementOutcome.ANOTHER_MAINSTREAM
        return outcome

    def _review_dates(self, row: dict, last_day: date) -> list[date]:
        """Every six weeks or so; a few running placements have missed their latest review."""
        rng = self.rng
        start, until = row["start_date"], min(last_day, self.today)
        dates = []
        day = start + timedelta(days=42 + rng.randint(-7, 7))
        while day <= until:
            dates.append(day)
            day += timedelta(days=42 + rng.randint(-7, 7))
        if "actual_end" not in row:
            if dates and rng.random() < 0.12:
                dates.pop()  # overdue
        elif rng.random() < 0.7 and (not dates or (row["actual_end"] - dates[-1]).days > 14):
            dates.append(max(start, row["actual_end"] - timedelta(days=rng.randint(0, 5))))
        return dates

    def _reviews(
        self, row: dict, dates: list[date], attendance: float, extension: dict | None
    ) -> None:
        rng = self.rng
        ended = "actual_end" in row
        objectives = row["objectives"].split("\n")
        for n, day in enumerate(dates):
            decision = ReviewDecision.CONTINUE
            if ended and n == len(dates) - 1:
                decision = ReviewDecision.END
            elif extension and abs((extension["requested_on"] - day).days) <= 14:
                decision = ReviewDecision.EXTEND
            rate = min(100.0, max(0.0, attendance * 100 + rng.uniform(-8, 8)))
            review = {
                "id": self.w.next_id("reviews"),
                "placement_id": row["id"],
                "review_date": day,
                "attendance_rate": Decimal(f"{rate:.1f}"),
                "progress": [
                    {"objective": o, "progress": rng.choice(PROGRESS)} for o in objectives
                ],
                "notes": rng.choice(REVIEW_NOTES) if rng.random() < 0.4 else None,
                "decision": decision,
                "created_by_id": None,
                **self.timestamps(self.at(day, 15)),
            }
            self.w.add("reviews", review)

    def _attendance(self, row: dict, last_day: date, attendance: float) -> None:
        """Every session in the pattern from the window's start to yesterday; school holidays
        are marked not required, and a few sessions were never recorded."""
        rng = self.rng
        day = max(row["start_date"], self.window)
        until = min(last_day, self.today - timedelta(days=1))
        if "cancelled_on" in row or self.spec.attendance_weeks == 0:
            return
        mask, placement = row["session_mask"], row["id"]
        w, codes = self.w, self.codes
        while day <= until:
            weekday = day.weekday()
            if weekday < 5:
                holiday = in_holiday(day)
                stored_day = w.stored("attendance", "date", day)
                stamp = w.stored("attendance", "created_at", self.at(day, 17))
                for half, session in ((0, self.am), (1, self.pm)):
                    if not mask & slot_bit(weekday, half) or rng.random() < 0.02:
                        continue
                    roll = rng.random()
                    if holiday or roll < 0.01:
                        code = codes[AttendanceCode.NOT_REQUIRED]
                    elif roll < attendance:
                        code = codes[AttendanceCode.PRESENT]
                    elif rng.random() < 0.35:
                        code = codes[AttendanceCode.AUTHORISED]
                    else:
                        code = codes[AttendanceCode.UNAUTHORISED]
                    w.add_stored(  # in ATTENDANCE_COLUMNS order
                        "attendance",
                        (w.next_id("attendance"), placement, stored_day, session, code, None)
                        + (stamp, stamp),
                    )
            day += timedelta(days=1)

    def _audit(self, name: str, record: int, row: dict, when: datetime, redact=frozenset()) -> None:
        """What the audit hook would have written for this insert."""
        changes = {
            key: {"old": None, "new": "[redacted]" if key in redact else _plain(value)}
            for key, value in row.items()
            if value is not None and key not in {"created_at", "updated_at", "placement_lock"}
        }
        self.w.add(
            "audit_events",
            {
                "id": self.w.next_id("audit_events"),
                "occurred_at": when,
                "user_id": None,
                "organisation_id": None,
                "action": "insert",
                "table_name": name,
                "record_id": str(record),
                "changes": changes,
            },
        )

    # -- quality assurance

    def add_quality_assurance(self) -> None:
        for provider in self.providers:
            if provider.approved_on is None:
                continue
            until = (
                self.today
                if provider.status is FrameworkStatus.APPROVED
                else min(provider.until, self.today)
            )
            if provider.status is FrameworkStatus.SUSPENDED:
                until = self.today
            self._inspections(provider, until)
            self._self_assessments(provider, until)

    def _inspections(self, provider: _Provider, until: date) -> None:
        rng = self.rng
        visit = add_months(provider.approved_on, 3) + timedelta(days=rng.randint(-20, 20))
        while visit <= until:
            self._inspection(provider, visit)
            visit = add_months(visit, 12) + timedelta(days=rng.randint(-30, 20))
            if rng.random() < 0.1:
                visit += timedelta(days=rng.randint(30, 90))  # a late one: overdue now and then
        if (
            provider.status is FrameworkStatus.APPROVED
            and visit <= self.today + timedelta(days=60)
            and rng.random() < 0.5
        ):
            planned = max(self.today + timedelta(days=rng.randint(3, 40)), visit)
            self.w.add(
                "inspections",
                {
                    "id": self.w.next_id("inspections"),
                    "provider_id": provider.id,
                    "status": InspectionStatus.PLANNED,
                    "planned_date": planned,
                    "visit_date": None,
                    "inspector_id": rng.choice(self.staff),
                    "overall_outcome": None,
                    "summary": None,
                    "published_at": None,
                    **self.timestamps(self.at(self.today - timedelta(days=20))),
                },
            )

    def _inspection(self, provider: _Provider, visit: date) -> None:
        rng = self.rng
        inspection = self.w.next_id("inspections")
        published = self.at(min(visit + timedelta(days=rng.randint(5, 20)), self.today))
        judgements = {key: self.pick(list(Judgement), (84, 14, 2)) for key, _ in DEFAULT_AREAS}
        if judgements["safeguarding"] is Judgement.NOT_MET and rng.random() < 0.5:
            judgements["safeguarding"] = Judgement.PARTLY_MET
        if judgements["safeguarding"] is Judgement.NOT_MET:
            outcome = InspectionOutcome.NOT_APPROVED
        elif any(j is not Judgement.MET for j in judgements.values()):
            outcome = InspectionOutcome.APPROVED_WITH_ACTIONS
        else:
            outcome = InspectionOutcome.APPROVED
        self.w.add(
            "inspections",
            {
                "id": inspection,
                "provider_id": provider.id,
                "status": InspectionStatus.PUBLISHED,
                "planned_date": visit - timedelta(days=rng.randint(7, 30)),
                "visit_date": visit,
                "inspector_id": rng.choice(self.staff),
                "overall_outcome": outcome,
                "summary": rng.choice(SUMMARIES),
                "published_at": published,
                **self.timestamps(self.at(visit - timedelta(days=40)), published),
            },
        )
        for position, (key, area) in enumerate(DEFAULT_AREAS):
            judgement = judgements[key]
            self.w.add(
                "inspection_judgements",
                {
                    "id": self.w.next_id("inspection_judgements"),
                    "inspection_id": inspection,
                    "area_key": key,
                    "area_name": area,
                    "position": position,
                    "judgement": judgement,
                    "findings": FINDINGS[judgement],
                },
            )
            if judgement is not Judgement.MET:
                self._action(provider, inspection, visit, key)

    def _action(self, provider: _Provider, inspection: int, visit: date, area: str) -> None:
        rng, today = self.rng, self.today
        due = visit + timedelta(weeks=rng.randint(6, 12))
        status, done_on, closed_on = ActionStatus.OPEN, None, None
        if due < today - timedelta(days=30) and rng.random() < 0.95:
            status, done_on = ActionStatus.CLOSED, due - timedelta(days=rng.randint(0, 20))
            closed_on = min(done_on + timedelta(days=rng.randint(3, 20)), today)
        elif rng.random() < 0.4:
            status, done_on = (
                ActionStatus.DONE,
                min(visit + timedelta(days=rng.randint(7, 40)), today),
            )
        self.w.add(
            "inspection_actions",
            {
                "id": self.w.next_id("inspection_actions"),
                "inspection_id": inspection,
                "provider_id": provider.id,
                "description": ACTIONS[area],
                "owner": ActionOwner.PROVIDER if rng.random() < 0.9 else ActionOwner.LA,
                "due_date": due,
                "status": status,
                "done_on": done_on,
                "closed_on": closed_on,
                "provider_note": "Done: evidence sent by email." if done_on else None,
                "la_note": "Checked at follow-up visit." if closed_on else None,
                **self.timestamps(self.at(visit), self.at(closed_on or done_on or visit)),
            },
        )

    def _self_assessments(self, provider: _Provider, until: date) -> None:
        """One a year from three months after approval; the next may be a draft already."""
        rng = self.rng
        due = add_months(provider.approved_on, 3)
        years: set[str] = set()
        while due <= until + timedelta(days=30):
            sent = due - timedelta(days=rng.randint(0, 30))
            year = academic_year(sent)
            if year not in years and (sent <= self.today or rng.random() < 0.5):
                years.add(year)
                self._self_assessment(provider, year, sent)
            due = add_months(due, 12)

    def _self_assessment(self, provider: _Provider, year: str, sent: date) -> None:
        rng, today = self.rng, self.today
        accepted, returned = SelfAssessmentStatus.ACCEPTED, SelfAssessmentStatus.RETURNED
        # each version: (submitted on, reviewed on, review outcome)
        versions: list[tuple[date | None, date | None, SelfAssessmentStatus | None]] = []
        seen = sent + timedelta(days=rng.randint(5, 25))
        if sent > today:
            versions.append((None, None, None))
        elif seen > today:
            versions.append((sent, None, None))
        elif rng.random() < 0.15:
            versions.append((sent, seen, returned))
            again = seen + timedelta(days=rng.randint(7, 30))
            seen_again = again + timedelta(days=rng.randint(5, 25))
            if again <= today:
                versions.append(
                    (again, seen_again, accepted) if seen_again <= today else (again, None, None)
                )
        else:
            versions.append((sent, seen, accepted))
        last_sent, last_seen, last_outcome = versions[-1]
        state = last_outcome or (
            SelfAssessmentStatus.SUBMITTED if last_sent else SelfAssessmentStatus.DRAFT
        )
        assessment = self.w.next_id("self_assessments")
        started = self.at(min(sent, today) - timedelta(days=14))
        self.w.add(
            "self_assessments",
            {
                "id": assessment,
                "provider_id": provider.id,
                "academic_year": year,
                "status": state,
                "accepted_on": last_seen if state is accepted else None,
                **self.timestamps(started, self.at(min(last_seen or last_sent or today, today))),
            },
        )
        for number, (submitted, reviewed, outcome) in enumerate(versions, start=1):
            version = self.w.next_id("self_assessment_versions")
            self.w.add(
                "self_assessment_versions",
                {
                    "id": version,
                    "self_assessment_id": assessment,
                    "number": number,
                    "submitted_at": self.at(submitted) if submitted else None,
                    "submitted_by_id": None,
                    "reviewed_at": self.at(reviewed) if reviewed else None,
                    "reviewed_by_id": rng.choice(self.staff) if reviewed else None,
                    "review_outcome": outcome,
                    "review_comment": "Add evidence of attendance follow-up for each pupil."
                    if outcome is returned
                    else None,
                    **self.timestamps(self.at(submitted or today) if submitted else started),
                },
            )
            for position, (key, area) in enumerate(DEFAULT_AREAS):
                self.w.add(
                    "self_assessment_entries",
                    {
                        "id": self.w.next_id("self_assessment_entries"),
                        "version_id": version,
                        "area_key": key,
                        "area_name": area,
                        "position": position,
                        "rating": self.pick(list(Judgement), (80, 18, 2)),
                        "evidence": rng.choice(EVIDENCE),
                        "la_comment": "Say how you check this."
                        if outcome is returned and position == 2
                        else None,
                    },
                )

    # -- the whole run

    def run(self, la_name: str) -> None:
        self.la = self.la_id(la_name)
        self.add_staff(self.la)
        self.add_schools()
        self.progress(f"{self.spec.schools:,} schools")
        self.add_providers()
        self.progress(f"{self.spec.providers:,} providers")
        self.add_pupils_and_placements()
        self.add_quality_assurance()
        self.progress("inspections and self-assessments")


def _unique_name(name: str, taken: set[str]) -> str:
    """`name`, or `name (2)`, `name (3)`... whichever is free; and now taken."""
    found, suffix = name, 2
    while found in taken:
        found, suffix = f"{name} ({suffix})", suffix + 1
    taken.add(found)
    return found


def _plain(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if hasattr(value, "value"):  # an enum member
        return value.value
    return value


def has_placements() -> bool:
    return db.session.execute(text("SELECT 1 FROM placements LIMIT 1")).first() is not None


def check_schema() -> None:
    missing = {"placements", "attendance", "audit_events"} - set(
        inspect(db.engine).get_table_names()
    )
    if missing:
        raise SeedRefused("The database has no tables yet. Run `flask db upgrade` first.")


def seed_scale(
    spec: ScaleSpec, *, today: date, now: datetime, la_name: str, echo=print
) -> tuple[dict[str, int], float]:
    """Write the data set in one transaction; returns rows written per table and seconds."""
    check_schema()
    started = time.perf_counter()
    with db.engine.begin() as connection:
        if connection.dialect.name == "sqlite":
            connection.exec_driver_sql("PRAGMA cache_size = -200000")  # 200 MB for the indexes
        writer = BulkWriter(connection, now=now)
        ScaleBuilder(spec, writer, today=today, now=now, echo=echo).run(la_name)
        writer.finish()
        # bulk rows bypass the session hook that keeps the dashboard's attendance totals
        days = attendance_totals.rebuild(connection)
        echo(f"  attendance day totals ({days:,} rows)")
        echo(f"  written ({time.perf_counter() - started:.0f} s); committing")
    if db.engine.dialect.name == "postgresql":
        # What autovacuum would do soon after a load this size: statistics for the planner,
        # and the visibility map that lets it answer from an index alone.
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.exec_driver_sql("VACUUM ANALYZE")
    return {name: writer.counts[name] for name in ORDER if writer.counts[name]}, (
        time.perf_counter() - started
    )


def row_counts() -> dict[str, int]:
    """Rows in each table seed-scale writes to."""
    return {
        name: db.session.scalar(select(func.count()).select_from(db.metadata.tables[name]))
        for name in ORDER
    }
