"""The placements import's checks of one row, with the messages of add_placement and of the
end-placement and review forms. None reads the database: the register is in the context."""

from __future__ import annotations

from datetime import date
from typing import Any, cast

from apregister.imports.cells import RowReader
from apregister.imports.kinds.placement_register import (
    Existing,
    PlacementsContext,
    ProviderRef,
    text_hash,
)
from apregister.models import Provider
from apregister.placements import rules
from apregister.placements.operations.commission import agreed_reason, policy_refusal
from apregister.templating import govuk_date

HASHED = frozenset({"objectives", "reintegration_plan", "off_framework_reason", "outcome_notes"})


def provider(context: PlacementsContext, reader: RowReader) -> ProviderRef | None:
    for column, key, what in (
        ("provider_urn", "urn", "with URN {}"),
        ("provider_ukprn", "ukprn", "with UKPRN {}"),
        ("provider", "name", "called {}"),
    ):
        raw = reader.raw(column)
        if raw:
            lookup = " ".join(raw.lower().split()) if key == "name" else raw.replace(" ", "")
            found = context.provider_ids[key].get(lookup)
            if found is None:
                reader.error(
                    column,
                    f"No provider {what.format(raw)} is on the register: import providers first",
                )
                return None
            return context.providers[found]
    reader.error("provider", "Enter the provider's name, URN or UKPRN")
    return None


def merged(values: dict, existing: Existing | None, context: PlacementsContext) -> dict:
    """The row's values, with what the register holds (or the defaults) where it is blank."""
    merged = {key: value for key, value in values.items() if value is not None}
    if existing is None:
        merged.setdefault(
            "planned_end", rules.default_planned_end(values["start_date"], context.weeks)
        )
        merged.setdefault("session_mask", 0)
        for key in (
            "actual_end",
            "outcome",
            "cost_per_week",
            "off_framework_reason",
            "outcome_notes",
        ):
            merged.setdefault(key, None)
        return merged
    for key in ("planned_end", "session_mask", "actual_end", "outcome"):
        merged.setdefault(key, getattr(existing, key))
    return merged


def check_dates(reader: RowReader, merged: dict, reviews: list[date], today: date) -> None:
    start, end, ended = merged["start_date"], merged["planned_end"], merged["actual_end"]
    if end <= start:
        reader.error("planned_end", "The planned end date must be after the start date")
    if ended is not None and merged["outcome"] is None:
        reader.error("outcome", "Enter the outcome of the placement, with its end date")
    if merged["outcome"] is not None and ended is None:
        reader.error("actual_end", "Enter the date the placement ended, with its outcome")
    if ended is not None and ended > today:
        reader.error("actual_end", "The end date must be today or in the past")
    elif ended is not None and ended < start:
        reader.error(
            "actual_end",
            f"The end date must be on or after the placement's start date, {govuk_date(start)}",
        )
    for day in reviews:
        if day > today:
            reader.error(
                "review_dates", f"The review date {govuk_date(day)} must be today or in the past"
            )
        elif day < start:
            reader.error(
                "review_dates",
                f"The review date {govuk_date(day)} must be on or after the placement's start "
                f"date, {govuk_date(start)}",
            )
        elif ended is not None and start <= ended <= today and day > ended:
            reader.error(
                "review_dates",
                f"The review date {govuk_date(day)} must be on or before the end date, "
                f"{govuk_date(ended)}",
            )


def check_provider(reader: RowReader, provider: ProviderRef, values: dict, context) -> None:
    refusal = policy_refusal(cast(Provider, provider), context.settings)
    if refusal:
        reader.error("provider", refusal)
    elif provider.framework_status.off_framework_kind and not agreed_reason(
        values["off_framework_reason"]
    ):
        reader.error(
            "off_framework_reason",
            f"Enter why the pupil was placed at {provider.name}, which is not approved on "
            "the framework",
        )


def check_clashes(reader, context, pupil_id, provider, merged, existing) -> None:
    """No double booking (placements/operations/commission.py: clashes), against the pupil's
    placements on the register and the file's earlier rows."""
    end = merged["actual_end"] or merged["planned_end"]
    new = rules.Booking(provider.id, merged["start_date"], end, merged["session_mask"])
    for other in context.spans.get(pupil_id, ()):
        if existing is not None and other.placement_id == existing.id:
            continue
        clash = rules.double_booking(
            new, rules.Booking(other.provider_id, other.start, other.end, other.mask)
        )
        name = context.providers[other.provider_id].name
        if clash == "start_date":
            reader.error(
                "start_date",
                f"The pupil already has a placement at {name} for these dates. Change the "
                "dates or the existing placement",
            )
            return
        if clash == "sessions":
            reader.error(
                "sessions",
                f"The pupil is already placed at {name} for some of these sessions. Choose "
                "sessions that do not overlap, or change the dates",
            )
            return


def changes(values: dict, existing: Existing, reviews: list[date], context) -> dict:
    changed: dict[str, Any] = {}
    for key, value in values.items():
        if value is None or key == "start_date":
            continue
        if key == "off_framework_reason" and not existing.off_framework:
            continue
        old = getattr(existing, key)
        if (text_hash(value) if key in HASHED else value) != old:
            changed[key] = value
    new_reviews = sorted(set(reviews) - context.reviews.get(existing.id, set()))
    if new_reviews:
        changed["reviews"] = new_reviews
    return changed
