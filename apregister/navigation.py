"""Service navigation: which sections each role sees. Features add their entries here."""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app, request, url_for

from apregister.models import Role

LA_STAFF = frozenset({Role.LA_LEAD, Role.LA_OFFICER})
EVERYONE = frozenset(Role)
PROVIDER_STAFF = frozenset({Role.PROVIDER})


@dataclass(frozen=True)
class NavItem:
    label: str
    endpoint: str
    roles: frozenset[Role]
    # endpoints that light this item up as the current section
    section: str


NAV_ITEMS: tuple[NavItem, ...] = (
    NavItem("Home", "pages.home", EVERYONE, "pages.home"),
    NavItem("Placements", "placements.list_placements", EVERYONE - {Role.BOARD}, "placements."),
    NavItem("Pupils", "pupils.list_pupils", LA_STAFF | {Role.SCHOOL}, "pupils."),
    NavItem(
        "Attendance", "attendance.record_attendance", frozenset({Role.PROVIDER}), "attendance."
    ),
    NavItem("Providers", "providers.list_providers", EVERYONE - {Role.BOARD}, "providers."),
    NavItem(
        "Inspections", "inspections.list_inspections", LA_STAFF | PROVIDER_STAFF, "inspections."
    ),
    NavItem(
        "Self-assessments",
        "self_assessments.list_self_assessments",
        LA_STAFF | PROVIDER_STAFF,
        "self_assessments.",
    ),
    NavItem("Reports", "reports.list_reports", LA_STAFF | {Role.SCHOOL}, "reports."),
    NavItem("Dashboard", "dashboard.show_dashboard", LA_STAFF | {Role.BOARD}, "dashboard."),
    NavItem("Users", "users.list_users", frozenset({Role.LA_LEAD}), "users."),
    NavItem("Settings", "la_settings.edit_settings", frozenset({Role.LA_LEAD}), "la_settings."),
    NavItem("Outbox", "outbox.list_messages", frozenset({Role.LA_LEAD}), "outbox."),
    NavItem("Audit log", "audit_log.list_audit_events", frozenset({Role.LA_LEAD}), "audit_log."),
)


def navigation_for(role: Role | None) -> list[dict]:
    """Items for govukServiceNavigation: only sections that exist and the role may open."""
    if role is None:
        return []
    endpoint = request.endpoint or ""
    items = []
    for item in NAV_ITEMS:
        if role not in item.roles or item.endpoint not in current_app.view_functions:
            continue
        active = endpoint == item.section or (
            item.section.endswith(".") and endpoint.startswith(item.section)
        )
        items.append({"href": url_for(item.endpoint), "text": item.label, "active": active})
    return items
