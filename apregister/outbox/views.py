"""The outbox: every email the service has queued, for the la_lead to read (and, without SMTP,
the only place the messages go)."""

from __future__ import annotations

from flask import Blueprint, current_app, render_template

from apregister.access import get_visible_or_404, role_required, visible
from apregister.mail import smtp_configured
from apregister.models import OutboxMessage, Role
from apregister.pagination import paginate

bp = Blueprint("outbox", __name__, url_prefix="/outbox")

PAGE_SIZE = 50


@bp.route("")
@role_required(Role.LA_LEAD)
def list_messages():
    page = paginate(
        visible(OutboxMessage).order_by(OutboxMessage.created_at.desc(), OutboxMessage.id.desc()),
        per_page=current_app.config.get("OUTBOX_PAGE_SIZE", PAGE_SIZE),
    )
    return render_template(
        "outbox/list_messages.html", page=page, smtp_configured=smtp_configured()
    )


@bp.route("/<int:message_id>")
@role_required(Role.LA_LEAD)
def show_message(message_id: int):
    message = get_visible_or_404(OutboxMessage, message_id)
    return render_template("outbox/show_message.html", message=message)
