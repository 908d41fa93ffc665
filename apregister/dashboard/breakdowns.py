"""Active placements broken down by reason, provider, school, school phase and registration
status: one grouped count over the active placements, then the names of the providers and
schools that appear in it (three queries)."""

from __future__ import annotations

from collections import Counter

from sqlalchemy import Select, String, func, select, type_coerce

from apregister.extensions import db
from apregister.models import REGISTERED_TYPES, Organisation, Placement, Provider, School
from apregister.models.enums import PlacementReason, RegistrationType, SchoolPhase

NO_SCHOOL = "LA (no school place)"


def breakdowns_on(active: Select) -> dict[str, list[tuple[str, int]]]:
    """`active` is an access-scoped select of the placements to count."""
    # the reason as stored, not an enum member for each of thousands of groups
    reason = type_coerce(Placement.reason, String)
    groups = db.session.execute(
        active.with_only_columns(reason, Placement.provider_id, Placement.school_id, func.count())
        .select_from(Placement)
        .group_by(reason, Placement.provider_id, Placement.school_id)
        .order_by(None)
    ).all()
    labels = {member.value: member.label for member in PlacementReason}
    reasons: Counter[str] = Counter()
    by_provider: Counter[int] = Counter()
    by_school: Counter[int | None] = Counter()
    for stored, provider_id, school_id, n in groups:
        reasons[labels[stored]] += n
        by_provider[provider_id] += n
        by_school[school_id] += n
    providers = _providers(set(by_provider))
    schools = _schools({school_id for school_id in by_school if school_id is not None})

    registration: Counter[str] = Counter()
    for provider_id, n in by_provider.items():
        registered = providers[provider_id][1] in REGISTERED_TYPES
        registration["Registered" if registered else "Unregistered"] += n
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
    }


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
