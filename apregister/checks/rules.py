"""Pure rules for the pre-start checks: which are required, and when a placement is ready."""

from __future__ import annotations

from collections.abc import Iterable

from apregister.models import CheckItem

ALL_ITEMS: tuple[CheckItem, ...] = tuple(CheckItem)


def ready_to_start(done: set[str], required: set[str]) -> bool:
    """Ready when every required item is complete (nothing required: always ready)."""
    return set(required) <= set(done)


def parse_required(saved: str | None) -> set[str]:
    """The LA setting's comma-separated items, unknown ones left out."""
    known = {item.value for item in CheckItem}
    return {part.strip() for part in (saved or "").split(",") if part.strip() in known}


def format_required(items: Iterable[str]) -> str:
    """The setting's stored form, in the guidance's order."""
    chosen = {str(item) for item in items}
    return ",".join(item.value for item in ALL_ITEMS if item.value in chosen)


def progress_text(done: set[str], required: set[str]) -> str:
    """'Ready to start', or 'Not ready: 2 of 6 checks done'."""
    if ready_to_start(done, required):
        return "Ready to start"
    return f"Not ready: {len(set(done) & set(required))} of {len(required)} checks done"
