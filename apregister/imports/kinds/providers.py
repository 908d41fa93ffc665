"""Importing providers: matched by URN, else UKPRN, else name; new ones join the register
with their framework status (applied unless the file says otherwise), as `flask
import-providers` always did. A blank cell leaves what the register has."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from apregister.extensions import db
from apregister.forms import TEXT_AREA_CONTROLS, control_characters
from apregister.imports.cells import RowReader
from apregister.imports.kinds.base import Action, CheckedRow, Column
from apregister.imports.kinds.provider_columns import (
    BY_KEY,
    COLUMNS,
    DETAIL_FIELDS,
    MULTI_LINE,
    TAG_FIELDS,
    parsers,
)
from apregister.models import FrameworkStatus, LaSettings, Provider, User
from apregister.models.provider import name_key
from apregister.providers.operations import ProviderDetails, add_provider

DEFAULT_STATUS = FrameworkStatus.APPLIED
# the row's keys, the order a provider is matched by them, and their nouns in messages
KEYS = (("urn", "URN"), ("ukprn", "UKPRN"), ("name", "name"))
MISSING = {"name": "Enter the provider's name"}


@dataclass
class ProvidersContext:
    today: date
    parsers: dict[str, Any]
    # what the register holds: each provider's profile, and its id by each key
    records: dict[int, dict[str, Any]]
    ids: dict[str, dict[str, int]]
    source: str = "a spreadsheet"  # the engine may name the file, for the status history
    seen: dict[str, dict[str, int]] = field(
        default_factory=lambda: {"urn": {}, "ukprn": {}, "name": {}, "id": {}}
    )


def _comparable(key: str, value: Any) -> Any:
    if key in TAG_FIELDS:
        return frozenset(str(item) for item in value or ())
    return value


def _key_of(column: str, value: str) -> str:
    return name_key(value) if column == "name" else value


class ProvidersKind:
    name = "providers"
    label = "Providers"
    noun = "provider"
    matched_by = "Providers are matched by URN, else by UKPRN, else by name"
    columns: tuple[Column, ...] = COLUMNS

    def prepare(self, *, today: date, settings: LaSettings) -> ProvidersContext:
        providers = db.session.scalars(select(Provider).options(selectinload(Provider.tags)))
        records: dict[int, dict[str, Any]] = {}
        ids: dict[str, dict[str, int]] = {"urn": {}, "ukprn": {}, "name": {}}
        for provider in providers:
            record = {key: getattr(provider, key) for key in DETAIL_FIELDS}
            record["framework_status"] = provider.framework_status
            records[provider.id] = record
            ids["name"][provider.name_key] = provider.id
            for key in ("urn", "ukprn"):
                if record[key]:
                    ids[key][record[key]] = provider.id
        return ProvidersContext(today=today, parsers=parsers(today), records=records, ids=ids)

    def check(self, context: ProvidersContext, line: int, cells: Mapping[str, str]) -> CheckedRow:
        reader = RowReader(line, cells, BY_KEY)
        values: dict[str, Any] = {}
        for column in COLUMNS:
            raw = reader.raw(column.key)
            allowed = TEXT_AREA_CONTROLS if column.key in MULTI_LINE else frozenset()
            if raw and control_characters(raw, allowed):
                reader.error(
                    column.key, "Remove the special characters, such as tabs or control codes"
                )
                continue
            value = reader.read(
                column.key, context.parsers[column.key], missing=MISSING.get(column.key)
            )
            if value is not None:
                values[column.key] = value
        match = self._match(context, reader, values)
        record = context.records.get(match) if match is not None else None
        if record is None and not reader.raw("registration_type"):
            reader.error("registration_type", "Enter the registration type")
        status = values.pop("framework_status", None)
        if record is not None and status is not None and status is not record["framework_status"]:
            reader.error(
                "framework_status",
                f"{record['name']} is already on the register as "
                f"{record['framework_status'].label.lower()}. Change its framework status on "
                "its page, where the reason is kept, or leave this cell blank",
            )
        key = values.get("urn") or values.get("ukprn") or values.get("name", "")
        if reader.errors:
            return CheckedRow(line, Action.INVALID, reader.errors, key=key)
        if record is None:
            return CheckedRow(
                line,
                Action.CREATE,
                key=key,
                summary=f"New provider: {values['name']}",
                values=(ProviderDetails(**values), status or DEFAULT_STATUS),
            )
        changed = {
            name: value
            for name, value in values.items()
            if _comparable(name, value) != _comparable(name, record[name])
        }
        if not changed:
            return CheckedRow(line, Action.UNCHANGED, key=key, summary=record["name"])
        return CheckedRow(
            line,
            Action.UPDATE,
            key=key,
            summary=record["name"],
            changed=tuple(BY_KEY[name].heading for name in changed),
            values=(match, changed),
        )

    def _match(
        self, context: ProvidersContext, reader: RowReader, values: dict[str, Any]
    ) -> int | None:
        """The provider the row is about, if it is on the register; an error when its keys
        name different providers, or repeat an earlier row's."""
        found = {
            column: context.ids[column].get(_key_of(column, values[column]))
            for column, _ in KEYS
            if column in values
        }
        match = next((found[column] for column, _ in KEYS if found.get(column)), None)
        for column, noun in KEYS:
            other = found.get(column)
            if other is not None and other != match:
                name = context.records[other]["name"]
                reader.error(
                    column, f"A provider with this {noun} is already on the register: {name}"
                )
        for column, noun in KEYS:
            if column not in values:
                continue
            key = _key_of(column, values[column])
            earlier = context.seen[column].get(key)
            if earlier is not None:
                reader.error(column, f"Row {earlier} of this file has the same {noun}")
            else:
                context.seen[column][key] = reader.line
        if match is not None:
            earlier = context.seen["id"].setdefault(match, reader.line)
            if earlier != reader.line and not reader.errors:
                reader.error(None, f"Row {earlier} of this file is about the same provider")
        return match

    def write(
        self, context: ProvidersContext, rows: Sequence[CheckedRow], *, by: User | None
    ) -> None:
        updates = {row.values[0]: row.values[1] for row in rows if row.action is Action.UPDATE}
        if updates:
            query = (
                select(Provider)
                .where(Provider.id.in_(updates))
                .options(selectinload(Provider.tags))
            )
            for provider in db.session.scalars(query):
                for key, value in updates[provider.id].items():
                    setattr(provider, key, value)
                    context.records[provider.id][key] = value
        for row in rows:
            if row.action is not Action.CREATE:
                continue
            details, status = row.values
            provider = add_provider(
                details,
                status=status,
                reason=f"Imported from {context.source}",
                today=context.today,
                by=by,
            )
            record = {key: getattr(details, key) for key in DETAIL_FIELDS}
            context.records[provider.id] = record | {"framework_status": status}
        db.session.flush()


KIND = ProvidersKind()
