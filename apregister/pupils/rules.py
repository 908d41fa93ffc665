"""Pure rules about pupils: UPNs, year groups and compulsory school age. `today` is passed in."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from stdnum import exceptions as stdnum_errors
from stdnum.gb import upn as stdnum_upn

from apregister.pupils.la_numbers import LA_NUMBERS

UPN_WRONG_LENGTH = "UPN must be 13 characters, like A123456789012"
UPN_WRONG_CHECK_LETTER = "The UPN's check letter is wrong. Check the UPN and try again"
UPN_WRONG_FORMAT = "UPN must be a letter followed by 11 digits and a final digit or letter"


@dataclass(frozen=True)
class UpnFinding:
    """What checking a UPN found: an error (refuse it), or an LA number not on our list (warn)."""

    error: str | None = None
    unknown_la: str | None = None


def check_upn(value: str) -> UpnFinding:
    """Check a UPN's length, format and check letter (DfE algorithm, via python-stdnum), and
    whether its LA number is one we know (our own dated list: stdnum's dates from 2011)."""
    compact = stdnum_upn.compact(value)
    try:
        stdnum_upn.validate(compact)
    except stdnum_errors.InvalidLength:
        return UpnFinding(error=UPN_WRONG_LENGTH)
    except stdnum_errors.InvalidChecksum:
        return UpnFinding(error=UPN_WRONG_CHECK_LETTER)
    except stdnum_errors.InvalidComponent:
        pass  # an LA number stdnum does not know: judged against our own list below
    except stdnum_errors.InvalidFormat:
        return UpnFinding(error=UPN_WRONG_FORMAT)
    except stdnum_errors.ValidationError:
        return UpnFinding(error="Enter a real UPN")
    # stdnum gives up on an unknown LA number before it looks at the check letter, so look here
    if stdnum_upn.calc_check_digit(compact[1:]) != compact[0]:
        return UpnFinding(error=UPN_WRONG_CHECK_LETTER)
    la = compact[1:4]
    return UpnFinding(unknown_la=None if int(la) in LA_NUMBERS else la)


def upn_problem(value: str) -> str | None:
    """Why a UPN must be refused, in plain words, or None (an unknown LA number is no reason)."""
    return check_upn(value).error


def normalise_upn(value: str) -> str:
    return stdnum_upn.compact(value)


def academic_year_start(today: date) -> int:
    """The calendar year in which the current academic year began (1 September cut-off)."""
    return today.year if today.month >= 9 else today.year - 1


def year_group(date_of_birth: date, today: date) -> int:
    """National curriculum year: 0 is Reception, 1 to 13 are Years 1 to 13.

    Children are in the same year if born between 1 September and 31 August; a child who is
    4 on 31 August before the academic year starts is in Reception."""
    start = academic_year_start(today)
    age_on_31_august = (
        start - date_of_birth.year - ((date_of_birth.month, date_of_birth.day) > (8, 31))
    )
    return age_on_31_august - 4


def year_group_label(group: int) -> str:
    if group == 0:
        return "Reception"
    if group < 0:
        return "Nursery"
    return f"Year {group}"


def _prescribed_day_on_or_after(day: date) -> date:
    """The next of 31 December, 31 March and 31 August on or after `day`."""
    for month, dom in ((3, 31), (8, 31), (12, 31)):
        candidate = date(day.year, month, dom)
        if candidate >= day:
            return candidate
    return date(day.year + 1, 3, 31)


def _last_friday_of_june(year: int) -> date:
    day = date(year, 6, 30)
    return day - timedelta(days=(day.weekday() - 4) % 7)


def compulsory_school_age_span(date_of_birth: date) -> tuple[date, date]:
    """First and last day of compulsory school age (Education Act 1996 s8).

    It starts on the prescribed day on or after the 5th birthday and ends on the last Friday in
    June of the school year in which the child turns 16."""
    fifth = _add_years(date_of_birth, 5)
    sixteenth = _add_years(date_of_birth, 16)
    school_year_start = sixteenth.year if sixteenth.month >= 9 else sixteenth.year - 1
    return _prescribed_day_on_or_after(fifth), _last_friday_of_june(school_year_start + 1)


def is_compulsory_school_age(date_of_birth: date, on: date) -> bool:
    first, last = compulsory_school_age_span(date_of_birth)
    return first <= on <= last


def compulsory_school_age_births(on: date) -> tuple[date, date]:
    """The earliest and latest dates of birth of children of compulsory school age on `on`.

    Both ends of the span move forward with the date of birth, so the children of that age on
    any day were born in one unbroken run of days; its ends are found by bisection with
    `compulsory_school_age_span` itself, so that there is one statement of the law."""

    def first_born(test, low: date, high: date) -> date:
        # the first day in low..high for which `test` holds (it holds from there on)
        while low < high:
            middle = low + (high - low) // 2
            if test(middle):
                high = middle
            else:
                low = middle + timedelta(days=1)
        return low

    low, high = _add_years(on, -20), on
    earliest = first_born(lambda born: compulsory_school_age_span(born)[1] >= on, low, high)
    after_latest = first_born(
        lambda born: compulsory_school_age_span(born)[0] > on, low, high + timedelta(days=1)
    )
    return earliest, after_latest - timedelta(days=1)


def _add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)
