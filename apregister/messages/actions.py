"""A daily digest to the LA's staff of the inspection actions the LA itself owns that are now
overdue (the provider's own are in its reminders)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from apregister.extensions import db
from apregister.mail import service_link
from apregister.messages.common import body, la_staff_emails, queue_to_all
from apregister.models import ActionOwner, ActionStatus, InspectionAction, Provider
from apregister.templating import govuk_date

SIGN_OFF = "This is an automatic reminder from the alternative provision register."


def la_actions_overdue(today: date) -> int:
    rows = db.session.execute(
        select(
            InspectionAction.id,
            InspectionAction.inspection_id,
            InspectionAction.due_date,
            Provider.name,
        )
        .join(Provider, Provider.id == InspectionAction.provider_id)
        .where(
            InspectionAction.owner == ActionOwner.LA,
            InspectionAction.status == ActionStatus.OPEN,
            InspectionAction.due_date < today,
        )
        .order_by(InspectionAction.due_date, InspectionAction.id)
    ).all()
    if not rows:
        return 0
    items = [
        f"- Action {row.id} for {row.name}, overdue since {govuk_date(row.due_date)}: "
        f"{service_link(f'/inspections/{row.inspection_id}')}"
        for row in rows
    ]
    count = len(rows)
    return queue_to_all(
        la_staff_emails("action_due"),
        f"la-actions-overdue:{today.isoformat()}",
        f"The LA's inspection actions overdue: {count}",
        body(
            [f"{count} inspection action(s) the LA owns are overdue."],
            items,
            sign_off=SIGN_OFF,
        ),
        kind="action_due",
        fields={"provider_name": "", "count": count, "overdue": count},
    )
