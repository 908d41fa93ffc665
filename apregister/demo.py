"""Demo data: an LA, its schools and providers, and one account per role. Safe to run twice."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import select

from apregister.demo_board import seed_board
from apregister.demo_checks import seed_checks
from apregister.demo_placements import seed_placements
from apregister.demo_qa import seed_qa
from apregister.extensions import db
from apregister.models import (
    DocumentKind,
    FrameworkDecision,
    FrameworkStatus,
    LocalAuthority,
    OfstedJudgement,
    Organisation,
    Placement,
    Provider,
    RegistrationType,
    Role,
    School,
    SchoolPhase,
    User,
)
from apregister.providers import operations, rules
from apregister.providers.applying import unused_reference
from apregister.providers.operations import ProviderDetails
from apregister.uploads import check_upload
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
class DemoProvider:
    name: str
    registration: RegistrationType
    status: FrameworkStatus
    area: str
    specialisms: tuple[str, ...] = ()
    provision: tuple[str, ...] = ()
    urn: str | None = None
    ukprn: str | None = None
    # days from today on which each document expires (None: no document of that kind)
    insurance_expires_in: int | None = 200


PROVIDERS = [
    DemoProvider(
        "Bridge Pupil Referral Unit",
        RegistrationType.PUPIL_REFERRAL_UNIT,
        FrameworkStatus.APPROVED,
        "North",
        ("semh",),
        ("academic",),
        urn="140101",
    ),
    DemoProvider(
        "Compass Skills Centre",
        RegistrationType.VOCATIONAL,
        FrameworkStatus.APPROVED,
        "East",
        ("semh", "learning"),
        ("vocational", "work_based"),
        insurance_expires_in=20,
    ),
    DemoProvider(
        "Horizon AP Academy",
        RegistrationType.AP_ACADEMY,
        FrameworkStatus.APPROVED,
        "South",
        ("semh", "autism"),
        ("academic",),
        urn="140102",
    ),
    DemoProvider(
        "Northgate Tuition",
        RegistrationType.TUITION,
        FrameworkStatus.APPROVED,
        "North",
        ("ebsa", "medical"),
        ("tuition", "online"),
        ukprn="10012345",
    ),
    DemoProvider(
        "Willow Therapeutic Education",
        RegistrationType.THERAPEUTIC,
        FrameworkStatus.SUSPENDED,
        "West",
        ("semh", "ebsa"),
        ("therapeutic",),
        insurance_expires_in=-10,
    ),
    DemoProvider(
        "City Hospital School",
        RegistrationType.HOSPITAL_SCHOOL,
        FrameworkStatus.APPROVED,
        "Central",
        ("medical",),
        ("medical", "academic"),
        urn="140103",
    ),
    DemoProvider(
        "Forge Motor Vehicle Training",
        RegistrationType.WORK_BASED,
        FrameworkStatus.APPLIED,
        "East",
        ("learning",),
        ("vocational", "work_based"),
        insurance_expires_in=None,
    ),
    DemoProvider(
        "Brightside Online Learning",
        RegistrationType.ONLINE,
        FrameworkStatus.REMOVED,
        "Central",
        ("ebsa",),
        ("online",),
    ),
    DemoProvider(
        "Eastgate College",
        RegistrationType.FE_COLLEGE,
        FrameworkStatus.WITHDRAWN,
        "East",
        ("learning",),
        ("vocational",),
        ukprn="10054321",
    ),
]

# The route each demo provider took to its status, as (decision, reason).
ROUTES = {
    FrameworkStatus.APPLIED: [],
    FrameworkStatus.APPROVED: [(FrameworkDecision.APPROVE, "Admission checks complete")],
    FrameworkStatus.SUSPENDED: [
        (FrameworkDecision.APPROVE, "Admission checks complete"),
        (FrameworkDecision.SUSPEND, "Public liability insurance lapsed"),
    ],
    FrameworkStatus.REMOVED: [
        (FrameworkDecision.APPROVE, "Admission checks complete"),
        (FrameworkDecision.REMOVE, "No longer meets the framework's quality standards"),
    ],
    FrameworkStatus.WITHDRAWN: [
        (FrameworkDecision.APPROVE, "Admission checks complete"),
        (FrameworkDecision.WITHDRAW, "Provider stopped offering places to the LA"),
    ],
}

# A one-page PDF, enough to open in a viewer.
DEMO_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


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


def _seed_provider(spec: DemoProvider, *, today: date, lead: User) -> None:
    details = ProviderDetails(
        name=spec.name,
        registration_type=spec.registration,
        legal_name=f"{spec.name} Ltd",
        urn=spec.urn,
        ukprn=spec.ukprn,
        ofsted_judgement=OfstedJudgement.GOOD if spec.registration.is_registered else None,
        ofsted_date=today - timedelta(days=400) if spec.registration.is_registered else None,
        description=f"{spec.name} offers small-group alternative provision for pupils "
        "who need a fresh start, with a plan to return to school.",
        address_line_1="1 High Street",
        town="Demoton",
        postcode="DE1 1AA",
        area=spec.area,
        capacity=24,
        daily_rate=Decimal("85.00"),
        contact_name="Office manager",
        contact_email=f"office@{spec.name.lower().split()[0]}.example",
        contact_phone="01632960001",
        safeguarding_lead_name="Designated safeguarding lead",
        safeguarding_lead_email=f"dsl@{spec.name.lower().split()[0]}.example",
        provision_types=list(spec.provision),
        specialisms=list(spec.specialisms),
        key_stages=["ks3", "ks4"],
    )
    applied_on = today - timedelta(days=500)
    provider = operations.add_provider(
        details,
        status=FrameworkStatus.APPLIED,
        reason="Applied to join the framework",
        today=applied_on,
        by=None,
    )
    if spec.insurance_expires_in is not None:
        for kind in rules.REQUIRED_DOCUMENTS:
            expires = (
                today + timedelta(days=spec.insurance_expires_in)
                if kind is DocumentKind.INSURANCE
                else None
            )
            upload = check_upload(DEMO_PDF, stem=kind.value.replace("_", "-"))
            assert not isinstance(upload, str)
            operations.add_document(
                provider,
                kind=kind,
                title=kind.label,
                issued_on=applied_on,
                expires_on=expires,
                upload=upload,
                by=lead,
            )
    if spec.status is FrameworkStatus.APPLIED:
        # a pending application as the public form leaves it: a reference and a document sent
        provider.application_reference = unused_reference()
        upload = check_upload(DEMO_PDF, stem="safeguarding-policy")
        assert not isinstance(upload, str)
        operations.add_document(
            provider,
            kind=DocumentKind.SAFEGUARDING_POLICY,
            title=DocumentKind.SAFEGUARDING_POLICY.label,
            issued_on=None,
            expires_on=None,
            upload=upload,
            by=None,
        )
    for step, (decision, reason) in enumerate(ROUTES[spec.status], start=1):
        operations.decide(
            provider,
            decision,
            reason=reason,
            role=Role.LA_LEAD,
            today=applied_on + timedelta(days=30 * step),
            by=lead,
            override="Demo data" if decision is FrameworkDecision.APPROVE else None,
        )


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
            _seed_provider(spec, today=today, lead=lead)
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
    return accounts
