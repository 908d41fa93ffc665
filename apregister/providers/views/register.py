"""The register list (a directory for schools and providers), and its export."""

from __future__ import annotations

from datetime import date

from flask import current_app, render_template, request
from flask_login import current_user

from apregister.access import ALL_ROLES, role_required, visible
from apregister.exports import stream_rows, table_response
from apregister.extensions import db
from apregister.models import LA_ROLES, Provider, Role
from apregister.pagination import export_url, paginate
from apregister.providers.forms import RegisterFilterForm
from apregister.providers.queries import apply_filters, load_tags, page_query, sorted_by
from apregister.providers.views import bp
from apregister.qa.status import qa_status_of
from apregister.settings import current_settings

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
