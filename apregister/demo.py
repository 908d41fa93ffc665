"""Demo data: an LA, its schools and providers, and one account per role. Safe to run twice."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from apregister.extensions import db
from apregister.models import (
    FrameworkStatus,
    LocalAuthority,
    Organisation,
    Provider,
    RegistrationType,
    Role,
    School,
    SchoolPhase,
    User,
)
from apregister.users.operations import add_user

DEFAULT_DEMO_PASSWORD = "demo-register-2026"

SCHOOLS = [
    ("Northfield Academy", "140001", SchoolPhase.SECONDARY),
    ("Riverside High School", "140002", SchoolPhase.SECONDARY),
    ("St Anne's CE Primary School", "140003", SchoolPhase.PRIMARY),
    ("Hillcrest Primary School", "140004", SchoolPhase.PRIMARY),
    ("Oakwood All-Through School", "140005", SchoolPhase.ALL_THROUGH),
    ("Meadowbank Special School", "140006", SchoolPhase.SPECIAL),
]

PROVIDERS = [
    ("Bridge Pupil Referral Unit", RegistrationType.PUPIL_REFERRAL_UNIT, FrameworkStatus.APPROVED),
    ("Compass Skills Centre", RegistrationType.VOCATIONAL, FrameworkStatus.APPROVED),
    ("Horizon AP Academy", RegistrationType.AP_ACADEMY, FrameworkStatus.APPROVED),
    ("Northgate Tuition", RegistrationType.TUITION, FrameworkStatus.APPROVED),
    ("Willow Therapeutic Education", RegistrationType.THERAPEUTIC, FrameworkStatus.SUSPENDED),
    ("City Hospital School", RegistrationType.HOSPITAL_SCHOOL, FrameworkStatus.APPROVED),
    ("Forge Motor Vehicle Training", RegistrationType.WORK_BASED, FrameworkStatus.APPLIED),
    ("Brightside Online Learning", RegistrationType.ONLINE, FrameworkStatus.REMOVED),
    ("Eastgate College", RegistrationType.FE_COLLEGE, FrameworkStatus.WITHDRAWN),
]


@dataclass(frozen=True)
class DemoAccount:
    email: str
    name: str
    role: Role
    organisation: str  # an organisation's name


def demo_accounts(la_name: str) -> list[DemoAccount]:
    return [
        DemoAccount("lead@demo.test", "Alex Morgan", Role.LA_LEAD, la_name),
        DemoAccount("officer@demo.test", "Sam Patel", Role.LA_OFFICER, la_name),
        DemoAccount("school@demo.test", "Jo Williams", Role.SCHOOL, SCHOOLS[0][0]),
        DemoAccount("school2@demo.test", "Chris Evans", Role.SCHOOL, SCHOOLS[1][0]),
        DemoAccount("provider@demo.test", "Priya Shah", Role.PROVIDER, PROVIDERS[0][0]),
        DemoAccount("provider2@demo.test", "Tom Reid", Role.PROVIDER, PROVIDERS[1][0]),
        DemoAccount("board@demo.test", "Helen Okafor", Role.BOARD, la_name),
    ]


def _get_or_add(model, name: str, **values):
    found = db.session.scalars(select(model).where(model.name == name)).first()
    if found is None:
        found = model(name=name, **values)
        db.session.add(found)
    return found


def database_is_empty() -> bool:
    return db.session.scalar(select(Organisation.id).limit(1)) is None


def seed_demo(*, la_name: str, password: str) -> list[DemoAccount]:
    """Add whatever of the demo set is missing; flush, and return the demo accounts."""
    _get_or_add(LocalAuthority, la_name)
    for name, urn, phase in SCHOOLS:
        _get_or_add(School, name, urn=urn, phase=phase)
    for name, registration, status in PROVIDERS:
        _get_or_add(Provider, name, registration_type=registration, framework_status=status)
    db.session.flush()

    organisations = {org.name: org for org in db.session.scalars(select(Organisation))}
    accounts = demo_accounts(la_name)
    existing = set(db.session.scalars(select(User.email)))
    for account in accounts:
        if account.email in existing:
            continue
        add_user(
            email=account.email,
            name=account.name,
            role=account.role,
            organisation_id=organisations[account.organisation].id,
            password=password,
        )
    db.session.flush()
    return accounts
