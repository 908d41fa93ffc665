"""Importing pupils: matched by UPN, or, for a pupil without one, by name, date of birth and
owner. The checks are the pupil form's; the owner is a school on the register, or the LA."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, fields
from datetime import date

from sqlalchemy import select

from apregister.extensions import db
from apregister.imports.cells import CellError, RowReader, one_of, parse_date, parse_yes_no
from apregister.imports.kinds.base import Action, CheckedRow, Column
from apregister.models import LaSettings, LocalAuthority, Pupil, School, SenStatus, Sex, User
from apregister.models.placement import name_search_key
from apregister.pupils import rules
from apregister.pupils.forms import NOT_OF_SCHOOL_AGE
from apregister.pupils.operations import PupilDetails, add_pupil, update_pupil

FIELDS = tuple(f.name for f in fields(PupilDetails))
LA_WORDS = frozenset({"la", "localauthority"})


def _column(key, heading, variants, example, guidance="", required=True) -> Column:
    return Column(key, heading, (key, *variants), required, example, guidance)


COLUMNS = (
    _column("upn", "UPN", ("Unique pupil number",), "Z201123400001",
            "13 characters. Leave blank if the pupil does not have one yet.", required=False),
    _column("first_name", "First name", ("Forename", "Legal first name"), "Sam"),
    _column("last_name", "Last name", ("Surname", "Legal last name"), "Smith"),
    _column("date_of_birth", "Date of birth", ("DOB",), "1/10/2012",
            "Like 1/10/2012, day first. The pupil is of compulsory school age (5 to 16), or "
            "was within the LA's retention period."),
    _column("sex", "Sex", ("Gender",), "F", "F, M or U, as in the school census."),
    _column("sen_status", "SEN status", ("SEN",), "SEN support",
            "None, SEN support or EHC plan."),
    _column("looked_after", "Looked after", ("CLA", "Looked after child"), "No", "Yes or no."),
    _column("disadvantaged", "Disadvantaged", ("FSM", "Pupil premium"), "No",
            "Yes or no: eligible for free school meals or the pupil premium."),
    _column("school_urn", "School URN", ("School",), "140001",
            "The URN of the pupil's school, which must be on the register. Blank for a pupil "
            "with no school place, whom the LA keeps; LA moves a pupil to the LA.",
            required=False),
)  # fmt: skip
BY_KEY = {column.key: column for column in COLUMNS}
HEADINGS = {column.key: column.heading for column in COLUMNS} | {"owner_id": "School URN"}
_SEX = one_of(Sex, "a sex")
_SEN = one_of(
    SenStatus,
    "an SEN status",
    extra={
        "no": SenStatus.NONE,
        "K": SenStatus.SEN_SUPPORT,
        "E": SenStatus.EHC_PLAN,
        "N": SenStatus.NONE,
    },
)
MISSING = {
    "first_name": "Enter the pupil's first name",
    "last_name": "Enter the pupil's last name",
    "date_of_birth": "Enter the pupil's date of birth",
    "sex": "Enter the pupil's sex: F, M or U",
    "sen_status": "Enter the pupil's SEN status",
    "looked_after": "Enter yes if the pupil is looked after, or no",
    "disadvantaged": "Enter yes if the pupil is disadvantaged, or no",
}


def _upn(raw: str) -> tuple[str, str | None]:
    finding = rules.check_upn(raw)
    if finding.error:
        raise CellError(finding.error)
    return rules.normalise_upn(raw), finding.unknown_la


def _name(what: str):
    def parse(raw: str) -> str:
        if len(raw) > 100:
            raise CellError(f"{what} must be 100 characters or fewer")
        return raw

    return parse


@dataclass
class PupilsContext:
    today: date
    history_from: date  # the start of the LA's retention period: older history is not kept
    la_id: int | None
    schools: dict[str, tuple[int, str]]  # URN: id, name
    owners: dict[int, str]  # organisation id: its name (for the preview)
    pupils: dict[int, dict]  # id: the form's fields and owner_id
    by_upn: dict[str, int]
    by_name: dict[tuple[str, str, date, int], int]  # by name, date of birth and owner
    seen_upns: dict[str, int] = field(default_factory=dict)
    seen_names: dict[tuple[str, str, date, int], int] = field(default_factory=dict)
    seen_ids: dict[int, int] = field(default_factory=dict)  # a matched pupil: its row


# Unlike the form, which adds a pupil placed now, an import brings in years of history: a
# pupil who has left school since is imported, if their school years fall within the LA's
# retention period (the retention job would remove anyone older at once).
HISTORY_AGE = (
    NOT_OF_SCHOOL_AGE + ", or have been at some time since {since:%-d %B %Y} (the LA's "
    "retention period)"
)


def _of_school_age_in_history(dob: date, context: PupilsContext) -> bool:
    first, last = rules.compulsory_school_age_span(dob)
    return first <= context.today and last >= context.history_from


class PupilsKind:
    name = "pupils"
    label = "Pupils"
    noun = "pupil"
    matched_by = "Pupils are matched by UPN; a pupil without one by name, date of birth and school"
    columns: tuple[Column, ...] = COLUMNS

    def prepare(self, *, today: date, settings: LaSettings) -> PupilsContext:
        schools = db.session.execute(select(School.id, School.urn, School.name)).all()
        la = db.session.execute(select(LocalAuthority.id, LocalAuthority.name)).first()
        owners = {row.id: row.name for row in schools} | ({la.id: la.name} if la else {})
        pupils: dict[int, dict] = {}
        by_upn: dict[str, int] = {}
        by_name: dict[tuple[str, str, date, int], int] = {}
        query = select(Pupil.id, Pupil.owner_id, *(getattr(Pupil, name) for name in FIELDS))
        for row in db.session.execute(query.where(Pupil.removed_on.is_(None))):
            pupils[row.id] = row._asdict()
            if row.upn:
                by_upn[row.upn] = row.id
            key = _name_key(row.first_name, row.last_name, row.date_of_birth, row.owner_id)
            by_name[key] = row.id
        return PupilsContext(
            today=today,
            history_from=today.replace(year=today.year - settings.retention_years, day=1),
            la_id=la.id if la else None,
            schools={row.urn: (row.id, row.name) for row in schools if row.urn},
            owners=owners,
            pupils=pupils,
            by_upn=by_upn,
            by_name=by_name,
        )

    def check(self, context: PupilsContext, line: int, cells: Mapping[str, str]) -> CheckedRow:
        reader = RowReader(line, cells, BY_KEY)
        upn, unknown_la = reader.read("upn", _upn) or (None, None)
        owner_id = self._owner(context, reader)
        values = {
            "first_name": reader.read("first_name", _name("First name")),
            "last_name": reader.read("last_name", _name("Last name")),
            "date_of_birth": reader.read("date_of_birth", parse_date),
            "sex": reader.read("sex", _SEX),
            "sen_status": reader.read("sen_status", _SEN),
            "looked_after": reader.read("looked_after", parse_yes_no),
            "disadvantaged": reader.read("disadvantaged", parse_yes_no),
        }
        pupil_id = self._match(context, upn, values, owner_id)
        record = context.pupils.get(pupil_id) if pupil_id is not None else None
        if record is None:
            for key, message in MISSING.items():
                if values[key] is None and not reader.raw(key):
                    reader.error(key, message)
            if context.la_id is None and not reader.raw("school_urn"):
                reader.error("school_urn", "Enter the URN of the pupil's school")
        dob = values["date_of_birth"]
        if dob is not None and (record is None or dob != record["date_of_birth"]):
            if dob >= context.today:
                reader.error("date_of_birth", "The date of birth must be in the past")
            elif not _of_school_age_in_history(dob, context):
                reader.error("date_of_birth", HISTORY_AGE.format(since=context.history_from))
        self._repeats(context, reader, upn, values, owner_id, record)
        if pupil_id is not None and not reader.errors:
            earlier = context.seen_ids.setdefault(pupil_id, line)
            if earlier != line:
                reader.error(None, f"This pupil is also on row {earlier}")
        if reader.errors:
            return CheckedRow(line, Action.INVALID, reader.errors, key=upn or "")
        if owner_id is None:
            owner_id = record["owner_id"] if record else context.la_id
        summary = f"Pupil at {context.owners.get(owner_id, 'the LA')}"
        if unknown_la and (record is None or record["upn"] != upn):
            summary += f". The UPN's local authority number ({unknown_la}) is not one we know"
        values = {"upn": upn, **values, "owner_id": owner_id}
        if record is None:
            return CheckedRow(line, Action.CREATE, key=upn or "", summary=summary, values=values)
        changed = {
            key: value
            for key, value in values.items()
            if value is not None and value != record[key]
        }
        if not changed:
            return CheckedRow(line, Action.UNCHANGED, key=upn or "", summary=summary)
        return CheckedRow(
            line,
            Action.UPDATE,
            key=upn or "",
            summary=summary,
            changed=tuple(dict.fromkeys(HEADINGS[key] for key in changed)),
            values=(pupil_id, changed),
        )

    def _owner(self, context: PupilsContext, reader: RowReader) -> int | None:
        raw = reader.raw("school_urn")
        if not raw:
            return None
        if raw.lower().replace(" ", "") in LA_WORDS:
            if context.la_id is None:
                reader.error("school_urn", "The LA is not set up yet: ask the service desk")
            return context.la_id
        school = context.schools.get(raw)
        if school is None:
            reader.error(
                "school_urn",
                f"No school with URN {raw} is on the register: import schools first",
            )
            return None
        return school[0]

    def _match(self, context: PupilsContext, upn, values, owner_id) -> int | None:
        if upn and upn in context.by_upn:
            return context.by_upn[upn]
        if None in (values["first_name"], values["last_name"], values["date_of_birth"]):
            return None
        owner = owner_id if owner_id is not None else context.la_id
        key = _name_key(values["first_name"], values["last_name"], values["date_of_birth"], owner)
        found = context.by_name.get(key)
        # a row with a UPN may be a pupil recorded without one; never one with another UPN
        if found is not None and upn and context.pupils[found]["upn"] is not None:
            return None
        return found

    def _repeats(self, context, reader, upn, values, owner_id, record) -> None:
        if upn:
            earlier = context.seen_upns.setdefault(upn, reader.line)
            if earlier != reader.line:
                reader.error("upn", f"This UPN is also on row {earlier}")
            return
        if None in (values["first_name"], values["last_name"], values["date_of_birth"]):
            return
        owner = owner_id or (record["owner_id"] if record else context.la_id)
        key = _name_key(values["first_name"], values["last_name"], values["date_of_birth"], owner)
        earlier = context.seen_names.setdefault(key, reader.line)
        if earlier != reader.line:
            reader.error(
                None, f"This pupil is also on row {earlier}, and has no UPN to tell them apart"
            )

    def write(self, context: PupilsContext, rows: Sequence[CheckedRow], *, by: User | None) -> None:
        updates = {row.values[0]: row.values[1] for row in rows if row.action is Action.UPDATE}
        if updates:
            for pupil in db.session.scalars(select(Pupil).where(Pupil.id.in_(updates))):
                changes = dict(updates[pupil.id])
                owner_id = changes.pop("owner_id", None)
                if owner_id is not None:
                    pupil.owner_id = owner_id
                details = PupilDetails(**{key: getattr(pupil, key) for key in FIELDS})
                for key, value in changes.items():
                    setattr(details, key, value)
                update_pupil(pupil, details)
        for row in rows:
            if row.action is Action.CREATE:
                values = dict(row.values)
                owner_id = values.pop("owner_id")
                if owner_id is None:
                    raise ValueError("The LA is not set up")  # checked: never happens
                add_pupil(PupilDetails(**values), owner_id=owner_id)
        db.session.flush()


def _name_key(first: str, last: str, born: date, owner_id: int | None) -> tuple:
    return (name_search_key(first), name_search_key(last), born, owner_id)


KIND = PupilsKind()
