"""Demo providers: one of each registration type and framework status, with their documents,
and the decisions that brought each to its status."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from apregister.models import (
    DocumentKind,
    FrameworkDecision,
    FrameworkStatus,
    OfstedJudgement,
    RegistrationType,
    Role,
    User,
)
from apregister.providers import operations, rules
from apregister.providers.applying import unused_reference
from apregister.providers.operations import ProviderDetails
from apregister.uploads import check_upload


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


def seed_provider(spec: DemoProvider, *, today: date, lead: User) -> None:
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
