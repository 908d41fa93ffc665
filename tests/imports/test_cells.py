"""Reading one cell of an imported spreadsheet: dates, choices, yes/no, numbers and lists."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from apregister.imports.cells import (
    CellError,
    RowReader,
    one_of,
    parse_date,
    parse_decimal,
    parse_list,
    parse_text,
    parse_whole,
    parse_yes_no,
)
from apregister.imports.kinds.base import Column, RowError
from apregister.imports.kinds.placement_columns import parse_full_time, parse_sessions
from apregister.models import PlacementReason, SenStatus, Sex
from apregister.placements.rules import mask_from


@pytest.mark.parametrize(
    "text",
    [
        "2025-03-03",
        "2025-3-3",
        "2025-03-03 00:00:00",
        "3/3/2025",
        "03/03/2025",
        "3.3.2025",
        "3 March 2025",
        "3 Mar 2025",
        "3rd march 2025",
        "3 MAR 2025",
        " 3 Sept 2025 ".replace("Sept", "Mar"),
    ],
)
def test_uk_dates_are_read(text):
    assert parse_date(text.strip()) == date(2025, 3, 3)


def test_a_slashed_date_is_day_first():
    assert parse_date("4/3/2025") == date(2025, 3, 4)
    assert parse_date("13/1/2025") == date(2025, 1, 13)


@pytest.mark.parametrize(
    "text", ["1/13/2025", "31/2/2025", "2025-13-01", "3 Smarch 2025", "March 3 2025", "3/3/25", ""]
)
def test_a_bad_date_says_what_to_write(text):
    with pytest.raises(CellError, match="Enter a real date, like 3/3/2025 or 3 March 2025"):
        parse_date(text)


@pytest.mark.parametrize(
    ("text", "member"),
    [
        ("EHC plan", SenStatus.EHC_PLAN),
        ("ehc_plan", SenStatus.EHC_PLAN),
        ("EHC-Plan", SenStatus.EHC_PLAN),
        ("sen support", SenStatus.SEN_SUPPORT),
        ("NONE", SenStatus.NONE),
    ],
)
def test_a_choice_is_read_by_value_or_label_ignoring_case_and_spacing(text, member):
    assert one_of(SenStatus, "an SEN status")(text) is member


def test_a_choice_by_its_label_and_its_census_value():
    parse = one_of(Sex, "a sex")
    assert parse("F") is Sex.FEMALE
    assert parse("female") is Sex.FEMALE
    assert one_of(PlacementReason, "a reason")(PlacementReason.MEDICAL.label) is (
        PlacementReason.MEDICAL
    )


def test_an_unknown_choice_lists_the_allowed_ones():
    with pytest.raises(CellError) as caught:
        one_of(Sex, "a sex")("X")
    assert caught.value.message == "'X' is not a sex. Use one of: Female, Male, Unknown"


@pytest.mark.parametrize(
    ("text", "value"),
    [("Yes", True), ("y", True), ("TRUE", True), ("1", True), ("No", False), ("n", False),
     ("false", False), ("0", False)],
)  # fmt: skip
def test_yes_and_no(text, value):
    assert parse_yes_no(text) is value


def test_not_yes_or_no():
    with pytest.raises(CellError, match="Enter yes or no"):
        parse_yes_no("maybe")


def decimal(text: str, **options) -> Decimal:
    return parse_decimal(
        text, places=1, low=Decimal("0.5"), high=Decimal(50), message="From 0.5 to 50", **options
    )


def test_decimals_within_bounds():
    assert decimal("12.5") == Decimal("12.5")
    assert decimal("50") == Decimal("50.0")
    assert decimal("12.50") == Decimal("12.5")
    for bad in ("0.4", "50.1", "12.25", "twelve", "1e3", "-1", "NaN"):
        with pytest.raises(CellError, match="From 0.5 to 50"):
            decimal(bad)


def test_money_may_have_a_pound_sign_and_commas():
    parse = lambda text: parse_decimal(  # noqa: E731
        text, places=2, low=Decimal(0), high=Decimal(100000), message="m", pounds=True
    )
    assert parse("£1,200.5") == Decimal("1200.50")
    assert parse("450") == Decimal("450.00")


def test_whole_numbers():
    assert parse_whole("12", low=0, high=20, message="m") == 12
    assert parse_whole("12.0", low=0, high=20, message="m") == 12
    for bad in ("12.5", "21", "-1", "x"):
        with pytest.raises(CellError, match="m"):
            parse_whole(bad, low=0, high=20, message="m")


def test_lists_drop_blanks_and_repeats_and_report_every_bad_item():
    parse = one_of(Sex, "a sex")
    assert parse_list(" F ;; m ; F ;", parse) == [Sex.FEMALE, Sex.MALE]
    with pytest.raises(CellError) as caught:
        parse_list("F; X; Y", parse)
    assert caught.value.message.startswith("'X' is not a sex")
    assert "'Y' is not a sex" in caught.value.message


def test_text_refuses_control_characters_and_long_text():
    assert parse_text("line one\nline two", max_length=20, what="Notes", multi_line=True)
    with pytest.raises(CellError, match="Remove the special characters"):
        parse_text("a\x00b", max_length=20, what="Notes")
    with pytest.raises(CellError, match="Remove the special characters"):
        parse_text("a\nb", max_length=20, what="Name")
    with pytest.raises(CellError, match="Notes must be 3 characters or fewer"):
        parse_text("four", max_length=3, what="Notes")


@pytest.mark.parametrize(
    ("text", "slots"),
    [
        ("Mon AM; Mon PM; Tue AM", ["mon_am", "mon_pm", "tue_am"]),
        ("monday am, tuesday pm", ["mon_am", "tue_pm"]),
        ("mon_am;fri_pm", ["mon_am", "fri_pm"]),
        ("Wed", ["wed_am", "wed_pm"]),
        ("Thurs morning", ["thu_am"]),
    ],
)
def test_sessions(text, slots):
    assert parse_sessions(text) == mask_from(slots)


def test_all_sessions_and_bad_sessions():
    assert parse_sessions("All") == (1 << 10) - 1
    with pytest.raises(CellError, match="'Sat AM' is not a session"):
        parse_sessions("Mon AM; Sat AM")


def test_full_or_part_time():
    assert parse_full_time("Full time") is True
    assert parse_full_time("yes") is True
    assert parse_full_time("part-time") is False
    with pytest.raises(CellError, match="Enter yes for full time or no for part time"):
        parse_full_time("half")


def test_a_row_reader_reports_by_heading_and_line():
    columns = {"dob": Column("dob", "Date of birth")}
    reader = RowReader(7, {"dob": "31/2/2012"}, columns)
    assert reader.read("dob", parse_date) is None
    assert reader.read("dob", parse_date, missing="Enter it") is None
    blank = RowReader(8, {"dob": ""}, columns)
    assert blank.read("dob", parse_date, missing="Enter the pupil's date of birth") is None
    assert (
        reader.errors
        == [RowError(7, "Date of birth", "Enter a real date, like 3/3/2025 or 3 March 2025")] * 2
    )  # noqa: E501
    assert blank.errors == [RowError(8, "Date of birth", "Enter the pupil's date of birth")]
