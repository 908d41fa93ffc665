"""Demo data for the checks before a placement starts: most current placements have every
check done; one planned placement waits for its provider to confirm the agreement; and the
placement at the setting off the framework is running without its checks (on the queues)."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from apregister.extensions import db
from apregister.models import CheckItem, Placement, PlacementCheck, User
from apregister.placements.queries import current_clause

DETAILS = {
    CheckItem.STAFF_CHECKS: "Enhanced DBS with barred list for every member of staff; "
    "single central record seen and signed by the head of centre",
    CheckItem.RISK_ASSESSMENT: "Risk assessment agreed with the provider; kept on the school's "
    "safeguarding system",
    CheckItem.PARENT_AGREEMENT: "Agreed to the placement and the timetable",
    CheckItem.PUPIL_VIEWS: "Visited with a teaching assistant; keen on the practical sessions",
    CheckItem.TRANSPORT_LUNCH: "Bus pass issued; free school meal provided by the setting",
    CheckItem.AGREEMENT: "The school follows up every absence the same day; the provider takes "
    "the register by 10:00 and tells the school of any incident before the end of the day",
}


def _contacts(placement: Placement) -> None:
    placement.dsl_name = placement.dsl_name or "Sam Patel (designated safeguarding lead)"
    placement.dsl_phone = placement.dsl_phone or "01632960101"
    placement.lead_name = placement.lead_name or "Jo Evans (inclusion lead)"
    placement.lead_email = placement.lead_email or "inclusion@school.demo.test"
    placement.provider_contact_name = placement.provider_contact_name or "Head of centre"
    placement.provider_contact_phone = placement.provider_contact_phone or "01632960202"


def _check(placement, item, on: date, by: User, provider_confirms: bool = True):
    check = PlacementCheck(
        placement_id=placement.id,
        item=item,
        complete=True,
        recorded_by_id=by.id,
        recorded_on=on,
        details=DETAILS[item],
    )
    if item is CheckItem.PARENT_AGREEMENT:
        check.given_by, check.given_on, check.given_how = "Parent", on, "At a meeting at school"
    if item is CheckItem.STAFF_CHECKS:
        check.given_by, check.given_on, check.given_how = "Head of centre", on, "Signed letter"
    if item is CheckItem.AGREEMENT:
        check.commissioner_confirmed_by_id, check.commissioner_confirmed_on = by.id, on
        if provider_confirms:
            check.provider_confirmed_on = on
        check.complete = provider_confirms
    db.session.add(check)


def seed_checks(*, today: date, lead: User, running_without: set[int]) -> None:
    """Checks for the demo's current and planned placements, unless there are some already.
    `running_without` are placements to leave without any."""
    if db.session.scalar(select(PlacementCheck.id).limit(1)) is not None:
        return
    placements = db.session.scalars(
        select(Placement).where(current_clause(today)).order_by(Placement.id)
    ).all()
    planned = [p for p in placements if p.start_date > today]
    waiting = planned[0] if planned else None
    for placement in placements:
        if placement.id in running_without:
            continue
        _contacts(placement)
        on = min(placement.start_date - timedelta(days=7), today)
        if placement is waiting:
            for item in (CheckItem.RISK_ASSESSMENT, CheckItem.PARENT_AGREEMENT):
                _check(placement, item, on, lead)
            _check(placement, CheckItem.AGREEMENT, on, lead, provider_confirms=False)
            continue
        for item in CheckItem:
            _check(placement, item, on, lead)
    db.session.flush()
