"""The outbox: every email the service has queued, for the la_lead to read (and, without a
mail backend, the only place the messages go), with the worker's tries and errors."""

from __future__ import annotations

from flask import Blueprint, current_app, render_template, request

from apregister.access import get_visible_or_404, role_required, visible
from apregister.mail import delivery_configured
from apregister.messages.accounts import INVITATION
from apregister.models import OutboxMessage, Role
from apregister.pagination import count_of, paginate

bp = Blueprint("outbox", __name__, url_prefix="/outbox")

PAGE_SIZE = 50

# ?show=... : which messages the list shows
FILTERS = {
    "all": ("All", None),
    "waiting": (
        "Not sent yet",
        lambda: OutboxMessage.sent_at.is_(None) & OutboxMessage.failed_at.is_(None),
    ),
    "failed": ("Failed", lambda: OutboxMessage.failed_at.is_not(None)),
    "sent": ("Sent", lambda: OutboxMessage.sent_at.is_not(None)),
}


@bp.route("")
@role_required(Role.LA_LEAD)
def list_messages():
    show = request.args.get("show", "all")
    if show not in FILTERS:
        show = "all"
    stmt = visible(OutboxMessage)
    condition = FILTERS[show][1]
    if condition is not None:
        stmt = stmt.where(condition())
    page = paginate(
        stmt.order_by(OutboxMessage.created_at.desc(), OutboxMessage.id.desc()),
        per_page=current_app.config.get("OUTBOX_PAGE_SIZE", PAGE_SIZE),
    )
    failed = count_of(visible(OutboxMessage).where(OutboxMessage.failed_at.is_not(None)))
    return render_template(
        "outbox/list_messages.html",
        page=page,
        smtp_configured=delivery_configured(),
        filters={key: label for key, (label, _) in FILTERS.items()},
        show=show,
        failed_count=failed,
    )


@bp.route("/<int:message_id>")
@role_required(Role.LA_LEAD)
def show_message(message_id: int):
    message = get_visible_or_404(OutboxMessage, message_id)
    return render_template("outbox/show_message.html", message=message, body=shown_body(message))


HIDDEN_LINK = "(The one-time link went only to the person invited.)"


def shown_body(message: OutboxMessage) -> str:
    """The body as the la_lead may read it: an invitation's one-time link is the invitee's
    alone once mail is really sent (with no mail backend the outbox is the only way to it)."""
    if message.kind != INVITATION or not delivery_configured():
        return message.body
    return "\n".join(
        HIDDEN_LINK if "/invitations/" in line else line for line in message.body.split("\n")
    )
