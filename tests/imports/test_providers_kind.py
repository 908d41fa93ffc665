"""Importing providers (what `flask import-providers` checked, now a kind of import): every
cell checked as the provider form checks it, matched by URN, UKPRN or name."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from apregister.imports.kinds.base import Action, RowError
from apregister.imports.kinds.providers import KIND
from apregister.models import (
    AuditAction,
    AuditEvent,
    FrameworkStatus,
    FrameworkStatusChange,
    KeyStage,
    OfstedJudgement,
    Provider,
    ProvisionType,
    RegistrationType,
    Specialism,
)
from tests.conftest import make_provider
from tests.imports.kind_runs import KindRun

TODAY = date(2025, 1, 15)
RUN = KindRun(KIND, TODAY)
checked, imported = RUN.checked, RUN.imported
KEYS = RUN.keys


def errors(*rows: dict[str, str]) -> list[RowError]:
    return [error for row in checked(*rows)[1] for error in row.errors]


def named(db, name: str) -> Provider:
    return db.session.scalars(select(Provider).where(Provider.name == name)).one()


TUITION = {
    "name": "Bright Futures Tuition",
    "registration_type": "Tuition (unregistered)",
    "ukprn": "10012345",
    "postcode": "sw1a1aa",
    "contact_email": "Office@Bright.Example",
    "contact_phone": "+44 1632 960001",
    "capacity": "12",
    "daily_rate": "£85.5",
    "provision_types": "tuition; Vocational courses",
    "specialisms": "SEMH;autism",
    "key_stages": "KS3;ks4",
    "framework_status": "approved",
}
PRU = {
    "name": "Northside PRU",
    "registration_type": "pupil_referral_unit",
    "urn": "123456",
    "postcode": "LS1 4AP",
    "contact_phone": "0113 496 0000",
    "capacity": "40",
    "daily_rate": "1,200",
    "ofsted_judgement": "good",
    "ofsted_date": "27/3/2024",
    "provision_types": "academic",
    "key_stages": "ks3;KS4;ks4",
}


def test_good_rows_create_providers_with_their_tags_and_status(db):
    results = imported(db, TUITION, PRU)

    assert [row.action for row in results] == [Action.CREATE, Action.CREATE]
    tuition = named(db, "Bright Futures Tuition")
    assert tuition.registration_type is RegistrationType.TUITION
    assert tuition.framework_status is FrameworkStatus.APPROVED
    assert tuition.approved_on == TODAY
    assert (tuition.ukprn, tuition.postcode) == ("10012345", "SW1A 1AA")
    assert (tuition.contact_email, tuition.contact_phone) == (
        "Office@bright.example",
        "01632960001",
    )
    assert (tuition.capacity, tuition.daily_rate) == (12, Decimal("85.50"))
    assert tuition.provision_types == [ProvisionType.TUITION, ProvisionType.VOCATIONAL]
    assert tuition.specialisms == [Specialism.SEMH, Specialism.AUTISM]
    assert tuition.key_stages == [KeyStage.KS3, KeyStage.KS4]

    pru = named(db, "Northside PRU")
    assert pru.framework_status is FrameworkStatus.APPLIED  # the default
    assert (pru.urn, pru.daily_rate) == ("123456", Decimal("1200.00"))
    assert (pru.ofsted_judgement, pru.ofsted_date) == (OfstedJudgement.GOOD, date(2024, 3, 27))
    assert pru.specialisms == []
    assert pru.key_stages == [KeyStage.KS3, KeyStage.KS4]

    history = db.session.scalars(select(FrameworkStatusChange)).all()
    assert len(history) == 2
    for change in history:
        assert change.from_status is None
        assert change.reason == "Imported from a spreadsheet"
        assert (change.changed_by_id, change.changed_on) == (None, TODAY)


def test_the_same_rows_again_change_nothing(db):
    imported(db, TUITION, PRU)
    audit_rows = db.session.scalar(select(func.count()).select_from(AuditEvent))

    results = imported(db, TUITION, PRU)

    assert [row.action for row in results] == [Action.UNCHANGED, Action.UNCHANGED]
    assert db.session.scalar(select(func.count()).select_from(AuditEvent)) == audit_rows


def test_a_changed_cell_updates_the_provider_and_names_the_column(db):
    imported(db, TUITION, PRU)
    # matched by UKPRN though the name is spelt differently; a blank cell keeps the value
    row = {"name": "Bright Futures Tuition Ltd", "ukprn": "10012345", "capacity": "15",
           "specialisms": "autism; SEMH; medical"}  # fmt: skip

    [result] = imported(db, row)

    assert result.action is Action.UPDATE
    assert result.changed == ("Name", "Capacity", "Specialisms")
    provider = named(db, "Bright Futures Tuition Ltd")
    assert (provider.capacity, provider.contact_phone) == (15, "01632960001")
    assert provider.specialisms == [Specialism.SEMH, Specialism.AUTISM, Specialism.MEDICAL]
    assert provider.framework_status is FrameworkStatus.APPROVED


def test_matched_by_urn_then_ukprn_then_name_however_spaced_or_cased(db):
    make_provider(name="Bright Futures Tuition")
    make_provider(name="Existing School", urn="654321")

    _, results = checked(
        {"name": "Bright Futures Tuition", "registration_type": "tuition"},
        {"name": "Another name", "urn": "654321"},
        {"name": "bright   FUTURES tuition", "registration_type": "tuition"},
    )

    assert [row.action for row in results[:2]] == [Action.UNCHANGED, Action.UPDATE]
    assert results[1].changed == ("Name",)
    assert results[2].errors == [RowError(4, "Name", "Row 2 of this file has the same name")]


def test_a_row_whose_keys_name_two_providers_is_refused(db):
    make_provider(name="Existing School", urn="654321")
    make_provider(name="Other Tuition")

    assert errors({"name": "Other Tuition", "urn": "654321"}) == [
        RowError(2, "Name", "A provider with this name is already on the register: Other Tuition")
    ]


def test_an_existing_providers_status_is_not_changed_by_import(db):
    make_provider(name="Existing School", framework_status=FrameworkStatus.APPROVED)

    [error] = errors({"name": "Existing School", "framework_status": "suspended"})

    assert error.column == "Framework status"
    assert error.message.startswith("Existing School is already on the register as approved")
    _, [same] = checked({"name": "Existing School", "framework_status": "Approved"})
    assert same.action is Action.UNCHANGED


def test_the_audit_log_records_the_inserts(db):
    imported(db, TUITION, PRU)

    events = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == AuditAction.INSERT)
    ).all()
    tables = {event.table_name for event in events}
    assert {"providers", "provider_tags", "framework_status_changes"} <= tables
    names = {event.changes["name"]["new"] for event in events if event.table_name == "providers"}
    assert names == {"Bright Futures Tuition", "Northside PRU"}


def test_required_cells(db):
    assert errors({"registration_type": "tuition"}) == [
        RowError(2, "Name", "Enter the provider's name")
    ]
    assert errors({"name": "New Tuition"}) == [
        RowError(2, "Registration type", "Enter the registration type")
    ]


@pytest.mark.parametrize(
    ("column", "value", "message"),
    [
        ("urn", "12345", "URN must be 6 digits, like 123456"),
        ("postcode", "NOT A CODE", "Enter a UK postcode, like SW1A 1AA"),
        ("registration_type", "charity", "'charity' is not a registration type"),
        ("ukprn", "20012345", "UKPRN must be 8 digits starting with 1"),
        ("contact_email", "not an email", "Enter an email address in the correct format"),
        ("safeguarding_lead_phone", "12345", "Enter a UK phone number"),
        ("company_number", "123", "Company number must be 8 characters"),
        ("charity_number", "12ab", "Charity number must be 6 to 8 digits"),
        ("capacity", "-1", "Capacity must be a whole number of places, 0 or more"),
        ("capacity", "2.5", "Capacity must be a whole number of places, 0 or more"),
        ("capacity", "99999999999", "Capacity is too large"),
        ("daily_rate", "-10", "Daily rate must be an amount in pounds, 0 or more"),
        ("daily_rate", "10.555", "Daily rate must be an amount in pounds, 0 or more"),
        ("daily_rate", "NaN", "Daily rate must be an amount in pounds, 0 or more"),
        ("daily_rate", "1000000", "Daily rate is too large"),
        ("ofsted_date", "31/2/2024", "Enter a real date"),
        ("ofsted_date", "2024-13-01", "Enter a real date"),
        ("ofsted_date", "16/1/2025", "The date must be today or in the past"),
        ("ofsted_judgement", "brilliant", "'brilliant' is not an Ofsted judgement"),
        ("framework_status", "pending", "'pending' is not a framework status"),
        ("key_stages", "ks3;ks9", "'ks9' is not a key stage"),
        ("town", "x" * 101, "Enter 100 characters or fewer"),
        ("town", "Leeds\tCity", "Remove the special characters"),
        ("website", "javascript:alert(1)", "Enter the website address"),
    ],
)
def test_a_bad_cell_is_reported_by_line_and_heading(db, column, value, message):
    [error] = errors({"name": "A Provider", "registration_type": "tuition", column: value})

    assert (error.line, error.column) == (2, KIND.columns[KEYS.index(column)].heading)
    assert error.message.startswith(message)


def test_cells_are_read_leniently(db):
    row = {
        "name": "A Provider",
        "registration_type": "Work based",
        "ofsted_date": "1 March 2024",
        "ofsted_judgement": "Requires improvement",
        "company_number": "sc 123456",
        "website": "www.example.org",
        "specialisms": "; semh ;; Emotionally based school avoidance ;",
        "framework_status": "Suspended",
        "description": "Two lines\nof description",
    }
    _, [result] = checked(row)
    details, status = result.values
    assert result.action is Action.CREATE
    assert details.registration_type is RegistrationType.WORK_BASED
    assert details.ofsted_date == date(2024, 3, 1)
    assert details.ofsted_judgement is OfstedJudgement.REQUIRES_IMPROVEMENT
    assert details.company_number == "SC123456"
    assert details.website == "https://www.example.org"
    assert details.specialisms == [Specialism.SEMH, Specialism.EBSA]
    assert status is FrameworkStatus.SUSPENDED


def test_duplicates_within_the_file_are_refused(db):
    first = {"name": "First", "registration_type": "ap_academy", "urn": "123456",
             "ukprn": "10012345"}  # fmt: skip
    second = first | {"name": "Second"}
    third = {"name": " first ", "registration_type": "tuition"}

    assert errors(first, second, third) == [
        RowError(3, "URN", "Row 2 of this file has the same URN"),
        RowError(3, "UKPRN", "Row 2 of this file has the same UKPRN"),
        RowError(4, "Name", "Row 2 of this file has the same name"),
    ]


def test_old_headings_still_match():
    variants = {column.key: column.variants for column in KIND.columns}
    assert "registration_type" in variants["registration_type"]
    assert "Provider name" in variants["name"]
    assert [column.key for column in KIND.columns if column.required] == ["name"]
