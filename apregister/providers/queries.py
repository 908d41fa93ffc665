"""Filters and sorting for the register list; they narrow a query the access package has scoped."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from flask import current_app
from sqlalchemy import ColumnElement, Select, select
from sqlalchemy.orm import selectinload
from sqlalchemy.orm.attributes import set_committed_value

from apregister.extensions import db
from apregister.models import (
    REGISTERED_TYPES,
    FrameworkStatus,
    LaSettings,
    Provider,
    ProviderTag,
    RegistrationType,
)
from apregister.qa.status import (
    documents_attention_clause,
    inspection_due_clause,
    qa_facts,
    qa_overdue_clause,
    self_assessment_due_clause,
)
from apregister.settings import current_settings

SORTS = {
    "name": (Provider.name_key,),
    "status": (Provider.framework_status, Provider.name_key),
    "updated": (Provider.updated_at.desc(), Provider.name_key),
}


QA_FILTERS = {
    "overdue": "Inspection or self-assessment overdue",
    "inspection_due": "Inspection due soon or overdue",
    "self_assessment_overdue": "Self-assessment overdue",
    "documents": "Documents missing, expiring or expired",
}


def qa_clause(key: str, settings: LaSettings, today: date) -> ColumnElement[bool]:
    """The register filter behind each QA item on the LA's work queue."""
    if key == "inspection_due":
        return inspection_due_clause(settings, today + timedelta(days=settings.reminder_days))
    if key == "self_assessment_overdue":
        return self_assessment_due_clause(settings, today - timedelta(days=1))
    if key == "documents":
        return documents_attention_clause(today, current_app.config["DOCUMENT_EXPIRY_WARNING_DAYS"])
    return qa_overdue_clause(settings, today)


@dataclass
class RegisterFilters:
    q: str | None = None
    registration: str | None = None  # "registered", "unregistered" or a RegistrationType
    status: FrameworkStatus | None = None
    qa: str | None = None  # one of QA_FILTERS (LA roles only)
    provision_type: str | None = None
    specialism: str | None = None
    key_stage: str | None = None
    area: str | None = None
    sort: str = "name"


def _tagged(kind: str, value: str):
    return Provider.id.in_(
        select(ProviderTag.provider_id).where(ProviderTag.kind == kind, ProviderTag.value == value)
    )


def apply_filters(stmt: Select, filters: RegisterFilters) -> Select:
    if filters.q:
        stmt = stmt.where(Provider.name_key.contains(" ".join(filters.q.lower().split())))
    if filters.registration == "registered":
        stmt = stmt.where(Provider.registration_type.in_(REGISTERED_TYPES))
    elif filters.registration == "unregistered":
        stmt = stmt.where(Provider.registration_type.not_in(REGISTERED_TYPES))
    elif filters.registration in set(RegistrationType):
        stmt = stmt.where(Provider.registration_type == RegistrationType(filters.registration))
    if filters.status:
        stmt = stmt.where(Provider.framework_status == filters.status)
    if filters.qa in QA_FILTERS:
        stmt = stmt.where(qa_clause(filters.qa, current_settings(), date.today()))
    for kind, value in (
        ("provision_type", filters.provision_type),
        ("specialism", filters.specialism),
        ("key_stage", filters.key_stage),
    ):
        if value:
            stmt = stmt.where(_tagged(kind, value))
    if filters.area:
        stmt = stmt.where(Provider.area == filters.area)
    return stmt


def ordered(stmt: Select, sort: str) -> Select:
    """In the chosen order."""
    return stmt.order_by(*SORTS.get(sort, SORTS["name"]), Provider.id)


def sorted_by(stmt: Select, sort: str) -> Select:
    """In the chosen order, with each provider's tags loaded in one more query (a batch)."""
    return ordered(stmt, sort).options(selectinload(Provider.tags))


def page_query(stmt: Select, sort: str) -> Select:
    """One page of the register: each provider with its QA facts (qa.status.qa_status_of);
    its tags with load_tags."""
    return ordered(stmt, sort).add_columns(*qa_facts())


def load_tags(providers: list[Provider]) -> None:
    """Each provider's tags in one query, asked even for no providers, so that a page runs
    the same queries listing none as many (a loader option asks only when there are some;
    joined to the page's rows, they cost more to read than a query of their own)."""
    tags: dict[int, list[ProviderTag]] = defaultdict(list)
    for tag in db.session.scalars(
        select(ProviderTag)
        .where(ProviderTag.provider_id.in_([provider.id for provider in providers]))
        .order_by(ProviderTag.id)
    ):
        tags[tag.provider_id].append(tag)
    for provider in providers:
        set_committed_value(provider, "tags", tags[provider.id])


def clashes(
    *, name: str | None, urn: str | None, ukprn: str | None, except_id: int | None = None
) -> dict[str, str]:
    """Which identifying fields another provider already has, with the message for each."""
    from apregister.models.provider import name_key

    checks = {
        "name": (
            Provider.name_key,
            name_key(name) if name else None,
            "A provider with this name is already on the register",
        ),
        "urn": (Provider.urn, urn, "A provider with this URN is already on the register"),
        "ukprn": (Provider.ukprn, ukprn, "A provider with this UKPRN is already on the register"),
    }
    found = {}
    for field, (column, value, message) in checks.items():
        if not value:
            continue
        stmt = select(Provider.id).where(column == value)
        if except_id is not None:
            stmt = stmt.where(Provider.id != except_id)
        if db.session.scalar(stmt.limit(1)) is not None:
            found[field] = message
    return found
