"""Active placements broken down by reason, provider, school, school phase, registration
status and (by registration status) off framework: one grouped count over the active
placements, then the names of the providers and schools that appear in it (three queries).

The board's breakdowns (never by provider or school) are one grouped count that also holds
each placement's pupil's flags and the bucket of its start; the groups are kept (as a
Population) for the board's check."""

from __future__ import annotations

from collections import Counter

from sqlalchemy import Select, String, case, func, select, type_coerce

from apregister.dashboard.active import traits_of
from apregister.dashboard.audit import Group, Population
from apregister.extensions import db
from apregister.models import (
    REGISTERED_TYPES,
    Organisation,
    Placement,
    Provider,
    Pupil,
    School,
    SenStatus,
)
from apregister.models.enums import PlacementReason, RegistrationType, SchoolPhase
from apregister.sql import Buckets

NO_SCHOOL = "LA (no school place)"
REGISTERED, UNREGISTERED = "Registered", "Unregistered"
BOARD_TABLES = ("reason", "registration", "phase", "off_framework")


def breakdowns_on(active: Select) -> dict[str, list[tuple[str, int]]]:
    """`active` is an access-scoped select of the placements to count."""
    # the reason as stored, not an enum member for each of thousands of groups
    reason = type_coerce(Placement.reason, String)
    columns = (reason, Placement.provider_id, Placement.school_id, Placement.off_framework)
    groups = db.session.execute(
        active.with_only_columns(*columns, func.count())
        .select_from(Placement)
        .group_by(*columns)
        .order_by(None)
    ).all()
    labels = {member.value: member.label for member in PlacementReason}
    reasons: Counter[str] = Counter()
    by_provider: Counter[int] = Counter()
    by_school: Counter[int | None] = Counter()
    off_by_provider: Counter[int] = Counter()
    for stored, provider_id, school_id, off_framework, n in groups:
        reasons[labels[stored]] += n
        by_provider[provider_id] += n
        by_school[school_id] += n
        off_by_provider[provider_id] += n if off_framework else 0
    providers = _providers(set(by_provider))
    schools = _schools({school_id for school_id in by_school if school_id is not None})

    registration: Counter[str] = Counter()
    off_framework: Counter[str] = Counter()
    for provider_id, n in by_provider.items():
        status = REGISTERED if providers[provider_id][1] in REGISTERED_TYPES else UNREGISTERED
        registration[status] += n
        off_framework[status] += off_by_provider[provider_id]
    phases: Counter[str] = Counter()
    for school_id, n in by_school.items():
        phases[schools[school_id][2].label if school_id is not None else NO_SCHOOL] += n
    return {
        "reason": sorted(reasons.items()),
        "provider": [
            (providers[provider_id][0], by_provider[provider_id])
            for provider_id in sorted(by_provider, key=lambda pid: (providers[pid][0], pid))
        ],
        "school": _school_rows(by_school, schools),
        "phase": sorted(phases.items()),
        "registration": sorted(registration.items()),
        "off_framework": [(key, off_framework[key]) for key in (REGISTERED, UNREGISTERED)],
    }


def board_breakdowns_on(
    active: Select, buckets: Buckets
) -> tuple[dict[str, list[tuple[str, int]]], Population]:
    """The board's tables (by reason, registration status, school phase, and off framework
    by registration status: never by provider or school), and the groups they come from,
    with their traits and the buckets of their start, for the board's check. One query: the
    providers' registration types and the schools' phases are joined in, not looked up."""
    reason = type_coerce(Placement.reason, String)
    pupils, providers, schools = Pupil.__table__, Provider.__table__, School.__table__
    columns = (
        reason,
        providers.c.registration_type,
        schools.c.phase,
        case((Placement.off_framework.is_(True), 1), else_=0),
        case((pupils.c.sen_status == SenStatus.EHC_PLAN.value, 1), else_=0),
        case((pupils.c.looked_after.is_(True), 1), else_=0),
        case((pupils.c.disadvantaged.is_(True), 1), else_=0),
        buckets.of(Placement.start_date),
    )
    rows = db.session.execute(
        active.with_only_columns(*columns, func.count())
        .select_from(Placement)
        .join(pupils, pupils.c.id == Placement.pupil_id)
        .join(providers, providers.c.id == Placement.provider_id)
        .outerjoin(schools, schools.c.id == Placement.school_id)
        .group_by(*columns)
        .order_by(None)
    ).all()
    reasons = {member.value: member.label for member in PlacementReason}
    registered = {kind.value for kind in REGISTERED_TYPES}
    phases = {phase.value: phase.label for phase in SchoolPhase}
    tables: dict[str, Counter[str]] = {key: Counter() for key in BOARD_TABLES}
    alike: Counter[tuple[frozenset[str], int]] = Counter()
    for stored, kind, phase, off, ehc, cared_for, poor, started, n in rows:
        status = REGISTERED if kind in registered else UNREGISTERED
        phase_label = phases[phase] if phase is not None else NO_SCHOOL
        tables["reason"][reasons[stored]] += n
        tables["registration"][status] += n
        tables["phase"][phase_label] += n
        tables["off_framework"][status] += n if off else 0
        traits = traits_of((ehc, cared_for, poor, off)) | {
            f"reason:{reasons[stored]}",
            status.lower(),
            f"phase:{phase_label}",
        }
        alike[traits, started] += n
    found = {key: sorted(counts.items()) for key, counts in tables.items()}
    found["off_framework"] = [
        (status, tables["off_framework"][status]) for status in (REGISTERED, UNREGISTERED)
    ]
    # active on the day counted: each ends after every edge (none is later than that day)
    groups = (Group(n, started, buckets.beyond, traits) for (traits, started), n in alike.items())
    return found, Population(buckets, tuple(groups))


def _providers(ids: set[int]) -> dict[int, tuple[str, RegistrationType]]:
    organisations, providers = Organisation.__table__, Provider.__table__
    rows = db.session.execute(
        select(organisations.c.id, organisations.c.name, providers.c.registration_type)
        .join(providers, providers.c.id == organisations.c.id)
        .where(organisations.c.id.in_(ids))
    )
    return {pid: (name, RegistrationType(kind)) for pid, name, kind in rows}


def _schools(ids: set[int]) -> dict[int, tuple[str, str | None, SchoolPhase]]:
    organisations, schools = Organisation.__table__, School.__table__
    rows = db.session.execute(
        select(organisations.c.id, organisations.c.name, schools.c.urn, schools.c.phase)
        .join(schools, schools.c.id == organisations.c.id)
        .where(organisations.c.id.in_(ids))
    )
    return {sid: (name, urn, SchoolPhase(phase)) for sid, name, urn, phase in rows}


def _school_rows(
    by_school: Counter[int | None], schools: dict[int, tuple[str, str | None, SchoolPhase]]
) -> list[tuple[str, int]]:
    """By name (two schools may share one: then the URN tells them apart); the LA's own
    pupils, with no school place, last."""
    names = Counter(name for name, _, _ in schools.values())
    rows = []
    for school_id in sorted(schools, key=lambda sid: (schools[sid][0], sid)):
        name, urn, _ = schools[school_id]
        label = f"{name} (URN {urn})" if names[name] > 1 and urn else name
        rows.append((label, by_school[school_id]))
    if by_school.get(None):
        rows.append((NO_SCHOOL, by_school[None]))
    return rows
