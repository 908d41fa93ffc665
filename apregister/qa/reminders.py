"""Reminder emails: self-assessments and actions to providers, inspections to LA staff, reviews
to schools.

Each message's dedupe key holds the due date (a reminder before the date goes once) or the day
(an overdue reminder, or a daily digest, goes once a day), so running twice on one day sends
nothing twice. Emails carry no pupil's name, UPN or date of birth, and no findings: they say
what is due and link to the service, where access control decides what the reader sees.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta

from flask import current_app
from sqlalchemy import func, select

from apregister.extensions import db
from apregister.mail import queue_message, service_link
from apregister.messages.actions import la_actions_overdue
from apregister.messages.common import body, queue_to_all, tag, unique_emails, wanting
from apregister.messages.documents import document_reminders
from apregister.models import (
    LA_ROLES,
    ActionOwner,
    ActionStatus,
    FrameworkStatus,
    Inspection,
    InspectionAction,
    InspectionStatus,
    LaSettings,
    Placement,
    PlacementStatus,
    Provider,
    Role,
    SelfAssessment,
    SelfAssessmentStatus,
    User,
)
from apregister.placements.monitor import REVIEW_NOTICE_DAYS
from apregister.placements.queries import last_review_date, status_clause
from apregister.placements.rules import next_review_due
from apregister.qa.status import QaStatus, qa_statuses
from apregister.settings import current_settings
from apregister.templating import govuk_date

ON_FRAMEWORK = (FrameworkStatus.APPROVED, FrameworkStatus.SUSPENDED)
SIGN_OFF = "This is an automatic reminder from the alternative provision register."


def _body(greeting_lines: list[str], items: list[str], link: str | None = None) -> str:
    return body(greeting_lines, items, link, sign_off=SIGN_OFF)


# ---- providers -------------------------------------------------------------------------------


def _provider_recipients(providers: list[Provider], kind: str) -> dict[int, list[str]]:
    """Each provider's contact email and its active provider users' emails, but for users who
    have switched `kind` off."""
    ids = [provider.id for provider in providers]
    users = db.session.execute(
        select(User.organisation_id, User.email).where(
            User.organisation_id.in_(ids), User.role == Role.PROVIDER, wanting(kind)
        )
    ).all()
    emails: dict[int, list[str | None]] = {p.id: [p.contact_email] for p in providers}
    for organisation_id, email in users:
        emails[organisation_id].append(email)
    return {provider_id: unique_emails(found) for provider_id, found in emails.items()}


def _self_assessment_reminders(
    statuses: dict[int, QaStatus], recipients: dict[int, list[str]], today: date
) -> int:
    # A provider whose self-assessment waits for the LA's review has nothing to do yet.
    waiting = set(
        db.session.scalars(
            select(SelfAssessment.provider_id).where(
                SelfAssessment.provider_id.in_(list(statuses)),
                SelfAssessment.status == SelfAssessmentStatus.SUBMITTED,
            )
        )
    )
    queued = 0
    for provider_id, status in statuses.items():
        state = status.self_assessment
        if provider_id in waiting or not (state.overdue or state.due_soon):
            continue
        name = status.provider.name
        if state.overdue:
            key = f"qa-sa-overdue:{provider_id}:{state.due}:{today}"
            subject = f"Self-assessment overdue: {name}"
            first = f"{name}'s annual self-assessment was due on {govuk_date(state.due)}."
        else:
            key = f"qa-sa-due:{provider_id}:{state.due}"
            subject = f"Self-assessment due by {govuk_date(state.due)}: {name}"
            first = f"{name}'s annual self-assessment is due by {govuk_date(state.due)}."
        link = service_link("/self-assessments")
        body = _body([first, "Please complete it and submit it to the local authority."], [], link)
        queued += queue_to_all(
            recipients.get(provider_id, []),
            key,
            subject,
            body,
            kind="self_assessment_due",
            link=link,
            fields={
                "provider_name": name,
                "due_date": govuk_date(state.due),
                "overdue": "yes" if state.overdue else "no",
            },
        )
    return queued


def _action_reminders(
    providers: dict[int, Provider],
    recipients: dict[int, list[str]],
    settings: LaSettings,
    today: date,
) -> int:
    horizon = today + timedelta(days=settings.reminder_days)
    rows = db.session.execute(
        select(
            InspectionAction.id,
            InspectionAction.provider_id,
            InspectionAction.due_date,
            Inspection.id.label("inspection_id"),
            Inspection.visit_date,
        )
        .join(Inspection, Inspection.id == InspectionAction.inspection_id)
        .where(
            InspectionAction.provider_id.in_(list(providers)),
            InspectionAction.owner == ActionOwner.PROVIDER,
            InspectionAction.status == ActionStatus.OPEN,
            InspectionAction.due_date <= horizon,
            # a provider hears only of actions in reports it has been shown
            Inspection.status == InspectionStatus.PUBLISHED,
        )
        .order_by(InspectionAction.provider_id, InspectionAction.due_date, InspectionAction.id)
    ).all()
    by_provider = defaultdict(list)
    for row in rows:
        by_provider[row.provider_id].append(row)
    queued = 0
    for provider_id, actions in by_provider.items():
        name = providers[provider_id].name
        overdue = [row for row in actions if row.due_date < today]
        items = []
        for row in actions:
            due = govuk_date(row.due_date)
            when = f"overdue since {due}" if row.due_date < today else f"due {due}"
            visit = f" on {govuk_date(row.visit_date)}" if row.visit_date else ""
            link = service_link(f"/inspections/{row.inspection_id}")
            items.append(f"- Action {row.id} from the inspection{visit}, {when}: {link}")
        if overdue:
            key = f"qa-actions-overdue:{provider_id}:{today}"
            subject = f"Inspection actions overdue: {name}"
            first = f"{name} has {len(overdue)} overdue inspection action(s)."
        else:
            listed = ",".join(f"{row.id}@{row.due_date}" for row in actions)
            key = f"qa-actions-due:{provider_id}:{actions[0].due_date}:{tag(listed)}"
            subject = f"Inspection actions due soon: {name}"
            first = f"{name} has {len(actions)} inspection action(s) due soon."
        body = _body([first, "Open each inspection to see the action and record progress."], items)
        queued += queue_to_all(
            recipients.get(provider_id, []),
            key,
            subject,
            body,
            kind="action_due",
            fields={"provider_name": name, "count": len(actions), "overdue": len(overdue)},
        )
    return queued


# ---- LA staff --------------------------------------------------------------------------------


def _inspection_digests(statuses: dict[int, QaStatus], today: date) -> int:
    due = sorted(
        (s for s in statuses.values() if s.inspection.overdue or s.inspection.due_soon),
        key=lambda s: (s.inspection.due, s.provider.name),
    )
    if not due:
        return 0
    items = []
    for status in due:
        when = (
            f"overdue since {govuk_date(status.inspection.due)}"
            if status.inspection.overdue
            else f"due {govuk_date(status.inspection.due)}"
        )
        planned = f", visit planned for {govuk_date(status.planned)}" if status.planned else ""
        items.append(
            f"- {status.provider.name}: {when}{planned}: "
            f"{service_link(f'/providers/{status.provider.id}')}"
        )
    overdue = sum(s.inspection.overdue for s in due)
    subject = f"Inspections due or overdue: {len(due)} provider{'s' if len(due) != 1 else ''}"
    soon = len(due) - overdue
    body = _body([f"Annual inspections: {overdue} provider(s) overdue, {soon} due soon."], items)
    officers = db.session.execute(
        select(User.id, User.email).where(User.role.in_(LA_ROLES), wanting("inspection_due"))
    ).all()
    fields = {"link": "", "count": str(len(due)), "overdue": str(overdue)}
    return sum(
        queue_message(
            f"qa-inspections:{user_id}:{today}",
            email,
            subject,
            body,
            kind="inspection_due",
            personalisation=fields,
        )
        for user_id, email in officers
    )


# ---- schools ---------------------------------------------------------------------------------


def _review_digests(settings: LaSettings, today: date) -> int:
    interval = settings.review_interval_days
    last = last_review_date().label("last_review")
    rows = db.session.execute(
        select(Placement.id, Placement.school_id, Placement.start_date, last)
        .where(
            status_clause(PlacementStatus.ACTIVE, today),
            Placement.school_id.is_not(None),
            func.coalesce(last_review_date(), Placement.start_date)
            <= today + timedelta(days=REVIEW_NOTICE_DAYS - interval),
        )
        .order_by(Placement.school_id, Placement.id)
    ).all()
    by_school: dict[int, list[str]] = defaultdict(list)
    for placement_id, school_id, start, last_review in rows:
        due = next_review_due(start, last_review, interval)
        shown = govuk_date(due)
        when = f"review overdue since {shown}" if due < today else f"review due by {shown}"
        by_school[school_id].append(
            f"- Placement {placement_id}: {when}: {service_link(f'/placements/{placement_id}')}"
        )
    if not by_school:
        return 0
    users = db.session.execute(
        select(User.id, User.email, User.organisation_id).where(
            User.organisation_id.in_(list(by_school)),
            User.role == Role.SCHOOL,
            wanting("review_due"),
        )
    ).all()
    queued = 0
    for user_id, email, school_id in users:
        items = by_school[school_id]
        subject = f"Placement reviews due: {len(items)} placement{'s' if len(items) != 1 else ''}"
        body = _body(
            [
                "These placements need a review (at least every half term).",
                "Open each one to record the review.",
            ],
            items,
        )
        queued += queue_message(
            f"reviews:{user_id}:{today}",
            email,
            subject,
            body,
            kind="review_due",
            personalisation={"link": "", "count": str(len(items))},
        )
    return queued


def send_reminders(today: date) -> dict[str, int]:
    """Queue today's reminders in the outbox (flushed, not committed); counts by kind."""
    settings = current_settings()
    providers = db.session.scalars(
        select(Provider).where(Provider.framework_status.in_(ON_FRAMEWORK)).order_by(Provider.id)
    ).all()
    statuses = qa_statuses(list(providers), settings, today)
    by_id = {p.id: p for p in providers}

    def recipients(kind: str) -> dict[int, list[str]]:
        return _provider_recipients(list(providers), kind)

    return {
        "self_assessments": _self_assessment_reminders(
            statuses, recipients("self_assessment_due"), today
        ),
        "actions": _action_reminders(by_id, recipients("action_due"), settings, today),
        "inspections": _inspection_digests(statuses, today),
        "la_actions": la_actions_overdue(today),
        "reviews": _review_digests(settings, today),
        "documents": document_reminders(
            by_id,
            recipients("document_expiring"),
            today,
            current_app.config["DOCUMENT_EXPIRY_WARNING_DAYS"],
        ),
    }
