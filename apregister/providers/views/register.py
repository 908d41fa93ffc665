"""The register list (a directory for schools and providers), the provider page, the export."""

from __future__ import annotations

from datetime import date

from flask import current_app, render_template, request
from flask_login import current_user
from sqlalchemy import func

from apregister.access import (
    ALL_ROLES,
    get_visible_or_404,
    role_required,
    sees_whole_profile,
    visible,
)
from apregister.exports import csv_response, stream_rows
from apregister.extensions import db
from apregister.models import (
    LA_ROLES,
    ComplianceDocument,
    FrameworkStatusChange,
    Placement,
    Provider,
    Role,
)
from apregister.pagination import export_url, paginate
from apregister.placements.queries import current_clause
from apregister.providers import operations, rules
from apregister.providers.forms import RegisterFilterForm
from apregister.providers.queries import apply_filters, sorted_by
from apregister.providers.views import bp
from apregister.providers.views.common import warn_days

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
        sorted_by(apply_filters(visible(Provider), filters), filters.sort),
        per_page=current_app.config["REGISTER_PAGE_SIZE"],
    )
    return render_template(
        "providers/list_providers.html",
        form=form,
        page=page,
        export_url=export_url(".export_providers"),
        is_la=current_user.role in LA_ROLES,
    )


@bp.route("/export.csv")
@role_required(*SIGNED_IN_STAFF)
def export_providers():
    """The filtered rows, with the columns this user may see."""
    filters = _filter_form().filters()
    stmt = sorted_by(apply_filters(visible(Provider), filters), filters.sort)
    columns = REGISTER_COLUMNS if current_user.role in LA_ROLES else DIRECTORY_COLUMNS
    rows = stream_rows(stmt, lambda provider: [get(provider) for _, get in columns])
    name = "provider-register" if current_user.role in LA_ROLES else "provider-directory"
    return csv_response(f"{name}-{date.today().isoformat()}.csv", [h for h, _ in columns], rows)


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
    current_placements = None
    if current_user.role in LA_ROLES:
        checklist = operations.checklist_for(provider, today)
        current_placements = db.session.scalar(
            visible(Placement)
            .with_only_columns(func.count())
            .where(Placement.provider_id == provider.id, current_clause(today))
        )
    return render_template(
        "providers/show_provider.html",
        provider=provider,
        whole=whole,
        is_la=current_user.role in LA_ROLES,
        is_own=current_user.role is Role.PROVIDER and current_user.organisation_id == provider.id,
        documents=[
            (doc, rules.document_state(doc.expires_on, today, warn_days())) for doc in documents
        ],
        history=history,
        checklist=checklist,
        decisions=rules.decisions_open_to(current_user.role, provider.framework_status),
        current_placements=current_placements,
    )
