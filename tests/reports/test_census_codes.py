"""The census export's codes: every app value has one in the published list, and an export
downloaded as the LA lead holds only codes from those lists."""

import csv
import io
from datetime import date
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from apregister.models import PlacementReason, RegistrationType, Role
from apregister.reports import census_codes as codes
from apregister.reports.census import CENSUS_HEADER
from tests.conftest import make_placement, make_provider, make_pupil

SPRING_2026 = date(2026, 1, 15)  # a census day; the collection period starts on 2 October 2025


# ---- the code lists and the mappings --------------------------------------------------------


@pytest.mark.parametrize("registration_type", list(RegistrationType))
def test_every_kind_of_setting_has_a_setting_type_code_or_is_known_by_its_urn(registration_type):
    code = codes.SETTING_TYPE_CODES.get(registration_type)
    by_urn = registration_type in codes.IDENTIFIED_BY_URN
    assert (code is None) == by_urn, f"{registration_type}: give it a census setting type code"
    assert code is None or code in codes.AP_SETTING_TYPE
    assert codes.setting_type_code(registration_type.value) == code


@pytest.mark.parametrize("reason", list(PlacementReason))
def test_every_placement_reason_has_a_census_code(reason):
    assert reason in codes.PLACEMENT_REASON_CODES, f"{reason}: give it a census reason code"
    assert codes.reason_code(reason.value) in codes.AP_PLACEMENT_REASON


def test_the_mappings_hold_nothing_but_app_values_and_listed_codes():
    assert set(codes.SETTING_TYPE_CODES) <= set(RegistrationType)
    assert not codes.IDENTIFIED_BY_URN & set(codes.SETTING_TYPE_CODES)
    assert set(codes.PLACEMENT_REASON_CODES) == set(PlacementReason)
    assert {codes.attendance_pattern_code(flag) for flag in (True, False)} == set(
        codes.AP_ATTENDANCE_PATTERN.codes
    )


@pytest.mark.parametrize("code_set", codes.CODE_SETS, ids=lambda code_set: code_set.field)
def test_each_code_list_names_its_source_and_year(code_set):
    assert "School census 2025 to 2026" in code_set.source
    assert code_set.year == "2025 to 2026"
    assert code_set.field in CENSUS_HEADER
    assert code_set.codes and all(code.isupper() for code in code_set.codes)
    assert code_set.confirmed <= set(code_set.codes)
    assert code_set.evidence  # where it was checked, or that it was not


def test_census_days_and_collection_periods():
    assert codes.census_days(2026) == [date(2026, 1, 15), date(2026, 5, 21), date(2026, 10, 1)]
    assert codes.census_days(2025)[2] == date(2025, 10, 2)
    assert codes.previous_census_day(SPRING_2026) == date(2025, 10, 2)
    assert codes.previous_census_day(date(2026, 1, 16)) == SPRING_2026
    assert codes.previous_census_day(date(2025, 10, 2)) == date(2025, 5, 15)
    assert codes.previous_census_day(date(2026, 1, 1)) == date(2025, 10, 2)


# ---- an export checked against the lists ----------------------------------------------------


def _download(client, census: date, fmt: str = "csv"):
    query = [("census_date", census.day), ("census_date", census.month)]
    query += [("census_date", census.year), ("format", fmt)]
    response = client.get("/reports/census", query_string=query)
    assert response.status_code == 200
    return response


def _csv_rows(client, census: date) -> list[dict[str, str]]:
    text = _download(client, census).get_data(as_text=True)
    rows = list(csv.reader(io.StringIO(text)))
    assert tuple(rows[0]) == CENSUS_HEADER
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


def test_census_header_names_the_census_fields():
    assert CENSUS_HEADER == (
        "UPN",
        "School",
        "AP URN",
        "AP UKPRN",
        "AP setting type",
        "AP placement reason",
        "AP entry date",
        "AP leaving date",
        "AP attendance pattern",
        "AP sessions per week",
        "AP hours per week",
    )


def _placement(upn: str, provider, **values):
    values.setdefault("start_date", date(2025, 11, 3))
    return make_placement(make_pupil(upn=upn), provider, **values)


def test_an_export_holds_only_published_codes(client, db, login_as):
    urn_and_ukprn = make_provider(
        urn="140123", ukprn="10012345", registration_type=RegistrationType.AP_ACADEMY
    )
    ukprn_only = make_provider(ukprn="10054321", registration_type=RegistrationType.FE_COLLEGE)
    unidentified = {  # (an empty UKPRN is none)
        kind: make_provider(registration_type=kind, ukprn="" if kind == "tuition" else None)
        for kind in codes.SETTING_TYPE_CODES
    }
    pru_without_urn = make_provider(registration_type=RegistrationType.PUPIL_REFERRAL_UNIT)

    # running on the census day, though planned to have ended before it: no leaving date
    _placement(
        "A100000000001",
        urn_and_ukprn,
        reason=PlacementReason.MEDICAL,
        planned_end=date(2026, 1, 9),
        session_mask=0b0000001111,
        hours_per_week=Decimal("9.5"),
        full_time=False,
    )
    _placement("A100000000002", ukprn_only, reason=PlacementReason.PERMANENTLY_EXCLUDED)
    for number, provider in enumerate(unidentified.values(), start=10):
        reason = list(PlacementReason)[number % len(PlacementReason)]
        _placement(f"A1000000000{number}", provider, reason=reason)
    _placement("A100000000003", pru_without_urn)
    # ended in the collection period: the leaving date is the actual end
    _placement(
        "A100000000004",
        urn_and_ukprn,
        actual_end=date(2025, 12, 19),
        session_mask=0b0101010101,
        hours_per_week=Decimal("12"),
    )
    _placement("A100000000005", urn_and_ukprn, actual_end=SPRING_2026)  # left on census day
    # ends after the census day: the pupil had not left on it
    _placement("A100000000006", ukprn_only, actual_end=date(2026, 2, 6))
    # not in the return: ended before the period, started after the census day, cancelled
    _placement(
        "A100000000007", ukprn_only, start_date=date(2025, 6, 2), actual_end=date(2025, 10, 1)
    )
    _placement("A100000000008", ukprn_only, start_date=date(2026, 1, 16))
    _placement("A100000000009", ukprn_only, cancelled_on=date(2025, 11, 1))

    login_as(Role.LA_LEAD)
    rows = {row["UPN"]: row for row in _csv_rows(client, SPRING_2026)}

    assert sorted(rows) == sorted(
        [f"A10000000000{n}" for n in range(1, 7)]
        + [f"A1000000000{n}" for n in range(10, 10 + len(unidentified))]
    )
    for row in rows.values():
        assert row["AP setting type"] in {"", *codes.AP_SETTING_TYPE.codes}
        assert row["AP placement reason"] in codes.AP_PLACEMENT_REASON
        assert row["AP attendance pattern"] in codes.AP_ATTENDANCE_PATTERN
        # the URN, else the UKPRN, else the setting type: never two of them
        identifiers = [row["AP URN"], row["AP UKPRN"], row["AP setting type"]]
        expected = 0 if row["UPN"] == "A100000000003" else 1
        assert sum(map(bool, identifiers)) == expected, row

    running = rows["A100000000001"]
    assert (running["AP URN"], running["AP UKPRN"], running["AP setting type"]) == (
        "140123",
        "",
        "",
    )
    assert running["AP placement reason"] == "MHN"
    assert running["AP entry date"] == "2025-11-03"
    assert running["AP leaving date"] == ""  # never the planned end
    assert running["AP attendance pattern"] == "PT"
    assert (running["AP sessions per week"], running["AP hours per week"]) == ("4", "9.5")

    assert rows["A100000000002"]["AP UKPRN"] == "10054321"
    assert rows["A100000000002"]["AP placement reason"] == "PEX"
    for number, (kind, _provider) in enumerate(unidentified.items(), start=10):
        row = rows[f"A1000000000{number}"]
        assert row["AP setting type"] == codes.SETTING_TYPE_CODES[kind]
        reason = list(PlacementReason)[number % len(PlacementReason)]
        assert row["AP placement reason"] == codes.PLACEMENT_REASON_CODES[reason]

    ended = rows["A100000000004"]
    assert ended["AP leaving date"] == "2025-12-19"
    assert (ended["AP sessions per week"], ended["AP hours per week"]) == ("5", "12.0")
    assert ended["AP attendance pattern"] == "FT"
    assert rows["A100000000005"]["AP leaving date"] == "2026-01-15"
    assert rows["A100000000006"]["AP leaving date"] == ""

    sheet = load_workbook(io.BytesIO(_download(client, SPRING_2026, "xlsx").data)).active
    xlsx = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert tuple(xlsx[0]) == CENSUS_HEADER
    column = CENSUS_HEADER.index
    xlsx_rows = {row[0]: row for row in xlsx[1:]}
    assert xlsx_rows["A100000000001"][column("AP placement reason")] == "MHN"
    assert xlsx_rows["A100000000001"][column("AP sessions per week")] == 4
    assert xlsx_rows["A100000000004"][column("AP leaving date")].date() == date(2025, 12, 19)
    assert xlsx_rows["A100000000001"][column("AP leaving date")] is None
