"""The audit log in the words of the pages: records by their kind, linked where they have a
page, and changed fields by the labels their forms give them."""

from __future__ import annotations

import functools

from flask import url_for
from markupsafe import Markup, escape
from wtforms.fields.core import UnboundField

# table -> (what one record is called, the page it has and that page's id argument)
RECORDS: dict[str, tuple[str, str | None, str | None]] = {
    "pupils": ("Pupil", "pupils.show_pupil", "pupil_id"),
    "placements": ("Placement", "placements.show_placement", "placement_id"),
    "providers": ("Provider", "providers.show_provider", "provider_id"),
    "organisations": ("Organisation", None, None),
    "inspections": ("Inspection", "inspections.show_inspection", "inspection_id"),
    "self_assessments": (
        "Self-assessment",
        "self_assessments.show_self_assessment",
        "self_assessment_id",
    ),
    "absence_cases": ("Absence", "absences.show_absence", "case_id"),
    "users": ("User", "users.edit_user", "user_id"),
    "reviews": ("Review", None, None),
    "extension_requests": ("Extension request", None, None),
    "attendance": ("Attendance mark", None, None),
    "placement_checks": ("Pre-start check", None, None),
    "compliance_documents": ("Compliance document", None, None),
    "inspection_actions": ("Inspection action", None, None),
    "framework_status_changes": ("Framework status change", None, None),
    "la_settings": ("Settings", "la_settings.edit_settings", None),
    "kpi_settings": ("KPI target", None, None),
    "message_preferences": ("Email choice", None, None),
    "invitations": ("Invitation", None, None),
}


def humanised(name: str) -> str:
    text = name.replace("_", " ").strip()
    return text[:1].upper() + text[1:]


def kind_label(table: str) -> str:
    """What one record of a table is called: 'Pre-start check' for placement_checks."""
    return RECORDS.get(table, (humanised(table), None, None))[0]


def record(table: str | None, record_id: str | None) -> Markup | str:
    """'Placement 12', linked to its page when it has one."""
    if not table:
        return ""
    kind, endpoint, argument = RECORDS.get(table, (humanised(table), None, None))
    text = f"{kind} {record_id}" if record_id else kind
    if endpoint is None:
        return text
    if argument is None:
        href = url_for(endpoint)
    elif (record_id or "").isdigit():
        href = url_for(endpoint, **{argument: int(record_id)})
    else:
        return text
    return Markup('<a class="govuk-link" href="{}">{}</a>').format(href, escape(text))


@functools.cache
def _form_labels() -> dict[str, str]:
    """Each field name's label on the service's forms (the first form to use a name wins)."""
    from apregister.forms import FlaskForm

    labels: dict[str, str] = {}
    todo = [FlaskForm]
    while todo:
        cls = todo.pop()
        todo.extend(cls.__subclasses__())
        for name, attribute in vars(cls).items():
            if isinstance(attribute, UnboundField):
                label = attribute.args[0] if attribute.args else attribute.kwargs.get("label")
                if isinstance(label, str) and label and name not in labels:
                    labels[name] = label.rstrip("?:")
    return labels


def field(name: str) -> str:
    """A changed column as its form names it, else in plain words."""
    return _form_labels().get(name) or humanised(name)
