"""Demo data: an LA, its schools and providers, and one account per role. Safe to run twice."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from apregister.demo.board import seed_board
from apregister.demo.checks import seed_checks
from apregister.demo.imports import seed_imports
from apregister.demo.placements import seed_placements
from apregister.demo.providers import PROVIDERS, seed_provider
from apregister.demo.qa import seed_qa
from apregister.extensions import db
from apregister.models import (
    LocalAuthority,
    Organisation,
    Placement,
    Provider,
    Role,
    School,
    SchoolPhase,
    User,
)
from apregister.settings import current_settings
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
        DemoAccount("provider@demo.test", "Priya Shah", Role.PROVIDER, PROVIDERS[0].name),
        DemoAccount("provider2@demo.test", "Tom Reid", Role.PROVIDER, PROVIDERS[1].name),
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


def seed_demo(*, la_name: str, password: str, today: date | None = None) -> list[DemoAccount]:
    """Add whatever of the demo set is missing; flush, and return the demo accounts."""
    today = today or date.today()
    _get_or_add(LocalAuthority, la_name)
    for name, urn, phase in SCHOOLS:
        _get_or_add(School, name, urn=urn, phase=phase)
    db.session.flush()
    la = db.session.scalars(select(LocalAuthority)).first()
    lead = db.session.scalars(select(User).where(User.email == "lead@demo.test")).first()
    if lead is None:
        lead = add_user(
            email="lead@demo.test",
            name="Alex Morgan",
            role=Role.LA_LEAD,
            organisation_id=la.id,
            password=password,
        )
    existing = set(db.session.scalars(select(Provider.name)))
    for spec in PROVIDERS:
        if spec.name not in existing:
            seed_provider(spec, today=today, lead=lead)
    db.session.flush()

    organisations = {org.name: org for org in db.session.scalars(select(Organisation))}
    seed_placements(
        today=today,
        schools=[organisations[SCHOOLS[0][0]], organisations[SCHOOLS[1][0]]],
        providers={p.name: p for p in db.session.scalars(select(Provider))},
        la=la,
        lead=lead,
    )
    accounts = demo_accounts(la_name)
    existing = set(db.session.scalars(select(User.email)))
    officer = db.session.scalars(select(User).where(User.email == "officer@demo.test")).first()
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
    officer = (
        officer or db.session.scalars(select(User).where(User.email == "officer@demo.test")).one()
    )
    seed_qa(
        today=today,
        providers={p.name: p for p in db.session.scalars(select(Provider))},
        lead=lead,
        officer=officer,
    )
    seed_board(
        today=today,
        schools=[organisations[name] for name, _, _ in SCHOOLS[2:]],
        la=la,
        providers={p.name: p for p in db.session.scalars(select(Provider))},
        lead=lead,
    )
    # the placement off the framework still to review also runs without its checks
    unchecked = db.session.scalars(
        select(Placement.id).where(
            Placement.off_framework.is_(True), Placement.off_framework_reviewed_on.is_(None)
        )
    )
    seed_checks(today=today, lead=lead, running_without=set(unchecked))
    seed_imports(today=today, lead=lead, settings=current_settings())
    return accounts
