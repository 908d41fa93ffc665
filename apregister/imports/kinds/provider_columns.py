"""The providers import's columns and how each cell is read: the fields of `ProviderDetails`
and the framework status, with the checks the provider forms make."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import fields
from datetime import date
from decimal import Decimal
from typing import Any

from email_validator import EmailNotValidError, validate_email
from sqlalchemy import Numeric

from apregister.imports.cells import CellError, one_of, parse_date, parse_list, parse_whole
from apregister.imports.kinds.base import Column
from apregister.models import (
    FrameworkStatus,
    KeyStage,
    OfstedJudgement,
    Provider,
    ProvisionType,
    RegistrationType,
    Specialism,
)
from apregister.providers import rules
from apregister.providers.operations import ProviderDetails

DETAIL_FIELDS = tuple(f.name for f in fields(ProviderDetails))
TAG_FIELDS = ("provision_types", "specialisms", "key_stages")
MULTI_LINE = frozenset({"description", "internal_notes"})  # text areas on the form
MAX_INTEGER = 2**31 - 1  # what an INTEGER column holds on PostgreSQL

_LIST = "Separate several with a semicolon (;)."
# key, heading, other headings, example, guidance
_TABLE: tuple[tuple[str, str, tuple[str, ...], str, str], ...] = (
    ("name", "Name", ("Provider name", "Provider"), "Bright Futures Tuition", "Required."),
    ("registration_type", "Registration type", ("Type",), "Tuition (unregistered)",
     "Required for a provider new to the register."),
    ("legal_name", "Legal name", ("Legal entity",), "Bright Futures Ltd", ""),
    ("company_number", "Company number", ("Companies House number",), "01234567", ""),
    ("charity_number", "Charity number", (), "1123456", ""),
    ("urn", "URN", ("Provider URN",), "", "6 digits, for a setting on GIAS."),
    ("ukprn", "UKPRN", ("Provider UKPRN",), "10012345", "8 digits starting with 1."),
    ("ofsted_judgement", "Ofsted judgement", ("Ofsted grade",), "", ""),
    ("ofsted_date", "Ofsted date", ("Date of Ofsted inspection",), "", "Like 27/3/2024."),
    ("description", "Description", (), "Small-group tuition in English and maths", ""),
    ("address_line_1", "Address line 1", ("Address",), "1 High Street", ""),
    ("address_line_2", "Address line 2", (), "", ""),
    ("town", "Town", ("Town or city",), "Leeds", ""),
    ("postcode", "Postcode", (), "LS1 4AP", ""),
    ("area", "Area", (), "North", ""),
    ("capacity", "Capacity", ("Places",), "12", "A whole number of places."),
    ("daily_rate", "Daily rate", ("Daily rate (£)", "Cost per day"), "85.50", "In pounds."),
    ("website", "Website", (), "https://www.example.org", ""),
    ("contact_name", "Contact name", (), "Jo Bloggs", ""),
    ("contact_email", "Contact email", ("Email",), "office@example.org", ""),
    ("contact_phone", "Contact phone", ("Phone", "Telephone"), "0113 496 0000", ""),
    ("safeguarding_lead_name", "Safeguarding lead name", ("DSL name",), "", ""),
    ("safeguarding_lead_email", "Safeguarding lead email", ("DSL email",), "", ""),
    ("safeguarding_lead_phone", "Safeguarding lead phone", ("DSL phone",), "", ""),
    ("internal_notes", "Internal notes", ("Notes",), "", "Seen by the LA only."),
    ("provision_types", "Provision types", ("Provision type",), "Tuition; Vocational", _LIST),
    ("specialisms", "Specialisms", ("Specialism",), "SEMH; Autism", _LIST),
    ("key_stages", "Key stages", ("Key stage",), "KS3; KS4", _LIST),
    ("framework_status", "Framework status", ("Status",), "Approved",
     "For a provider new to the register; blank means applied. Change an existing provider's "
     "status on its page, where the reason is kept."),
)  # fmt: skip
COLUMNS = tuple(
    Column(
        key=key,
        heading=heading,
        variants=(key, *variants),
        required=key == "name",
        example=example,
        guidance=guidance,
    )
    for key, heading, variants, example, guidance in _TABLE
)
BY_KEY = {column.key: column for column in COLUMNS}


def _checked(problem: Callable[[str], str | None], *, compact: bool = False):
    def parse(raw: str) -> str:
        value = re.sub(r"\s+", "", raw).upper() if compact else raw
        message = problem(value)
        if message:
            raise CellError(message)
        return value

    return parse


def _normalised(normalise: Callable[[str], str | None], message: str):
    def parse(raw: str) -> str:
        value = normalise(raw)
        if value is None:
            raise CellError(message)
        return value

    return parse


def _email(raw: str) -> str:
    try:
        return validate_email(raw, check_deliverability=False, test_environment=True).normalized
    except EmailNotValidError:
        raise CellError(
            "Enter an email address in the correct format, like name@example.com"
        ) from None


def _website(raw: str) -> str:
    if re.fullmatch(r"https?://[^\s/]+\.[^\s]+", raw, re.IGNORECASE):
        return raw
    if re.fullmatch(r"[a-z0-9-]+(\.[a-z0-9-]+)+(/\S*)?", raw, re.IGNORECASE):
        return f"https://{raw}"
    raise CellError("Enter the website address, like https://www.example.org")


def _past_date(today: date) -> Callable[[str], date]:
    def parse(raw: str) -> date:
        value = parse_date(raw)
        if value > today:
            raise CellError("The date must be today or in the past")
        return value

    return parse


_CAPACITY = "Capacity must be a whole number of places, 0 or more, like 12"
_RATE: Numeric = Provider.__mapper__.columns["daily_rate"].type  # pence, and at most this many


def _capacity(raw: str) -> int:
    value = parse_whole(raw, low=0, high=10**12, message=_CAPACITY)
    if value > MAX_INTEGER:
        raise CellError("Capacity is too large")
    return value


def _money(raw: str) -> Decimal:
    compact = raw.removeprefix("£").strip()
    if re.fullmatch(r"[0-9]{1,3}(,[0-9]{3})+(\.[0-9]{1,2})?", compact):
        compact = compact.replace(",", "")
    if not re.fullmatch(r"[0-9]+(\.[0-9]{1,2})?", compact):
        raise CellError("Daily rate must be an amount in pounds, 0 or more, like 85.50")
    value = Decimal(compact).quantize(Decimal(1).scaleb(-_RATE.scale))
    if value >= 10 ** (_RATE.precision - _RATE.scale):
        raise CellError("Daily rate is too large")
    return value


def _many(parse_one: Callable[[str], Any]) -> Callable[[str], list[Any]]:
    return lambda raw: parse_list(raw, parse_one)


def _max_length(key: str) -> int | None:
    columns = Provider.__mapper__.columns
    return getattr(columns[key].type, "length", None) if key in columns else None


def _text(key: str) -> Callable[[str], str]:
    limit = _max_length(key)

    def parse(raw: str) -> str:
        if limit is not None and len(raw) > limit:
            raise CellError(f"Enter {limit} characters or fewer")
        return raw

    return parse


def parsers(today: date) -> dict[str, Callable[[str], Any]]:
    """How each column's cell is read (text columns by length and characters alone)."""
    phone = _normalised(rules.normalise_phone, "Enter a UK phone number, like 01632 960 001")
    special: dict[str, Callable[[str], Any]] = {
        "registration_type": one_of(RegistrationType, "a registration type"),
        "framework_status": one_of(FrameworkStatus, "a framework status"),
        "ofsted_judgement": one_of(OfstedJudgement, "an Ofsted judgement"),
        "provision_types": _many(one_of(ProvisionType, "a provision type")),
        "specialisms": _many(one_of(Specialism, "a specialism")),
        "key_stages": _many(one_of(KeyStage, "a key stage")),
        "urn": _checked(rules.urn_problem),
        "ukprn": _checked(rules.ukprn_problem),
        "company_number": _checked(rules.company_number_problem, compact=True),
        "charity_number": _checked(rules.charity_number_problem, compact=True),
        "postcode": _normalised(rules.normalise_postcode, "Enter a UK postcode, like SW1A 1AA"),
        "contact_email": _email,
        "safeguarding_lead_email": _email,
        "contact_phone": phone,
        "safeguarding_lead_phone": phone,
        "website": _website,
        "ofsted_date": _past_date(today),
        "capacity": _capacity,
        "daily_rate": _money,
    }
    return {column.key: special.get(column.key) or _text(column.key) for column in COLUMNS}
