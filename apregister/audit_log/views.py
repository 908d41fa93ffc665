from datetime import UTC, datetime, time, timedelta

from flask import Blueprint, current_app, render_template, request
from sqlalchemy import false, func, or_, select
from sqlalchemy.orm import joinedload

from apregister.access import role_required, visible
from apregister.audit_log import labels
from apregister.audit_log.forms import AuditFilterForm
from apregister.extensions import db
from apregister.models import AuditEvent, Role, User
from apregister.pagination import paginate

bp = Blueprint("audit_log", __name__, url_prefix="/audit")


def _start_of(day) -> datetime:
    return datetime.combine(day, time.min, tzinfo=UTC)


def _users_like(text: str):
    """The ids of the users the lead may see whose name or email address holds `text`."""
    lowered = text.lower()
    return (
        visible(User)
        .with_only_columns(User.id)
        .where(
            or_(
                func.lower(User.name).contains(lowered, autoescape=True),
                func.lower(User.email).contains(lowered, autoescape=True),
            )
        )
        .scalar_subquery()
    )


def _table_names() -> list[str]:
    """The record types in the log, in order. A plain DISTINCT reads every event (366,000 at
    scale, 15-30 ms); this asks ix_audit_events_record for the first name after the last one
    found, once a name (a recursive query, the same on both databases)."""
    first = func.min(AuditEvent.table_name).label("name")
    names = visible(AuditEvent).with_only_columns(first).cte("names", recursive=True)
    after = visible(AuditEvent).with_only_columns(first).where(AuditEvent.table_name > names.c.name)
    names = names.union_all(select(after.scalar_subquery()).where(names.c.name.is_not(None)))
    return list(db.session.scalars(select(names.c.name).where(names.c.name.is_not(None))))


@bp.route("")
@role_required(Role.LA_LEAD)
def list_audit_events():
    tables = _table_names()
    form = AuditFilterForm(formdata=request.args, tables=tables)
    stmt = visible(AuditEvent)
    if request.args and form.validate():
        if form.user.data and form.user.data.strip():
            stmt = stmt.where(AuditEvent.user_id.in_(_users_like(form.user.data.strip())))
        if form.table_name.data:
            stmt = stmt.where(AuditEvent.table_name == form.table_name.data)
        if form.record_id.data:
            stmt = stmt.where(AuditEvent.record_id == form.record_id.data)
        if form.date_from.data:
            stmt = stmt.where(AuditEvent.occurred_at >= _start_of(form.date_from.data))
        if form.date_to.data:
            end = _start_of(form.date_to.data + timedelta(days=1))
            stmt = stmt.where(AuditEvent.occurred_at < end)
    elif request.args:
        stmt = stmt.where(false())  # show the errors, not an unfiltered log

    page = paginate(
        stmt.options(joinedload(AuditEvent.user), joinedload(AuditEvent.organisation)).order_by(
            AuditEvent.occurred_at.desc(), AuditEvent.id.desc()
        ),
        per_page=current_app.config["AUDIT_PAGE_SIZE"],
    )
    return render_template(
        "audit_log/list_audit_events.html",
        form=form,
        page=page,
        record_label=labels.record,
        field_label=labels.field,
    )
