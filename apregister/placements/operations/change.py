"""Changing a placement after it is recorded: every rule adding one runs is run again on the
changed plan, the audit log records each field's old and new value (the session hook), and
the other side is told. Flush, never commit."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from apregister.checks import queries as check_queries
from apregister.checks.operations import CONTACT_FIELDS
from apregister.extensions import db
from apregister.models import (
    LA_ROLES,
    CheckItem,
    ExtensionRequest,
    ExtensionStatus,
    LaSettings,
    Placement,
    User,
)
from apregister.placements import change_rules, rules
from apregister.placements import warnings as placement_warnings
from apregister.placements.operations.commission import PlacementDetails, agreed_reason, clashes
from apregister.placements.operations.common import PlacementRefused, lock_pupil
from apregister.placements.operations.progress import request_extension, require_open


@dataclass
class PlacementChange:
    """The placement as the commissioner wants it; the dates are ignored once it started."""

    start_date: date
    planned_end: date | None
    session_mask: int
    hours_per_week: Decimal
    full_time: bool
    cost_per_week: Decimal | None
    objectives: str
    reintegration_plan: str
    contacts: dict[str, str | None] = field(default_factory=dict)
    warnings_reason: str | None = None


@dataclass
class ChangeResult:
    changed: list[str]  # field names, in the page's order; empty: nothing to save
    agreement_reopened: bool = False  # the agreement had been confirmed, and must be again
    extension: ExtensionRequest | None = None  # the weeks past what was agreed, to decide


def _values(placement: Placement) -> dict:
    return {name: getattr(placement, name) for name in change_rules.FIELDS}


def wanted(placement: Placement, change: PlacementChange, settings: LaSettings, today: date):
    """The changed placement's values, by field: dates kept once it has started, a blank
    planned end read as the standard length (as when it is added)."""
    if change_rules.dates_editable(placement.start_date, today):
        start = change.start_date
        end = change.planned_end or rules.default_planned_end(start, settings.placement_weeks)
    else:
        start, end = placement.start_date, placement.planned_end
    return {
        "start_date": start,
        "planned_end": end,
        "session_mask": change.session_mask,
        "hours_per_week": change.hours_per_week,
        "full_time": change.full_time,
        "cost_per_week": change.cost_per_week,
        "objectives": change.objectives.strip(),
        "reintegration_plan": change.reintegration_plan.strip(),
        **{name: change.contacts.get(name) or None for name in CONTACT_FIELDS},
    }


def _checked(
    placement: Placement, change: PlacementChange, settings: LaSettings, today: date
) -> dict:
    """The wanted values, once the dates are known to be possible."""
    after = wanted(placement, change, settings, today)
    if change_rules.dates_editable(placement.start_date, today):
        refusal = change_rules.start_refusal(after["start_date"], today)
        if refusal:
            raise PlacementRefused(refusal, "start_date")
        if after["planned_end"] <= after["start_date"]:
            raise PlacementRefused(
                "The planned end date must be after the start date", "planned_end"
            )
    return after


def _plan(placement: Placement, values: dict) -> placement_warnings.Plan:
    return placement_warnings.Plan(
        placement.pupil,
        placement.provider,
        values["start_date"],
        values["planned_end"],
        values["session_mask"],
        values["hours_per_week"],
        values["full_time"],
        placement_id=placement.id,
    )


def change_warnings(
    placement: Placement, change: PlacementChange, settings: LaSettings, today: date, *, user
) -> list[str]:
    """The warnings the change would bring (the ones adding a placement gives: the 12-week
    rule, the unregistered limits, the registration threshold), leaving out those the plan
    has already, or has kept with a reason. Impossible dates are refused first."""
    after = _checked(placement, change, settings, today)
    if not any(after[name] != getattr(placement, name) for name in change_rules.PLAN):
        return []
    found = placement_warnings.for_plan(_plan(placement, after), settings, today, user=user)
    before = placement_warnings.for_plan(
        _plan(placement, _values(placement)), settings, today, user=user
    )
    return change_rules.new_warnings(found, before, placement.warning_list)


def _reopen_agreement(placement: Placement) -> bool:
    """The agreement no longer says what was confirmed: both sides confirm it again."""
    check = check_queries.checks_for(placement).get(CheckItem.AGREEMENT)
    if check is None or not (check.commissioner_confirmed_on or check.provider_confirmed_on):
        return False
    check.commissioner_confirmed_by_id = None
    check.commissioner_confirmed_on = None
    check.provider_confirmed_by_id = None
    check.provider_confirmed_on = None
    check.complete = False
    return True


def change_placement(
    placement: Placement,
    change: PlacementChange,
    *,
    settings: LaSettings,
    today: date,
    by: User,
    warnings: list[str] = (),  # type: ignore[assignment]
) -> ChangeResult:
    """Apply the change after every rule that can refuse it has been checked; nothing at all
    is written when nothing changed. Planned past what is already agreed, the commissioner's
    change keeps the agreed length and asks the LA for the rest (an extension request), as
    when a placement is added; the LA's own change is agreed at once."""
    require_open(placement)
    editable = change_rules.dates_editable(placement.start_date, today)
    after = _checked(placement, change, settings, today)
    start, end = after["start_date"], after["planned_end"]
    before = _values(placement)
    changed = change_rules.differences(before, after)
    if not changed:
        return ChangeResult([])
    if warnings and not agreed_reason(change.warnings_reason):
        raise PlacementRefused(
            "Enter why the change should go ahead despite the warnings", "warnings_reason"
        )
    lock_pupil(placement.pupil)
    if any(name in changed for name in change_rules.PLAN):
        details = PlacementDetails(
            provider_id=placement.provider_id,
            reason=placement.reason,
            start_date=start,
            planned_end=end,
            session_mask=after["session_mask"],
            hours_per_week=after["hours_per_week"],
            full_time=after["full_time"],
            cost_per_week=after["cost_per_week"],
            objectives=after["objectives"],
            reintegration_plan=after["reintegration_plan"],
        )
        clashes(placement.pupil, details, end, except_id=placement.id, today=today)
    allowed = change_rules.longest_end(
        start, placement.start_date, placement.planned_end, settings.placement_weeks
    )
    longer = editable and end > allowed
    la = by.role in LA_ROLES
    for name in changed:
        setattr(placement, name, after[name])
    if longer and not la:
        placement.planned_end = allowed
    changed = change_rules.differences(before, _values(placement))  # as it now stands
    reopened = change_rules.touches_agreement(changed) and _reopen_agreement(placement)
    if warnings:
        placement.warnings = "\n".join([*placement.warning_list, *warnings])
        placement.warnings_reason = "\n".join(
            part
            for part in (placement.warnings_reason, agreed_reason(change.warnings_reason))
            if part
        )
    db.session.flush()
    extension = None
    if longer and not la:
        try:
            extension = request_extension(
                placement,
                new_end=end,
                reason=agreed_reason(change.warnings_reason)
                or "Planned for longer when it was changed",
                today=today,
                by=by,
            )
        except PlacementRefused as refused:
            raise PlacementRefused(str(refused), "planned_end") from None
    elif longer:
        extension = ExtensionRequest(
            placement=placement,
            requested_on=today,
            new_end=end,
            reason=agreed_reason(change.warnings_reason)
            or "Planned for longer when it was changed",
            requested_by_id=by.id,
            status=ExtensionStatus.APPROVED,
            decided_by_id=by.id,
            decided_on=today,
            decision_reason=agreed_reason(change.warnings_reason),
            decision_warnings="\n".join(warnings) or None,
        )
        db.session.add(extension)
        db.session.flush()
    from apregister.messages.placement_changes import placement_changed

    if changed:
        placement_changed(placement, changed, by=by, agreement_reopened=reopened)
    return ChangeResult(changed, reopened, extension)
