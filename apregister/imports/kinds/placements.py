"""Importing placements with their reviews and outcomes: matched by the pupil's UPN, the
provider and the start date, and checked by add_placement's rules (the LA's policy on
providers that are not approved, no double booking, the 12-week rule) and the end-placement
and review forms'. The importer is the LA's lead, so a placement planned longer than the
standard length is recorded with an extension agreed by the import, as when the LA commissions
one itself. The commissioner is the pupil's owner: its school, or the LA."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from sqlalchemy import select, update

from apregister.extensions import db
from apregister.imports.cells import RowReader, parse_date
from apregister.imports.kinds import placement_checks as checks
from apregister.imports.kinds.base import Action, CheckedRow, Column
from apregister.imports.kinds.placement_columns import (
    BY_KEY,
    COLUMNS,
    HEADINGS,
    OUTCOME,
    REASON,
    parse_cost,
    parse_dates,
    parse_full_time,
    parse_hours,
    parse_sessions,
    text_parser,
)
from apregister.imports.kinds.placement_register import PlacementsContext, Span, read_register
from apregister.imports.kinds.placement_writes import create, update_placement
from apregister.models import LaSettings, Placement, Pupil, User
from apregister.placements import rules
from apregister.pupils.rules import normalise_upn
from apregister.templating import govuk_date

TEXTS = {  # the column, what its message calls it, its longest
    "objectives": ("Objectives", 4000),
    "reintegration_plan": ("The plan", 4000),
    "off_framework_reason": ("The reason", 2000),
    "outcome_notes": ("Outcome notes", 5000),
}
MISSING = {
    "reason": "Enter the reason for the placement",
    "start_date": "Enter the start date",
    "sessions": "Enter at least one session, like Mon AM; Mon PM",
    "hours_per_week": "Enter the hours each week, like 12.5",
    "full_time": "Enter yes for full time or no for part time",
    "objectives": "Enter the placement's objectives",
    "reintegration_plan": "Enter the reintegration plan and timeline",
}
_TEXT_PARSERS = {key: text_parser(what, limit) for key, (what, limit) in TEXTS.items()}


class PlacementsKind:
    name = "placements"
    label = "Placements"
    noun = "placement"
    matched_by = "Placements are matched by the pupil's UPN, the provider and the start date"
    columns: tuple[Column, ...] = COLUMNS

    def prepare(self, *, today: date, settings: LaSettings) -> PlacementsContext:
        return read_register(today, settings)

    def check(self, context: PlacementsContext, line: int, cells: Mapping[str, str]) -> CheckedRow:
        reader = RowReader(line, cells, BY_KEY)
        pupil = None
        if upn := reader.raw("upn"):
            pupil = context.pupils.get(normalise_upn(upn))
            if pupil is None:
                reader.error(
                    "upn", "No pupil with this UPN is on the register: import pupils first"
                )
        else:
            reader.error("upn", "Enter the pupil's UPN")
        provider = checks.provider(context, reader)
        values: dict[str, Any] = {
            "reason": reader.read("reason", REASON),
            "start_date": reader.read("start_date", parse_date),
            "planned_end": reader.read("planned_end", parse_date),
            "session_mask": reader.read("sessions", parse_sessions),
            "hours_per_week": reader.read("hours_per_week", parse_hours),
            "full_time": reader.read("full_time", parse_full_time),
            "cost_per_week": reader.read("cost_per_week", parse_cost),
            "actual_end": reader.read("actual_end", parse_date),
            "outcome": reader.read("outcome", OUTCOME),
        } | {key: reader.read(key, parser) for key, parser in _TEXT_PARSERS.items()}
        reviews = reader.read("review_dates", parse_dates) or []
        start = values["start_date"]
        key = (pupil.id, provider.id, start) if pupil and provider and start else None
        existing = context.placements.get(key) if key else None
        if existing is None:
            for column, message in MISSING.items():
                if not reader.raw(column):
                    reader.error(column, message)
        merged = checks.merged(values, existing, context) if start else None
        if merged is not None:
            checks.check_dates(reader, merged, reviews, context.today)
        if provider and existing is None:
            checks.check_provider(reader, provider, values, context)
        if key is not None:
            earlier = context.seen.setdefault(key, line)
            if earlier != line:
                reader.error(
                    None,
                    f"This placement is also on row {earlier}: the same pupil, provider "
                    "and start date",
                )
        changed = checks.changes(values, existing, reviews, context) if existing else {}
        if existing is not None and existing.cancelled and changed:
            reader.error(None, "This placement was cancelled, so it cannot be changed")
        moved = {"planned_end", "actual_end", "session_mask"} & set(changed)
        if pupil and provider and merged and not reader.errors and (existing is None or moved):
            checks.check_clashes(reader, context, pupil.id, provider, merged, existing)
        summary = (
            f"Placement at {provider.name} from {govuk_date(start)}" if provider and start else ""
        )
        if reader.errors:
            return CheckedRow(line, Action.INVALID, reader.errors, key=upn, summary=summary)
        assert pupil is not None and provider is not None and merged is not None
        if existing is None or not existing.cancelled:
            end = rules.run_end(merged["planned_end"], merged["actual_end"], context.today)
            placement_id, mask = (existing.id if existing else None), merged["session_mask"]
            span = Span(placement_id, provider.id, start, end, mask)
            context.spans.setdefault(pupil.id, []).append(span)
        if existing is None:
            row_values = (pupil, provider, merged, reviews)
            return CheckedRow(line, Action.CREATE, key=upn, summary=summary, values=row_values)
        if not changed:
            return CheckedRow(line, Action.UNCHANGED, key=upn, summary=summary)
        headings = tuple(dict.fromkeys(HEADINGS.get(name, "Review dates") for name in changed))
        return CheckedRow(
            line,
            Action.UPDATE,
            key=upn,
            summary=summary,
            changed=headings,
            values=(existing.id, changed),
        )

    def write(
        self, context: PlacementsContext, rows: Sequence[CheckedRow], *, by: User | None
    ) -> None:
        # The pupils' row locks first, as add_placement takes them, in one statement.
        pupil_ids = {row.values[0].id for row in rows if row.action is Action.CREATE}
        if pupil_ids:
            db.session.execute(
                update(Pupil)
                .where(Pupil.id.in_(pupil_ids))
                .values(placement_lock=Pupil.placement_lock + 1)
                .execution_options(synchronize_session=False)
            )
        by_id = by.id if by is not None else None
        for row in rows:
            if row.action is Action.CREATE:
                create(context, *row.values, by_id=by_id)
        updates = {row.values[0]: row.values[1] for row in rows if row.action is Action.UPDATE}
        if updates:
            for placement in db.session.scalars(select(Placement).where(Placement.id.in_(updates))):
                update_placement(context, placement, updates[placement.id], by_id=by_id)
        db.session.flush()


KIND = PlacementsKind()
