"""The DfE school census code lists the AP placement export writes, kept as data: each list
with the document it comes from, its year, and which of its codes were checked against a
published source; and the mapping from this app's values to those codes.

What is confirmed, and what is not (checked 5 December 2026):

- AP setting type: NFE, OOT, OTH and WBP, the values allowed when a setting has neither a URN
  nor a UKPRN, are confirmed: they are listed in the DfE's AP census data items (2023 AP
  census, as republished by FE News, fenews.co.uk/resources/data-items-2), and the same four
  settings, beside "Education setting with URN" and "Registered provider with UKPRN", are the
  setting types of the DfE's published statistics on school arranged AP for 2022/23 to 2025/26
  (Explore education statistics, "School arranged alternative provision - by placement
  reason"). The setting type is written only when the setting has no URN and no UKPRN, and the
  UKPRN only when it has no URN (the same source).
- AP placement reason: NOT confirmed. The specification's code set could not be read here; the
  codes below are this module's best recollection of the school census AP placement reasons
  and must be checked against the code set in the "School census 2025 to 2026: business and
  technical specification" before a return is made. Only one description is confirmed: the
  published statistics above name the reason "Medical condition (mental health need)".
- AP attendance pattern (full or part time): NOT confirmed, likewise.
- The fields: the AP placement a school records for the census holds a URN, a UKPRN, a setting
  type, a reason, an attendance pattern and a number of sessions, with its dates (the SIMS
  data model for it, sims-partners.com/SIMS7/May24/CodeSamples). Hours per week is not among
  them; the export adds it as the register records it.
- The collection period (open placements and those that ended from the previous census day to
  this one) is confirmed by a school MIS supplier's guidance for the autumn 2023 census
  (osmis.co.uk/alternative-provision-copy: 18/05/23 to 05/10/23), and Arbor's help says the
  census holds the placements attended during the collection's dates. The census days themselves
  follow the DfE's rule: the first Thursday in October, the third Thursday in January and the
  third Thursday in May (which gives 2 October 2025, 15 January 2026 and 21 May 2026).

A test (tests/reports/test_census_codes.py) fails when an app value has no census code, or
maps to a code that is not in its list.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from types import MappingProxyType

from apregister.models import PlacementReason, RegistrationType

SPECIFICATION = "School census 2025 to 2026: business and technical specification (DfE)"
YEAR = "2025 to 2026"


@dataclass(frozen=True)
class CodeSet:
    """One census field's allowed codes (code -> the census's description of it)."""

    field: str  # the census data item, as the export's heading names it
    source: str  # the document the list belongs to
    year: str
    codes: MappingProxyType[str, str]
    confirmed: frozenset[str] = field(default=frozenset())  # codes checked against `evidence`
    evidence: str = ""

    def __contains__(self, code: object) -> bool:
        return code in self.codes

    @property
    def unconfirmed(self) -> frozenset[str]:
        return frozenset(self.codes) - self.confirmed


AP_SETTING_TYPE = CodeSet(
    field="AP setting type",
    source=f"{SPECIFICATION}: AP placements, setting type (for a setting without URN or UKPRN)",
    year=YEAR,
    codes=MappingProxyType(
        {
            "NFE": "Non-maintained further education provision",
            "OOT": "One-on-one tuition",
            "OTH": "Other unregistered provider",
            "WBP": "Work-based placement",
        }
    ),
    confirmed=frozenset({"NFE", "OOT", "OTH", "WBP"}),
    evidence=(
        "DfE AP census 2023 data items (fenews.co.uk/resources/data-items-2); DfE statistics, "
        "school arranged AP by setting type, 2022/23 to 2025/26"
    ),
)

AP_PLACEMENT_REASON = CodeSet(
    field="AP placement reason",
    source=f"{SPECIFICATION}: AP placements, placement reason",
    year=YEAR,
    codes=MappingProxyType(
        {
            "PEX": "Permanently excluded",
            "SUS": "Suspended",
            "BEH": "To prevent exclusion (behaviour)",
            "REN": "To re-engage the pupil in education",
            "MHN": "Medical condition (mental health need)",
            "PHN": "Medical condition (physical health need)",
            "NSP": "New to the area, no school place",
            "EHM": "EHC plan: to maintain a placement",
            "EHA": "EHC plan: as an alternative to a placement",
            "EHN": "EHC plan: no suitable placement available",
            "OTH": "Other",
        }
    ),
    confirmed=frozenset(),  # the codes are not; one description is (see the docstring)
    evidence=(
        "Not checked against the specification. 'Medical condition (mental health need)' is a "
        "reason in DfE statistics on school arranged AP, 2022/23 to 2025/26"
    ),
)

AP_ATTENDANCE_PATTERN = CodeSet(
    field="AP attendance pattern",
    source=f"{SPECIFICATION}: AP placements, attendance pattern",
    year=YEAR,
    codes=MappingProxyType({"FT": "Full time", "PT": "Part time"}),
    evidence="Not checked against the specification",
)

CODE_SETS = (AP_SETTING_TYPE, AP_PLACEMENT_REASON, AP_ATTENDANCE_PATTERN)


# ---- the app's values as census codes -------------------------------------------------------

# A setting without a URN or UKPRN, by the kind of provider it is.
SETTING_TYPE_CODES = MappingProxyType(
    {
        RegistrationType.FE_COLLEGE: "NFE",
        RegistrationType.TUITION: "OOT",
        RegistrationType.VOCATIONAL: "OTH",
        RegistrationType.THERAPEUTIC: "OTH",
        RegistrationType.WORK_BASED: "WBP",
        # online provision is taught in groups as often as one to one: not "one-on-one tuition"
        RegistrationType.ONLINE: "OTH",
        RegistrationType.OTHER_UNREGISTERED: "OTH",
    }
)

# Schools registered with the DfE: the census knows them by URN and offers no setting type for
# them. One recorded without its URN is written with none of the three, for the LA to mend.
IDENTIFIED_BY_URN = frozenset(
    {
        RegistrationType.PUPIL_REFERRAL_UNIT,
        RegistrationType.AP_ACADEMY,
        RegistrationType.INDEPENDENT_SCHOOL,
        RegistrationType.HOSPITAL_SCHOOL,
    }
)

PLACEMENT_REASON_CODES = MappingProxyType(
    {
        PlacementReason.PREVENT_EXCLUSION: "BEH",
        PlacementReason.RE_ENGAGE: "REN",
        # The census tells mental from physical health needs; the register records one
        # "medical" reason. Written as the mental health need, the commoner by far in the
        # published figures, until the register asks which.
        PlacementReason.MEDICAL: "MHN",
        PlacementReason.PERMANENTLY_EXCLUDED: "PEX",
        PlacementReason.NEW_TO_AREA: "NSP",
        PlacementReason.EHC_MAINTAIN: "EHM",
        PlacementReason.EHC_ALTERNATIVE: "EHA",
        PlacementReason.EHC_NONE_AVAILABLE: "EHN",
    }
)

ATTENDANCE_PATTERN_CODES = MappingProxyType({True: "FT", False: "PT"})  # by Placement.full_time


def setting_type_code(registration_type: RegistrationType | str) -> str | None:
    """The setting type for a setting with neither URN nor UKPRN; None for a registered school
    (which the census knows only by its URN)."""
    return SETTING_TYPE_CODES.get(RegistrationType(registration_type))


def reason_code(reason: PlacementReason | str) -> str:
    return PLACEMENT_REASON_CODES[PlacementReason(reason)]


def attendance_pattern_code(full_time: bool) -> str:
    return ATTENDANCE_PATTERN_CODES[bool(full_time)]


# ---- census days ----------------------------------------------------------------------------

# (month, which Thursday of it): spring, summer and autumn census days.
CENSUS_DAYS = ((1, 3), (5, 3), (10, 1))


def _thursday(year: int, month: int, nth: int) -> date:
    first = date(year, month, 1)
    return first + timedelta(days=(3 - first.weekday()) % 7 + 7 * (nth - 1))


def census_days(year: int) -> list[date]:
    return [_thursday(year, month, nth) for month, nth in CENSUS_DAYS]


def previous_census_day(census_date: date) -> date:
    """The last census day before `census_date`: where its collection period starts."""
    days = census_days(census_date.year - 1) + census_days(census_date.year)
    return max(day for day in days if day < census_date)
