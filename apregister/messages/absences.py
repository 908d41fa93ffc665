"""Safeguarding messages to the home school about absences (they cannot be switched off). They
name the placement by number, never the pupil."""

from __future__ import annotations

from datetime import date

from apregister.mail import service_link
from apregister.messages.common import body, queue_to_all, school_staff_emails
from apregister.models import AbsenceCase, AbsenceTrigger, Placement
from apregister.templating import govuk_date

UNEXPLAINED_ABSENCE = "unexplained_absence"
REPEATED_ABSENCE = "repeated_absence"


def unexplained_absence(placement: Placement, case: AbsenceCase) -> int:
    what = (
        "marked absent, and the provider does not know why"
        if case.trigger is AbsenceTrigger.UNEXPLAINED
        else "not recorded by the provider by the cut-off time"
    )
    text = body(
        [
            f"The {case.session.value} session on {govuk_date(case.date)} of placement "
            f"{placement.id} at {placement.provider.name} was {what}.",
            "Your school keeps its duty of care: please contact the family today, check the "
            "pupil is safe and well, and record what you find.",
        ],
        [],
        link := service_link(f"/absences/{case.id}"),
    )
    return queue_to_all(
        school_staff_emails([placement.school_id])[placement.school_id],
        f"absence:{case.id}",
        f"Absence to follow up today: placement {placement.id}",
        text,
        kind=UNEXPLAINED_ABSENCE,
        link=link,
        fields={
            "placement_number": placement.id,
            "provider_name": placement.provider.name,
            "date": govuk_date(case.date),
            "session": case.session.value,
            "count": 1,
        },
    )


def repeated_absence(placement: Placement, today: date, count: int, days: int) -> int:
    text = body(
        [
            f"Placement {placement.id} at {placement.provider.name} has had {count} absences "
            f"to follow up in the last {days} school days.",
            "Please bring its review forward.",
        ],
        [],
        link := service_link(f"/placements/{placement.id}"),
    )
    return queue_to_all(
        school_staff_emails([placement.school_id])[placement.school_id],
        f"absence-pattern:{placement.id}:{today.isoformat()}",
        f"Repeated absence: an early review of placement {placement.id}",
        text,
        kind=REPEATED_ABSENCE,
        link=link,
        fields={
            "placement_number": placement.id,
            "provider_name": placement.provider.name,
            "count": count,
            "days": days,
        },
    )


def sessions_not_recorded(schools: dict[int, int], day: date, session, settings) -> int:
    """One message to each school's staff: how many of its placements' sessions were not
    recorded by the cut-off (a safeguarding message; the list in the service names them)."""
    cutoff = settings.am_cutoff if session.value == "AM" else settings.pm_cutoff
    link = service_link("/absences?status=open")
    queued = 0
    for school_id, emails in school_staff_emails(schools).items():
        count = schools[school_id]
        text = body(
            [
                f"{count} of your pupils' {session.value} sessions at alternative provision on "
                f"{govuk_date(day)} {'was' if count == 1 else 'were'} not recorded by the "
                f"provider by {cutoff}.",
                "Your school keeps its duty of care: please check each pupil is safe and well "
                "today, and record what you find.",
            ],
            [],
            link,
        )
        queued += queue_to_all(
            emails,
            f"cutoff:{school_id}:{day.isoformat()}:{session.value}",
            f"Sessions to follow up today: {count} not recorded by {cutoff}",
            text,
            kind=UNEXPLAINED_ABSENCE,
            link=link,
            fields={
                "placement_number": "",
                "provider_name": "",
                "date": govuk_date(day),
                "session": session.value,
                "count": count,
            },
        )
    return queued
