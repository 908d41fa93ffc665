from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from apregister.pupils import la_numbers, rules
from tests.conftest import make_upn


def _upn(rest: str) -> str:
    """A UPN with the right check letter for the 12 characters after it."""
    from stdnum.gb import upn

    return upn.calc_check_digit(rest) + rest


# ---- UPN ---------------------------------------------------------------------------------------


def test_a_permanent_upn_is_valid():
    assert rules.upn_problem(make_upn()) is None


def test_a_temporary_upn_ending_in_a_letter_is_valid():
    temporary = _upn("20112340000A")
    assert temporary[-1] == "A"
    assert rules.upn_problem(temporary) is None


def test_a_upn_typed_with_spaces_and_small_letters_is_valid_and_normalised():
    upn = make_upn()
    typed = f" {upn[:4].lower()} {upn[4:8]} {upn[8:]} "
    assert rules.upn_problem(typed) is None
    assert rules.normalise_upn(typed) == upn


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("A20112340000", "UPN must be 13 characters, like A123456789012"),
        ("A2011234000011", "UPN must be 13 characters, like A123456789012"),
        ("", "UPN must be 13 characters, like A123456789012"),
    ],
)
def test_a_upn_of_the_wrong_length_is_refused(value, message):
    assert rules.upn_problem(value) == message


@pytest.mark.parametrize("value", ["A2011234X0001", "A20112340000!", "ABCDEFGHIJKLM"])
def test_a_upn_that_is_not_a_letter_11_digits_and_a_digit_or_letter_is_refused(value):
    assert rules.upn_problem(value) == (
        "UPN must be a letter followed by 11 digits and a final digit or letter"
    )


def test_a_upn_with_the_wrong_check_letter_is_refused_in_plain_words():
    upn = make_upn()
    wrong = ("B" if upn[0] != "B" else "C") + upn[1:]
    assert rules.upn_problem(wrong) == (
        "The UPN's check letter is wrong. Check the UPN and try again"
    )


@pytest.mark.parametrize(
    "la",
    [
        "838",  # Dorset, from 2019
        "839",  # Bournemouth, Christchurch and Poole, from 2019
        "940",  # North Northamptonshire, from 2021
        "941",  # West Northamptonshire, from 2021
        "942",  # Cumberland, from 2023
        "943",  # Westmorland and Furness, from 2023
        "928",  # Northamptonshire, abolished 2021: its UPNs are still carried
        "909",  # Cumbria, abolished 2023
        "660",  # Isle of Anglesey (Wales)
        "681",  # Cardiff (Wales)
        "201",  # City of London, on stdnum's list too
    ],
)
def test_a_upn_from_a_council_newer_than_stdnums_list_or_in_wales_is_accepted(la):
    for value in (_upn(f"{la}123400001"), _upn(f"{la}12340000A")):
        assert rules.check_upn(value) == rules.UpnFinding()
        assert rules.upn_problem(value) is None


def test_every_la_number_stdnum_accepts_is_on_our_list():
    from stdnum.gb import upn

    for number in range(1000):
        value = _upn(f"{number:03d}123400001")
        if upn.is_valid(value):
            assert rules.check_upn(value).unknown_la is None, number


def test_an_unknown_la_number_is_a_warning_not_an_error():
    finding = rules.check_upn(_upn("999123400001"))
    assert finding.error is None
    assert finding.unknown_la == "999"
    assert rules.upn_problem(_upn("999123400001")) is None


def test_a_temporary_upn_with_an_unknown_la_number_is_a_warning():
    finding = rules.check_upn(_upn("99912340000A").lower())
    assert (finding.error, finding.unknown_la) == (None, "999")


@pytest.mark.parametrize("rest", ["999123400001", "99912340000A", "000123400001"])
def test_a_wrong_check_letter_is_an_error_even_with_an_unknown_la_number(rest):
    right = _upn(rest)
    wrong = ("B" if right[0] != "B" else "C") + right[1:]
    finding = rules.check_upn(wrong)
    assert finding.error == "The UPN's check letter is wrong. Check the UPN and try again"
    assert finding.unknown_la is None


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("A99912340000", "UPN must be 13 characters"),
        ("A9991234X0001", "UPN must be a letter followed by 11 digits"),
    ],
)
def test_a_bad_upn_with_an_unknown_la_number_is_an_error_not_a_warning(value, message):
    finding = rules.check_upn(value)
    assert finding.error.startswith(message)
    assert finding.unknown_la is None


def test_the_la_numbers_are_dated_data_with_their_source():
    assert la_numbers.CHECKED_ON.isoformat() == "2026-12-03"
    assert "DfE" in la_numbers.SOURCE and "Welsh Government" in la_numbers.SOURCE
    assert len(la_numbers.ENGLAND) == 153
    assert len(la_numbers.WALES) == 22
    parts = [la_numbers.ENGLAND, la_numbers.ENGLAND_FORMER, la_numbers.WALES]
    assert sum(len(part) for part in parts) == len(la_numbers.LA_NUMBERS)
    assert all(100 <= number <= 999 and name for number, name in la_numbers.LA_NUMBERS.items())
    assert la_numbers.la_name(943) == "Westmorland and Furness"
    assert la_numbers.la_name(999) is None


# ---- year group (1 September cut-off) -------------------------------------------------------


@pytest.mark.parametrize(
    ("born", "today", "group", "label"),
    [
        # born on the last day of an academic year: the oldest of the younger year
        (date(2015, 8, 31), date(2026, 11, 22), 7, "Year 7"),
        # a day later: the youngest of the year below
        (date(2015, 9, 1), date(2026, 11, 22), 6, "Year 6"),
        # the year group holds until 31 August and moves on on 1 September
        (date(2015, 8, 31), date(2027, 8, 31), 7, "Year 7"),
        (date(2015, 8, 31), date(2027, 9, 1), 8, "Year 8"),
        (date(2021, 9, 1), date(2026, 11, 22), 0, "Reception"),
        (date(2022, 8, 31), date(2026, 11, 22), 0, "Reception"),
        (date(2022, 9, 1), date(2026, 11, 22), -1, "Nursery"),
        (date(2010, 9, 1), date(2026, 11, 22), 11, "Year 11"),
    ],
)
def test_year_group_follows_the_1_september_cut_off(born, today, group, label):
    assert rules.year_group(born, today) == group
    assert rules.year_group_label(group) == label


# ---- compulsory school age -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("born", "first_day"),
    [
        # compulsory school age starts on the prescribed day (31 Dec, 31 Mar, 31 Aug) on or
        # after the 5th birthday
        (date(2020, 9, 1), date(2025, 12, 31)),
        (date(2020, 12, 31), date(2025, 12, 31)),
        (date(2021, 1, 1), date(2026, 3, 31)),
        (date(2021, 4, 1), date(2026, 8, 31)),
        (date(2021, 8, 31), date(2026, 8, 31)),
    ],
)
def test_compulsory_school_age_starts_on_the_prescribed_day(born, first_day):
    assert not rules.is_compulsory_school_age(born, first_day.replace(day=first_day.day - 1))
    assert rules.is_compulsory_school_age(born, first_day)


@pytest.mark.parametrize(
    ("born", "last_day"),
    [
        # turns 16 on 1 September 2026: school year 2026 to 2027, last Friday of June 2027
        (date(2010, 9, 1), date(2027, 6, 25)),
        # turns 16 on 31 August 2026: school year 2025 to 2026, so before the birthday
        (date(2010, 8, 31), date(2026, 6, 26)),
    ],
)
def test_compulsory_school_age_ends_on_the_last_friday_in_june_of_the_year_they_turn_16(
    born, last_day
):
    assert last_day.weekday() == 4
    assert rules.is_compulsory_school_age(born, last_day)
    assert not rules.is_compulsory_school_age(born, last_day.replace(day=last_day.day + 1))


def test_a_pupil_born_on_29_february_has_a_compulsory_school_age():
    assert rules.compulsory_school_age_span(date(2012, 2, 29)) == (
        date(2017, 3, 31),
        date(2028, 6, 30),
    )


# ---- compulsory school age as a range of birth dates ------------------------------------------


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2040, 12, 31)), st.integers(-4, 4))
def test_children_of_compulsory_school_age_were_born_in_one_run_of_days(on, offset):
    earliest, latest = rules.compulsory_school_age_births(on)
    # the ends, the days either side of them, and a day inside
    inside = earliest + (latest - earliest) // 2 + timedelta(days=offset)
    for born in (earliest - timedelta(days=1), earliest, inside, latest, latest + timedelta(1)):
        assert rules.is_compulsory_school_age(born, on) is (earliest <= born <= latest)


def test_compulsory_school_age_births_on_a_known_day():
    # On 2 December 2026: from those who turn 16 in 2026/27 (born 1 September 2010) to those
    # whose 5th birthday was by 31 August 2026 (born 31 August 2021).
    assert rules.compulsory_school_age_births(date(2026, 12, 2)) == (
        date(2010, 9, 1),
        date(2021, 8, 31),
    )
