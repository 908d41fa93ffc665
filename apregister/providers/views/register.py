"""The register list (a directory for schools and providers), the provider page, the export."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask import current_app, render_template, request
from flask_login import current_user
from sqlalchemy import func, null, select

from apregister.access import (
    ALL_ROLES,
    get_visible_or_404,
    role_required,
    sees_whole_profile,
    visible,
)
from apregister.exports import stream_rows, table_response
from apregister.extensions import db
from apregister.models import (
    LA_ROLES,
    ActionStatus,
    ComplianceDocument,
    FrameworkStatusChange,
    Inspection,
    InspectionAction,
    InspectionOutcome,
    InspectionStatus,
    Placement,
    Provider,
    Role,
    SelfAssessment,
    SelfAssessmentStatus,
    SelfAssessmentVersion,
)
from apregister.pagination import export_url, paginate
from apregister.placements.queries import current_clause
from apregister.providers import operations, rules
from apregister.providers.forms import RegisterFilterForm
from apregister.providers.queries import apply_filters, load_tags, page_query, sorted_by
from apregister.providers.views import bp
from apregister.providers.views.common import warn_days
from apregister.qa.status import qa_status_columns, qa_status_of
from apregister.settings import current_settings
from apregister.templating import UK

SIGNED_IN_STAFF = tuple(role for role in ALL_ROLES if role is not Role.BOARD)

# The directory's columns: what any school or provider may know about an approved provider.
DIRECTORY_COLUMNS = [
    ("Name", lambda p: p.name),
    ("Type of setting", lambda p: p.registration_type),
    ("Types of provision", lambda p: p.provision_types),
    ("Specialisms", lambda p: p.specialisms),
    ("Key stages", lambda p: p.key_stages),
    ("Area", lambda p: p.area),
    ("Town", lambda p: p.town),
    ("Postcode", lambda p: p.postcode),
    ("Contact", lambda p: p.contact_name),
    ("Email", lambda p: p.contact_email),
    ("Telephone", lambda p: p.contact_phone),
    ("Website", lambda p: p.website),
]
REGISTER_COLUMNS = [
    ("Register number", lambda p: p.id),
    *DIRECTORY_COLUMNS[:2],
    ("Framework status", lambda p: p.framework_status),
    ("Approved on", lambda p: p.approved_on),
    ("Legal entity", lambda p: p.legal_name),
    ("Company number", lambda p: p.company_number),
    ("Charity number", lambda p: p.charity_number),
    ("URN", lambda p: p.urn),
    ("UKPRN", lambda p: p.ukprn),
    ("Ofsted judgement", lambda p: p.ofsted_judgement),
    ("Ofsted date", lambda p: p.ofsted_date),
    *DIRECTORY_COLUMNS[2:],
    ("Places", lambda p: p.capacity),
    ("Daily rate", lambda p: p.daily_rate),
    ("Safeguarding lead", lambda p: p.safeguarding_lead_name),
]


def _filter_form() -> RegisterFilterForm:
    areas = db.session.scalars(
        visible(Provider)
        .with_only_columns(Provider.area)
        .where(Provider.area.is_not(None))
        .distinct()
        .order_by(Provider.area)
    ).all()
    return RegisterFilterForm(
        formdata=request.args, areas=areas, with_status=current_user.role in LA_ROLES
    )


@bp.route("")
@role_required(*SIGNED_IN_STAFF)
def list_providers():
    form = _filter_form()
    filters = form.filters()
    page = paginate(
        page_query(apply_filters(visible(Provider), filters), filters.sort),
        per_page=current_app.config["REGISTER_PAGE_SIZE"],
        rows=True,
        rows_from=page_query(visible(Provider), filters.sort),
    )
    settings, today = current_settings(), date.today()
    qa = {row[0].id: qa_status_of(row[0], row, settings, today) for row in page.items}
    page.items = [row[0] for row in page.items]
    load_tags(page.items)
    return render_template(
        "providers/list_providers.html",
        form=form,
        page=page,
        qa=qa,
        export_url=export_url(".export_providers"),
        is_la=current_user.role in LA_ROLES,
    )


@bp.route("/export.csv", defaults={"fmt": "csv"})
@bp.route("/export.xlsx", defaults={"fmt": "xlsx"})
@role_required(*SIGNED_IN_STAFF)
def export_providers(fmt: str):
    """The filtered rows, with the columns this user may see."""
    filters = _filter_form().filters()
    stmt = sorted_by(apply_filters(visible(Provider), filters), filters.sort)
    columns = REGISTER_COLUMNS if current_user.role in LA_ROLES else DIRECTORY_COLUMNS
    rows = stream_rows(stmt, lambda provider: [get(provider) for _, get in columns])
    name = "provider-register" if current_user.role in LA_ROLES else "provider-directory"
    return table_response(fmt, f"{name}-{date.today().isoformat()}", [h for h, _ in columns], rows)


@bp.route("/<int:provider_id>")
@role_required(*SIGNED_IN_STAFF)
def show_provider(provider_id: int):
    provider = get_visible_or_404(Provider, provider_id)
    today = date.today()
    whole = sees_whole_profile(current_user, provider)
    documents, history, checklist = [], [], None
    if whole:
        documents = db.session.scalars(
            visible(ComplianceDocument)
            .where(ComplianceDocument.provider_id == provider.id)
            .order_by(ComplianceDocument.kind, ComplianceDocument.expires_on.desc())
        ).all()
        history = db.session.scalars(
            visible(FrameworkStatusChange)
            .where(FrameworkStatusChange.provider_id == provider.id)
            .order_by(FrameworkStatusChange.id.desc())
        ).all()
    is_own = current_user.role is Role.PROVIDER and current_user.organisation_id == provider.id
    is_la = current_user.role in LA_ROLES
    if is_la:
        checklist = operations.checklist_for(provider, today, documents)
    # The provider's QA: all of it for LA roles and the provider itself, the published status
    # only for schools, nothing for other providers; read in one statement with the count of
    # its current placements (LA roles).
    facts = None
    if is_la or is_own or current_user.role is Role.SCHOOL:
        facts = db.session.execute(
            select(
                *qa_status_columns(provider.id),
                *_last_published_inspection(provider.id),
                (_current_placements(provider.id, today) if is_la else null()).label("current"),
            )
        ).one()
    qa_status = last_inspection = None
    if facts is not None:
        qa_status = qa_status_of(provider, facts, current_settings(), today)
        if facts.last_inspection_id is not None:
            last_inspection = facts
    timeline: list[TimelineItem] = []
    if is_la or is_own:
        timeline = _qa_timeline(provider, today)
    return render_template(
        "providers/show_provider.html",
        provider=provider,
        whole=whole,
        is_la=is_la,
        is_own=is_own,
        qa_status=qa_status,
        last_inspection=last_inspection,
        timeline=timeline,
        open_actions=sum(item.open for item in timeline),
        documents=[
            (doc, rules.document_state(doc.expires_on, today, warn_days())) for doc in documents
        ],
        history=history,
        checklist=checklist,
        # a provider's users decide only for their own provider (withdrawing it)
        decisions=rules.decisions_open_to(current_user.role, provider.framework_status)
        if is_la or is_own
        else [],
        current_placements=facts.current if facts is not None else None,
    )


# ---- quality assurance on the provider page ----------------------------------------------------


@dataclass(frozen=True)
class TimelineItem:
    day: date | None
    kind: str
    title: str
    status: str
    colour: str | None
    href: str
    open: bool = False  # an action not yet closed


SELF_ASSESSMENT_COLOURS = {
    SelfAssessmentStatus.DRAFT: "grey",
    SelfAssessmentStatus.SUBMITTED: "blue",
    SelfAssessmentStatus.RETURNED: "orange",
    SelfAssessmentStatus.ACCEPTED: "green",
}
ACTION_COLOURS = {
    ActionStatus.OPEN: "blue",
    ActionStatus.DONE: "yellow",
    ActionStatus.CLOSED: "grey",
}
OUTCOME_COLOURS = {
    InspectionOutcome.APPROVED: "green",
    InspectionOutcome.APPROVED_WITH_ACTIONS: "yellow",
    InspectionOutcome.NOT_APPROVED: "red",
}


def _last_published_inspection(provider_id: int) -> tuple:
    """The id, date and outcome of the last published visit, as columns: the status a school
    may know, so only these are read, never findings or actions."""
    latest = (
        select(Inspection.id)
        .where(
            Inspection.provider_id == provider_id,
            Inspection.status == InspectionStatus.PUBLISHED,
        )
        .order_by(Inspection.visit_date.desc().nulls_last(), Inspection.id.desc())
        .limit(1)
    )
    return (
        latest.scalar_subquery().label("last_inspection_id"),
        latest.with_only_columns(Inspection.visit_date).scalar_subquery().label("visit_date"),
        latest.with_only_columns(Inspection.overall_outcome)
        .scalar_subquery()
        .label("overall_outcome"),
    )


def _current_placements(provider_id: int, today: date):
    """How many placements at the provider are planned or running today."""
    return (
        visible(Placement)
        .with_only_columns(func.count())
        .where(Placement.provider_id == provider_id, current_clause(today))
        .scalar_subquery()
    )


def _short(text: str, length: int = 90) -> str:
    text = " ".join(text.split())
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"


def _qa_timeline(provider: Provider, today: date) -> list[TimelineItem]:
    """Inspections, self-assessments and actions the user may see, newest first."""
    root = request.script_root
    items = []
    for inspection in db.session.scalars(
        visible(Inspection).where(Inspection.provider_id == provider.id)
    ):
        planned = inspection.status is InspectionStatus.PLANNED
        outcome = inspection.overall_outcome
        items.append(
            TimelineItem(
                day=inspection.planned_date if planned else inspection.visit_date,
                kind="Inspection",
                title="Planned inspection visit" if planned else "Inspection visit",
                status=outcome.label if outcome and not planned else inspection.status.label,
                colour="blue" if planned or not outcome else OUTCOME_COLOURS.get(outcome),
                href=f"{root}/inspections/{inspection.id}",
            )
        )
    last_submitted = (
        select(func.max(SelfAssessmentVersion.submitted_at))
        .where(SelfAssessmentVersion.self_assessment_id == SelfAssessment.id)
        .correlate(SelfAssessment)
        .scalar_subquery()
    )
    for assessment, submitted in db.session.execute(
        visible(SelfAssessment)
        .where(SelfAssessment.provider_id == provider.id)
        .add_columns(last_submitted)
    ):
        day = assessment.accepted_on or (submitted or assessment.created_at).astimezone(UK).date()
        items.append(
            TimelineItem(
                day=day,
                kind="Self-assessment",
                title=f"Self-assessment {assessment.academic_year}",
                status=assessment.status.label,
                colour=SELF_ASSESSMENT_COLOURS.get(assessment.status),
                href=f"{root}/self-assessments/{assessment.id}",
            )
        )
    for action in db.session.scalars(
        visible(InspectionAction).where(InspectionAction.provider_id == provider.id)
    ):
        overdue = action.status is ActionStatus.OPEN and action.due_date < today
        items.append(
            TimelineItem(
                day=action.due_date,
                kind=f"Action ({action.owner.label})",
                title=_short(action.description),
                status="Overdue" if overdue else action.status.label,
                colour="red" if overdue else ACTION_COLOURS.get(action.status),
                href=f"{root}/inspections/{action.inspection_id}",
                open=action.status is not ActionStatus.CLOSED,
            )
        )
    return sorted(items, key=lambda item: item.day or date.max, reverse=True)
