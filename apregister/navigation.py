"""Service navigation: the sections each role sees, grouped so that the bar fits on one row.

The top bar (govukServiceNavigation) shows one link per group; a group that holds more than
one section for the user shows them as sub-navigation on each of its pages. Features add their
sections to the group they belong to.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app, request, url_for

from apregister.models import Role

LA_STAFF = frozenset({Role.LA_LEAD, Role.LA_OFFICER})
EVERYONE = frozenset(Role)
PROVIDER_STAFF = frozenset({Role.PROVIDER})
LEAD = frozenset({Role.LA_LEAD})


@dataclass(frozen=True)
class NavItem:
    label: str
    endpoint: str
    roles: frozenset[Role]
    # endpoints that light this item up: a blueprint ("placements.") or one endpoint
    section: str

    def matches(self, endpoint: str) -> bool:
        if self.section.endswith("."):
            return endpoint.startswith(self.section)
        return endpoint == self.section


@dataclass(frozen=True)
class NavGroup:
    label: str
    items: tuple[NavItem, ...]


NAV_GROUPS: tuple[NavGroup, ...] = (
    NavGroup("Home", (NavItem("Home", "pages.home", EVERYONE, "pages.home"),)),
    NavGroup(
        "Placements",
        (
            NavItem(
                "Placements", "placements.list_placements", EVERYONE - {Role.BOARD}, "placements."
            ),
            NavItem("Pupils", "pupils.list_pupils", LA_STAFF | {Role.SCHOOL}, "pupils."),
            NavItem("Attendance", "attendance.record_attendance", PROVIDER_STAFF, "attendance."),
            NavItem("Absences", "absences.list_absences", LA_STAFF | {Role.SCHOOL}, "absences."),
        ),
    ),
    NavGroup(
        "Providers",
        (NavItem("Providers", "providers.list_providers", EVERYONE - {Role.BOARD}, "providers."),),
    ),
    NavGroup(
        "Quality assurance",
        (
            NavItem(
                "Inspections",
                "inspections.list_inspections",
                LA_STAFF | PROVIDER_STAFF,
                "inspections.",
            ),
            NavItem(
                "Self-assessments",
                "self_assessments.list_self_assessments",
                LA_STAFF | PROVIDER_STAFF,
                "self_assessments.",
            ),
        ),
    ),
    NavGroup(
        "Reports",
        (
            NavItem("Reports", "reports.list_reports", LA_STAFF | {Role.SCHOOL}, "reports."),
            NavItem("Dashboard", "dashboard.show_dashboard", LA_STAFF | {Role.BOARD}, "dashboard."),
        ),
    ),
    NavGroup(
        "Admin",
        (
            NavItem("Users", "users.list_users", LEAD, "users."),
            NavItem("Settings", "la_settings.edit_settings", LEAD, "la_settings."),
            NavItem(
                "KPI settings", "dashboard.edit_kpi_settings", LEAD, "dashboard.edit_kpi_settings"
            ),
            NavItem("Imports", "imports.start_import", LEAD, "imports."),
            NavItem("Outbox", "outbox.list_messages", LEAD, "outbox."),
            NavItem("Audit log", "audit_log.list_audit_events", LEAD, "audit_log."),
        ),
    ),
)


def _visible(group: NavGroup, role: Role) -> list[NavItem]:
    views = current_app.view_functions
    return [item for item in group.items if role in item.roles and item.endpoint in views]


def _current_group(role: Role, endpoint: str) -> tuple[NavGroup, list[NavItem]] | None:
    # The most specific match wins: "dashboard.edit_kpi_settings" is Admin, not Reports.
    best = None
    for group in NAV_GROUPS:
        for item in _visible(group, role):
            if item.matches(endpoint) and (best is None or len(item.section) > best[0]):
                best = (len(item.section), group)
    return (best[1], _visible(best[1], role)) if best else None


def navigation_for(role: Role | None) -> list[dict]:
    """Items for govukServiceNavigation: one per group the role may open. A group with one
    section for this role is named after that section (the board's "Dashboard")."""
    if role is None:
        return []
    endpoint = request.endpoint or ""
    current = _current_group(role, endpoint)
    items = []
    for group in NAV_GROUPS:
        visible = _visible(group, role)
        if not visible:
            continue
        label = group.label if len(visible) > 1 else visible[0].label
        active = current is not None and current[0] is group
        items.append({"href": url_for(visible[0].endpoint), "text": label, "active": active})
    return items


def sub_navigation_for(role: Role | None) -> list[dict]:
    """The sections of the current group, when it holds more than one for this role."""
    if role is None:
        return []
    endpoint = request.endpoint or ""
    current = _current_group(role, endpoint)
    if current is None or len(current[1]) < 2:
        return []
    group, visible = current
    best = max((i for i in visible if i.matches(endpoint)), key=lambda i: len(i.section))
    # "page" on the section's own page; "true" on the pages inside it (a placement's page)
    return [
        {
            "href": url_for(item.endpoint),
            "text": item.label,
            "current": ("page" if item.endpoint == endpoint else "true") if item is best else None,
        }
        for item in visible
    ]


def group_label(role: Role | None) -> str:
    """The name of the current group, for the sub-navigation's label."""
    if role is None:
        return ""
    current = _current_group(role, request.endpoint or "")
    return current[0].label if current else ""
