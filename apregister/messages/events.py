"""Messages when something changes that someone else must act on (DESIGN.md, "Messages").
Each names records by number and links to the service; none names a pupil."""

from __future__ import annotations

from apregister.mail import service_link
from apregister.messages.common import body, la_staff_emails, queue_to_all, staff_emails
from apregister.models import (
    ExtensionRequest,
    ExtensionStatus,
    Inspection,
    Provider,
    Role,
    SelfAssessment,
    SelfAssessmentStatus,
)
from apregister.templating import govuk_date


def application_received(provider: Provider) -> int:
    link = service_link("/providers/applications")
    text = body(
        [
            f"{provider.name} has applied to join the framework.",
            f"Reference number: {provider.application_reference}",
            "Please check the application.",
        ],
        [],
        link,
    )
    return queue_to_all(
        la_staff_emails("application_received"),
        f"application:{provider.id}",
        f"Framework application received: {provider.name}",
        text,
        kind="application_received",
        link=link,
        fields={"provider_name": provider.name, "reference": provider.application_reference},
    )


def extension_requested(request: ExtensionRequest) -> int:
    placement = request.placement
    link = service_link(f"/placements/{placement.id}")
    text = body(
        [
            f"An extension of placement {placement.id} at {placement.provider.name} to "
            f"{govuk_date(request.new_end)} has been requested. Please decide it.",
        ],
        [],
        link,
    )
    return queue_to_all(
        la_staff_emails("extension_requested"),
        f"extension-requested:{request.id}",
        f"Extension requested: placement {placement.id}",
        text,
        kind="extension_requested",
        link=link,
        fields=_extension_fields(request),
    )


def _extension_fields(request: ExtensionRequest) -> dict[str, object]:
    placement = request.placement
    return {
        "placement_number": placement.id,
        "provider_name": placement.provider.name,
        "new_end": govuk_date(request.new_end),
    }


def extension_decided(request: ExtensionRequest) -> int:
    placement = request.placement
    if placement.school_id is None:
        return 0
    approved = request.status is ExtensionStatus.APPROVED
    decision = "approved" if approved else "declined"
    link = service_link(f"/placements/{placement.id}")
    text = body(
        [
            f"The LA has {decision} the extension of placement "
            f"{placement.id} at {placement.provider.name} to {govuk_date(request.new_end)}.",
            f"The LA's reason: {request.decision_reason}",
        ],
        [],
        link,
    )
    emails = staff_emails([placement.school_id], Role.SCHOOL, "extension_decided")
    return queue_to_all(
        emails[placement.school_id],
        f"extension-decided:{request.id}",
        f"Extension {decision}: placement {placement.id}",
        text,
        kind="extension_decided",
        link=link,
        fields=_extension_fields(request) | {"decision": decision},
    )


def self_assessment_submitted(assessment: SelfAssessment) -> int:
    name = assessment.provider.name
    link = service_link(f"/self-assessments/{assessment.id}")
    text = body(
        [f"{name} has submitted its self-assessment for {assessment.academic_year}."],
        ["Please review it: accept it, or return it with comments."],
        link,
    )
    key = f"sa-submitted:{assessment.id}:{len(assessment.versions)}"
    return queue_to_all(
        la_staff_emails("self_assessment_submitted"),
        key,
        f"Self-assessment submitted: {name}",
        text,
        kind="self_assessment_submitted",
        link=link,
        fields={"provider_name": name, "academic_year": assessment.academic_year},
    )


def self_assessment_reviewed(assessment: SelfAssessment) -> int:
    accepted = assessment.status is SelfAssessmentStatus.ACCEPTED
    year = assessment.academic_year
    lines = (
        [f"The LA has accepted your self-assessment for {year}."]
        if accepted
        else [
            f"The LA has returned your self-assessment for {year} with comments.",
            "Please make the changes and submit it again.",
        ]
    )
    link = service_link(f"/self-assessments/{assessment.id}")
    text = body(lines, [], link)
    decision = "accepted" if accepted else "returned"
    emails = staff_emails([assessment.provider_id], Role.PROVIDER, "self_assessment_reviewed")
    return queue_to_all(
        emails[assessment.provider_id],
        f"sa-reviewed:{assessment.id}:{len(assessment.versions)}",
        f"Self-assessment {decision}: {assessment.academic_year}",
        text,
        kind="self_assessment_reviewed",
        link=link,
        fields={"academic_year": year, "decision": decision},
    )


def inspection_published(inspection: Inspection) -> int:
    link = service_link(f"/inspections/{inspection.id}")
    visit = govuk_date(inspection.visit_date)
    text = body(
        [f"The LA has published the report of its visit on {visit}."],
        ["Please read it, and the actions it asks of you."],
        link,
    )
    emails = staff_emails([inspection.provider_id], Role.PROVIDER, "inspection_published")
    return queue_to_all(
        emails[inspection.provider_id],
        f"inspection-published:{inspection.id}",
        "Your inspection report is published",
        text,
        kind="inspection_published",
        link=link,
        fields={"visit_date": visit},
    )


def application_decided(provider: Provider, approved: bool, reason: str) -> int:
    """To the applicant's contact: the LA's decision on its application."""
    if not provider.contact_email:
        return 0
    lines = (
        [
            f"{provider.name} has been approved on the framework.",
            "The LA will invite your staff to use the register.",
        ]
        if approved
        else [f"The LA has not approved {provider.name}'s application.", f"The reason: {reason}"]
    )
    if provider.application_reference:
        lines.append(f"Your reference number: {provider.application_reference}")
    decision = "approved" if approved else "not approved"
    return queue_to_all(
        [provider.contact_email],
        f"application-decided:{provider.id}:{'approved' if approved else 'rejected'}",
        f"Your framework application: {decision}",
        body(lines, []),
        kind="application_decided",
        fields={
            "provider_name": provider.name,
            "decision": decision,
            "reference": provider.application_reference,
        },
    )
