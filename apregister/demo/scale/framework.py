"""A provider's way onto the framework (and off it), and the compliance documents it keeps."""

from __future__ import annotations

import hashlib
from datetime import date, timedelta

from apregister.demo.scale.run import ScaleRun
from apregister.models import DocumentKind, FrameworkStatus
from apregister.providers.rules import REQUIRED_DOCUMENTS

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
LEAVING_REASONS = {
    FrameworkStatus.SUSPENDED: "Public liability insurance lapsed; suspended until renewed",
    FrameworkStatus.REMOVED: "No longer meets the framework's quality standards",
    FrameworkStatus.WITHDRAWN: "Provider stopped offering places to the LA",
    FrameworkStatus.REJECTED: "Admission checks not met: no safeguarding lead in post",
}
# Every compliance document is this one-page PDF.
DEMO_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


def status_route(
    run: ScaleRun, index: int, status: FrameworkStatus
) -> tuple[list[tuple], date | None, date | None]:
    """The provider's status history, when it was approved, and the last day a placement
    may start there. The first provider is approved from before the period, so every
    placement has somewhere to go however small the run."""
    rng, today = run.rng, run.today
    if status is FrameworkStatus.APPLIED:
        applied = today - timedelta(days=rng.randint(5, 120))
    elif index == 0 or rng.random() < 0.35:
        applied = run.first_day - timedelta(days=rng.randint(30, 1500))
    else:
        applied = run.between(run.first_day, today - timedelta(days=300))
    if status is FrameworkStatus.NOT_ON_FRAMEWORK:
        added = run.between(run.first_day, today - timedelta(days=30))
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
        return route, approved_on, run.horizon
    if status is FrameworkStatus.SUSPENDED:
        left = today - timedelta(days=rng.randint(7, 180))
    else:
        left = run.between(
            min(approved_on + timedelta(days=365), today - timedelta(days=30)),
            today - timedelta(days=14),
        )
    left = max(left, approved_on + timedelta(days=60))
    route.append((FrameworkStatus.APPROVED, status, LEAVING_REASONS[status], left))
    return route, approved_on, left


def add_documents(run: ScaleRun, provider: int, approved_on: date, left: date | None) -> None:
    """The required set at approval, and insurance renewed every year since; a few lapse."""
    rng, sha = run.rng, hashlib.sha256(DEMO_PDF).hexdigest()
    issued = approved_on - timedelta(days=rng.randint(5, 30))
    last = left or run.today

    def document(kind: DocumentKind, issued_on: date, expires_on: date | None) -> None:
        run.writer.add(
            "compliance_documents",
            {
                "id": run.writer.next_id("compliance_documents"),
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
                "uploaded_by_id": rng.choice(run.staff),
                **run.timestamps(run.at(issued_on)),
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
