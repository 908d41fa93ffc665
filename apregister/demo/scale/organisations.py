"""The LA, its QA officers, and the schools that commission placements."""

from __future__ import annotations

from itertools import accumulate

from sqlalchemy import text

from apregister.demo.scale.run import ScaleRun, ScaleSchool
from apregister.demo.scale.words import FEATURES, SAINTS, SECONDARY_KINDS, TOWNS
from apregister.models import OrganisationKind, Role, SchoolPhase

SEED_EMAIL_DOMAIN = "seed-scale.example.org"


def add_la(run: ScaleRun, la_name: str) -> int:
    found = run.writer.connection.execute(
        text("SELECT id FROM organisations WHERE kind = :kind ORDER BY id LIMIT 1"),
        {"kind": OrganisationKind.LA.value},
    ).scalar()
    if found is not None:
        return found
    la = run.writer.next_id("organisations")
    stamp = run.at(run.first_day)
    run.writer.add(
        "organisations", {"id": la, "kind": "la", "name": la_name, **run.timestamps(stamp)}
    )
    return la


def add_staff(run: ScaleRun, la: int) -> None:
    """QA officers who inspect and decide (they cannot sign in: their hash is unusable)."""
    existing = run.writer.connection.execute(
        text("SELECT id FROM users WHERE email LIKE :pattern ORDER BY id"),
        {"pattern": f"%@{SEED_EMAIL_DOMAIN}"},
    ).scalars()
    run.staff = list(existing)
    if run.staff:
        return
    for n, name in enumerate(("Jane Okoro", "Mark Ellis", "Ruth Bhatt", "Dan Frost", "Amy Cole")):
        user = run.writer.next_id("users")
        email = f"{name.lower().replace(' ', '.')}.{n}@{SEED_EMAIL_DOMAIN}"
        run.writer.add(
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
                **run.timestamps(run.at(run.first_day)),
            },
        )
        run.staff.append(user)


def add_schools(run: ScaleRun) -> None:
    used_urns = set(run.writer.connection.execute(text("SELECT urn FROM schools")).scalars())
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
    for index in range(run.spec.schools):
        phase = phases[index] if index < 4 else run.pick(phases, (76, 17, 2, 5))
        place, feature = run.rng.choice(TOWNS), run.rng.choice(FEATURES)
        name = {
            SchoolPhase.PRIMARY: f"{place} {feature} Primary School",
            SchoolPhase.SECONDARY: f"{place} {run.rng.choice(SECONDARY_KINDS)}",
            SchoolPhase.ALL_THROUGH: f"{place} {feature} All-Through School",
            SchoolPhase.SPECIAL: f"{feature} School, {place}",
        }[phase]
        if phase is SchoolPhase.PRIMARY and run.rng.random() < 0.3:
            name = f"St {run.rng.choice(SAINTS)}'s CE Primary School, {place}"
        name = _unique_name(name, names)
        while str(urn) in used_urns:
            urn += 1
        used_urns.add(str(urn))
        numbers[phase] += 1
        org = run.writer.next_id("organisations")
        stamp = run.at(run.first_day)
        run.writer.add(
            "organisations",
            {"id": org, "kind": "school", "name": name, **run.timestamps(stamp)},
        )
        run.writer.add("schools", {"id": org, "urn": str(urn), "phase": phase})
        run.schools.append(ScaleSchool(org, phase, numbers[phase] % 10000))
    run.by_phase = {phase: [s for s in run.schools if s.phase is phase] for phase in phases}
    run.school_weights = {
        phase: list(accumulate(run.rng.lognormvariate(0, 0.8) for _ in found))
        for phase, found in run.by_phase.items()
    }


def _unique_name(name: str, taken: set[str]) -> str:
    """`name`, or `name (2)`, `name (3)`... whichever is free; and now taken."""
    found, suffix = name, 2
    while found in taken:
        found, suffix = f"{name} ({suffix})", suffix + 1
    taken.add(found)
    return found
