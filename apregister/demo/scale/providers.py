"""Providers: the register entry (name, profile, tags), its history on the framework, and the
pools of approved providers that placements are made with."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import text

from apregister.demo.scale.framework import STATUS_WEIGHTS, STATUSES, add_documents, status_route
from apregister.demo.scale.run import ProviderPool, ScaleProvider, ScaleRun
from apregister.demo.scale.words import (
    ADJECTIVES,
    AREAS,
    FEATURES,
    FIRST_NAMES,
    LAST_NAMES,
    NOUNS,
    TOWNS,
)
from apregister.models import (
    REGISTERED_TYPES,
    FrameworkStatus,
    KeyStage,
    RegistrationType,
    Sex,
    Specialism,
)
from apregister.models.provider import name_key

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
# Where medical placements and permanently excluded pupils mostly go
MEDICAL_TYPES = (
    RegistrationType.HOSPITAL_SCHOOL,
    RegistrationType.THERAPEUTIC,
    RegistrationType.ONLINE,
)
EXCLUDED_TYPES = (RegistrationType.PUPIL_REFERRAL_UNIT, RegistrationType.AP_ACADEMY)


def add_providers(run: ScaleRun) -> None:
    taken = {
        key: set(run.writer.connection.execute(text(f"SELECT {key} FROM providers")).scalars())
        for key in ("name_key", "urn", "ukprn")
    }
    types = list(RegistrationType)
    for index in range(run.spec.providers):
        kind = types[index] if index < len(types) else run.pick(types, TYPE_WEIGHTS)
        status = STATUSES[index % len(STATUSES)]
        if index >= len(STATUSES):
            status = run.pick(STATUSES, STATUS_WEIGHTS)
        name = _provider_name(run, kind, taken["name_key"])
        _add_provider(run, index, kind, status, name, taken)
    approved = [p for p in run.providers if p.approved_on]
    run.pools = {
        "all": ProviderPool(approved),
        "medical": ProviderPool([p for p in approved if p.registration in MEDICAL_TYPES]),
        "excluded": ProviderPool([p for p in approved if p.registration in EXCLUDED_TYPES]),
    }
    run.unlisted = [p for p in run.providers if p.status is FrameworkStatus.NOT_ON_FRAMEWORK]


def _provider_name(run: ScaleRun, kind: RegistrationType, taken: set[str]) -> str:
    pattern = run.rng.choice(PROVIDER_NAMES[kind])
    name = pattern.format(
        town=run.rng.choice(TOWNS),
        noun=run.rng.choice(NOUNS),
        adj=run.rng.choice(ADJECTIVES),
        surname=run.rng.choice(LAST_NAMES),
    )
    found, suffix = name, 2
    while name_key(found) in taken:
        found, suffix = f"{name} ({suffix})", suffix + 1
    taken.add(name_key(found))
    return found


def _person(run: ScaleRun, sex: Sex) -> str:
    return f"{run.rng.choice(FIRST_NAMES[sex])} {run.rng.choice(LAST_NAMES)}"


def _sometimes(run: ScaleRun, chance: float, value: Any) -> Any:
    return value if run.rng.random() < chance else None


def _profile(run: ScaleRun, index: int, name: str, kind: RegistrationType, taken: dict) -> dict:
    """The register entry's own fields."""
    rng, today = run.rng, run.today
    registered = kind in REGISTERED_TYPES
    urn = ukprn = None
    if registered and kind is not RegistrationType.FE_COLLEGE:
        urn = _unique(lambda: str(rng.randint(130000, 149999)), taken["urn"])
    if kind is RegistrationType.FE_COLLEGE or (not registered and rng.random() < 0.2):
        ukprn = _unique(lambda: str(rng.randint(10000000, 10099999)), taken["ukprn"])
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
        "company_number": _sometimes(run, 0.7, f"{rng.randint(1000000, 99999999):08d}"),
        "charity_number": _sometimes(run, 0.25, str(rng.randint(1000000, 1199999))),
        "ofsted_judgement": run.pick(judgements, (15, 60, 20, 5)) if registered else None,
        "ofsted_date": run.between(today - timedelta(days=1500), today) if registered else None,
        "description": f"{name} offers {offer} alternative provision in small groups, "
        "with a plan for every pupil's return to school.",
        "address_line_1": f"{rng.randint(1, 200)} {rng.choice(FEATURES)} Road",
        "town": rng.choice(TOWNS),
        "postcode": f"{prefix}{rng.randint(1, 20)} {rng.randint(1, 9)}"
        f"{rng.choice('ABDEFGHJ')}{rng.choice('LNPQRSTUWXYZ')}",
        "area": area,
        "capacity": rng.randint(low, high),
        "daily_rate": Decimal(rng.randrange(6000, 26000, 500)) / 100,
        "website": _sometimes(run, 0.8, f"https://www.{domain}"),
        "contact_name": _person(run, Sex.FEMALE),
        "contact_email": f"office@{domain}",
        "contact_phone": f"01632 {rng.randint(960000, 960999)}",
        "safeguarding_lead_name": _person(run, Sex.MALE),
        "safeguarding_lead_email": f"dsl@{domain}",
        "internal_notes": _sometimes(run, 0.1, "Check capacity before commissioning in summer."),
    }


def _add_provider(run: ScaleRun, index, kind, status, name, taken) -> None:
    route, approved_on, until = status_route(run, index, status)
    profile = _profile(run, index, name, kind, taken)
    org = run.writer.next_id("organisations")
    stamps = run.timestamps(run.at(route[0][3]), run.at(route[-1][3]))
    run.writer.add("organisations", {"id": org, "kind": "provider", "name": name, **stamps})
    run.writer.add(
        "providers",
        {"id": org, "framework_status": status, "approved_on": approved_on, **profile},
    )
    _provider_tags(run, org, kind)
    for from_status, to_status, reason, day in route:
        run.writer.add(
            "framework_status_changes",
            {
                "id": run.writer.next_id("framework_status_changes"),
                "provider_id": org,
                "from_status": from_status,
                "to_status": to_status,
                "reason": reason,
                "changed_on": day,
                "changed_at": run.at(day),
                "changed_by_id": None if from_status is None else run.rng.choice(run.staff),
                "checklist_override": None,
            },
        )
    if approved_on is not None and run.rng.random() < 0.9:
        left = until if status is not FrameworkStatus.APPROVED else None
        add_documents(run, org, approved_on, left)
    run.providers.append(
        ScaleProvider(
            org, kind, status, approved_on, until, profile["capacity"], profile["daily_rate"]
        )
    )


def _unique(make: Callable[[], str], taken: set[str]) -> str:
    value = make()
    while value in taken:
        value = make()
    taken.add(value)
    return value


def _provider_tags(run: ScaleRun, provider: int, kind: RegistrationType) -> None:
    rng = run.rng
    primary = rng.random() < 0.15
    tags = {("provision_type", value) for value in TYPE_PROVISION[kind][: rng.randint(1, 3)]}
    tags |= {("specialism", s.value) for s in rng.sample(list(Specialism), rng.randint(1, 3))}
    stages = (KeyStage.KS1, KeyStage.KS2) if primary else (KeyStage.KS3, KeyStage.KS4)
    if kind is RegistrationType.FE_COLLEGE:
        stages = (KeyStage.KS4, KeyStage.KS5)
    tags |= {("key_stage", stage.value) for stage in stages}
    for kind_, value in sorted(tags):
        run.writer.add(
            "provider_tags",
            {
                "id": run.writer.next_id("provider_tags"),
                "provider_id": provider,
                "kind": kind_,
                "value": value,
            },
        )
