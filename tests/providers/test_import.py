"""`flask import-providers FILE.csv [--skip-invalid]` and the checks behind it."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import func, select

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
from apregister.providers.importer import Register, check_providers
from tests.conftest import make_provider

HEADER = (
    "name,registration_type,urn,ukprn,postcode,contact_email,contact_phone,capacity,daily_rate,"
    "ofsted_judgement,ofsted_date,provision_types,specialisms,key_stages,framework_status"
)
GOOD_FILE = f"""{HEADER}
Bright Futures Tuition,Tuition (unregistered),,10012345,sw1a1aa,Office@Bright.Example,\
+44 1632 960001,12,£85.5,,,tuition; Vocational courses,SEMH;autism,KS3;ks4,approved
Northside PRU,pupil_referral_unit,123456,,LS1 4AP,,0113 496 0000,40,"1,200",good,27/3/2024,\
academic,,ks3;KS4;ks4,
"""
# line 2 is good; lines 3 to 8 each have one problem.
BAD_FILE = f"""{HEADER}
Good Tuition,tuition,,,,,,,,,,,,,
Bad URN Academy,ap_academy,12345,,,,,,,,,,,,
Bad Postcode Tuition,tuition,,,NOT A CODE,,,,,,,,,,
good  TUITION,vocational,,,,,,,,,,,,,
Copy Of Existing,pupil_referral_unit,654321,,,,,,,,,,,,
Odd Type,charity,,,,,,,,,,,,,
,tuition,,,,,,,,,,,,,
"""
BAD_FILE_ERRORS = [
    "row 3, urn: URN must be 6 digits, like 123456",
    "row 4, postcode: Enter a UK postcode, like SW1A 1AA",
    "row 5, name: Row 2 of this file has the same name",
    "row 6, urn: A provider with this URN is already on the register: Existing School",
    "row 7, registration_type: 'charity' is not a registration type",
    "row 8, name: Enter the provider's name",
]
NOBODY = Register(names={}, urns={}, ukprns={})
TODAY = date(2025, 1, 15)


def write(tmp_path: Path, text: str, name: str = "providers.csv", encoding="utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def run_import(app, path: Path, *options: str):
    return app.test_cli_runner().invoke(args=["import-providers", str(path), *options])


def count(db, model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def provider_named(db, name: str) -> Provider:
    return db.session.scalars(select(Provider).where(Provider.name == name)).one()


def test_a_good_file_loads_every_row_with_its_tags(app, db, tmp_path):
    result = run_import(app, write(tmp_path, GOOD_FILE))

    assert result.exit_code == 0, result.output
    assert "2 added, 0 skipped" in result.output
    tuition = provider_named(db, "Bright Futures Tuition")
    assert tuition.registration_type is RegistrationType.TUITION
    assert tuition.framework_status is FrameworkStatus.APPROVED
    assert tuition.approved_on == date.today()
    assert (tuition.ukprn, tuition.postcode) == ("10012345", "SW1A 1AA")
    assert (tuition.contact_email, tuition.contact_phone) == (
        "Office@bright.example",
        "01632960001",
    )
    assert (tuition.capacity, tuition.daily_rate) == (12, Decimal("85.50"))
    assert tuition.provision_types == [ProvisionType.TUITION, ProvisionType.VOCATIONAL]
    assert tuition.specialisms == [Specialism.SEMH, Specialism.AUTISM]
    assert tuition.key_stages == [KeyStage.KS3, KeyStage.KS4]

    pru = provider_named(db, "Northside PRU")
    assert pru.registration_type is RegistrationType.PUPIL_REFERRAL_UNIT
    assert pru.framework_status is FrameworkStatus.APPLIED  # the default
    assert (pru.urn, pru.daily_rate) == ("123456", Decimal("1200.00"))
    assert (pru.ofsted_judgement, pru.ofsted_date) == (OfstedJudgement.GOOD, date(2024, 3, 27))
    assert pru.provision_types == [ProvisionType.ACADEMIC]
    assert pru.specialisms == []
    assert pru.key_stages == [KeyStage.KS3, KeyStage.KS4]

    history = db.session.scalars(select(FrameworkStatusChange)).all()
    assert len(history) == 2
    for change in history:
        assert change.from_status is None
        assert change.reason == "Imported from providers.csv"
        assert change.changed_by_id is None
        assert change.changed_on == date.today()


def test_a_bad_file_writes_nothing_and_reports_every_error(app, db, tmp_path):
    make_provider(name="Existing School", urn="654321")
    providers, audit_rows = count(db, Provider), count(db, AuditEvent)

    result = run_import(app, write(tmp_path, BAD_FILE))

    assert result.exit_code != 0
    for error in BAD_FILE_ERRORS:
        assert error in result.output
    assert "row 2" not in result.output
    assert "6 rows in providers.csv have errors. Nothing was imported" in result.output
    assert count(db, Provider) == providers
    assert count(db, FrameworkStatusChange) == 0
    assert count(db, AuditEvent) == audit_rows


def test_skip_invalid_loads_only_the_good_rows(app, db, tmp_path):
    make_provider(name="Existing School", urn="654321")

    result = run_import(app, write(tmp_path, BAD_FILE), "--skip-invalid")

    assert result.exit_code == 0, result.output
    for error in BAD_FILE_ERRORS:
        assert error in result.output
    assert "1 added, 6 skipped" in result.output
    assert set(db.session.scalars(select(Provider.name))) == {"Existing School", "Good Tuition"}


def test_an_unknown_column_is_refused(app, db, tmp_path):
    path = write(tmp_path, "name,registration_type,colour\nBlue Tuition,tuition,blue\n")

    result = run_import(app, path, "--skip-invalid")

    assert result.exit_code != 0
    assert "Unknown column: colour" in result.output
    assert "Nothing was imported" in result.output
    assert count(db, Provider) == 0


def test_a_file_without_a_required_column_is_refused(app, db, tmp_path):
    result = run_import(app, write(tmp_path, "name,town\nBlue Tuition,Leeds\n"))

    assert result.exit_code != 0
    assert "The file has no registration_type column" in result.output
    assert count(db, Provider) == 0


def test_a_file_with_a_byte_order_mark_loads(app, db, tmp_path):
    path = write(
        tmp_path, "name,registration_type\r\nBOM Tuition,tuition\r\n", encoding="utf-8-sig"
    )
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")

    result = run_import(app, path)

    assert result.exit_code == 0, result.output
    assert provider_named(db, "BOM Tuition").registration_type is RegistrationType.TUITION


def test_a_file_that_is_not_utf8_is_refused(app, db, tmp_path):
    path = write(tmp_path, "name,registration_type\nCafé Tuition,tuition\n", encoding="cp1252")

    result = run_import(app, path)

    assert result.exit_code != 0
    assert "not UTF-8" in result.output
    assert count(db, Provider) == 0


def test_the_audit_log_records_the_inserts_as_the_system(app, db, tmp_path):
    result = run_import(app, write(tmp_path, GOOD_FILE))
    assert result.exit_code == 0, result.output

    events = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == AuditAction.INSERT)
    ).all()
    inserted = {
        (event.table_name, event.record_id) for event in events if event.table_name == "providers"
    }
    ids = set(db.session.scalars(select(Provider.id)))
    assert inserted == {("providers", str(provider_id)) for provider_id in ids}
    assert {event.user_id for event in events} == {None}
    tables = {event.table_name for event in events}
    assert {"providers", "provider_tags", "framework_status_changes"} <= tables
    names = {event.changes["name"]["new"] for event in events if event.table_name == "providers"}
    assert names == {"Bright Futures Tuition", "Northside PRU"}


def test_a_duplicate_name_is_found_however_it_is_spaced_or_cased(app, db, tmp_path):
    make_provider(name="Bright Futures Tuition")
    path = write(tmp_path, "name,registration_type\n  bright   FUTURES tuition ,tuition\n")

    result = run_import(app, path)

    assert result.exit_code != 0
    assert (
        "row 2, name: A provider with this name is already on the register: "
        "Bright Futures Tuition" in result.output
    )
    assert count(db, Provider) == 1


# ---- the checks, without the database -----------------------------------------------------------


def errors_in(text: str) -> list[str]:
    return [str(error) for error in check_providers(text, register=NOBODY, today=TODAY).errors]


def test_rows_are_numbered_by_the_line_they_start_on():
    text = (
        "name,registration_type,description,urn\n"
        'First,tuition,"Two lines\nof description",123456\n'
        "\n"
        "Second,tuition,,12\n"
    )
    assert errors_in(text) == ["row 5, urn: URN must be 6 digits, like 123456"]


@pytest.mark.parametrize(
    ("column", "value", "message"),
    [
        ("ukprn", "20012345", "UKPRN must be 8 digits starting with 1"),
        ("contact_email", "not an email", "Enter an email address in the correct format"),
        ("safeguarding_lead_phone", "12345", "Enter a UK phone number"),
        ("company_number", "123", "Company number must be 8 characters"),
        ("charity_number", "12ab", "Charity number must be 6 to 8 digits"),
        ("capacity", "-1", "Capacity must be a whole number of places, 0 or more"),
        ("capacity", "2.5", "Capacity must be a whole number of places, 0 or more"),
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
        ("website", "javascript:alert(1)", "Enter the website address"),
    ],
)
def test_a_bad_cell_is_reported_by_row_and_column(column, value, message):
    errors = errors_in(f"name,registration_type,{column}\nA Provider,tuition,{value}\n")
    assert len(errors) == 1
    assert errors[0].startswith(f"row 2, {column}: {message}")


def test_cells_are_read_leniently():
    text = (
        "name,registration_type,ofsted_date,ofsted_judgement,company_number,website,"
        "specialisms,framework_status\n"
        "A Provider,Work based,2024-03-01,Requires improvement,sc 123456,www.example.org,"
        "; semh ;; Emotionally based school avoidance ;,Suspended\n"
    )
    checked = check_providers(text, register=NOBODY, today=TODAY)
    assert checked.errors == []
    [row] = checked.rows
    assert row.details.registration_type is RegistrationType.WORK_BASED
    assert row.details.ofsted_date == date(2024, 3, 1)
    assert row.details.ofsted_judgement is OfstedJudgement.REQUIRES_IMPROVEMENT
    assert row.details.company_number == "SC123456"
    assert row.details.website == "https://www.example.org"
    assert row.details.specialisms == [Specialism.SEMH, Specialism.EBSA]
    assert row.status is FrameworkStatus.SUSPENDED


def test_blank_rows_are_ignored_and_short_rows_are_padded():
    text = "name,registration_type,town\nA Provider,tuition\n,,\n\nB Provider,online,Leeds\n"
    checked = check_providers(text, register=NOBODY, today=TODAY)
    assert checked.errors == []
    assert [(row.line, row.details.name, row.details.town) for row in checked.rows] == [
        (2, "A Provider", None),
        (5, "B Provider", "Leeds"),
    ]


def test_a_row_with_too_many_cells_is_refused():
    assert errors_in("name,registration_type\nA Provider,tuition,extra\n") == [
        "row 2: Has 3 cells but there are 2 columns"
    ]


def test_duplicate_urn_and_ukprn_within_the_file_are_refused():
    text = (
        "name,registration_type,urn,ukprn\n"
        "First,ap_academy,123456,10012345\n"
        "Second,ap_academy,123456,10012345\n"
    )
    assert errors_in(text) == [
        "row 3, urn: Row 2 of this file has the same URN",
        "row 3, ukprn: Row 2 of this file has the same UKPRN",
    ]
