"""The placements export (CSV and XLSX), read as plain columns: every value, who gets which
columns and rows, and a query count that does not grow with the rows."""

import csv
import io
import re
from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from apregister import exports
from apregister.exports import SelectedRows, cell
from apregister.models import (
    Placement,
    PlacementOutcome,
    PlacementReason,
    RegistrationType,
    Role,
    SenStatus,
)
from apregister.placements.views.register import COMMISSIONER_COLUMNS, PROVIDER_COLUMNS
from tests.conftest import (
    count_queries,
    make_la,
    make_placement,
    make_provider,
    make_pupil,
    make_school,
)

START = date(2026, 1, 5)
EVERY_SESSION = "; ".join(
    f"{day} {half}"
    for day in ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday")
    for half in ("AM", "PM")
)


def _csv(response) -> list[list[str]]:
    assert response.status_code == 200
    return list(csv.reader(io.StringIO(response.get_data(as_text=True))))


def _xlsx(response) -> list[list]:
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.data), read_only=True).active
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    # a read-only sheet leaves trailing empty cells out
    return [row + [None] * (len(rows[0]) - len(row)) for row in rows]


def _both(client, query: str = "") -> tuple[list[list[str]], list[list]]:
    return (
        _csv(client.get(f"/placements/export.csv{query}")),
        _xlsx(client.get(f"/placements/export.xlsx{query}")),
    )


def _full_placement():
    school = make_school(name="Hillside Academy")
    provider = make_provider(name="+Bridge Tuition", registration_type=RegistrationType.ONLINE)
    pupil = make_pupil(school, first_name="=HYPERLINK(1)", last_name="O'Neill")
    return make_placement(
        pupil,
        provider,
        reason=PlacementReason.MEDICAL,
        start_date=START,
        planned_end=START + timedelta(weeks=12),
        actual_end=START + timedelta(weeks=10),
        outcome=PlacementOutcome.ANOTHER_AP,
        session_mask=0b0000000101,  # Monday AM, Tuesday AM
        hours_per_week=Decimal("12.5"),
        full_time=False,
        cost_per_week=Decimal("412.50"),
    )


def _empty_placement():
    """A pupil with no school place and no UPN; nothing optional recorded yet."""
    pupil = make_pupil(make_la(), first_name="Robin", last_name="Lee", upn=None)
    return make_placement(
        pupil,
        make_provider(name="Riverside PRU", registration_type=RegistrationType.PUPIL_REFERRAL_UNIT),
        start_date=START - timedelta(days=1),
        planned_end=START + timedelta(weeks=11),
        cost_per_week=None,
    )


def test_every_column_of_a_full_and_an_empty_placement(client, db, login_as):
    full, empty = _full_placement(), _empty_placement()
    login_as(Role.LA_OFFICER)
    csv_rows, xlsx_rows = _both(client)
    assert csv_rows[0] == xlsx_rows[0] == [column.heading for column in COMMISSIONER_COLUMNS]
    assert csv_rows[0] == [
        "Placement",
        "First name",
        "Last name",
        "UPN",
        "School",
        "Provider",
        "Provider registration",
        "Reason",
        "Start date",
        "Planned end date",
        "Actual end date",
        "Sessions",
        "Hours each week",
        "Full time",
        "Cost each week",
        "Outcome",
    ]
    assert csv_rows[1:] == [  # latest start first
        [
            str(full.id),
            "'=HYPERLINK(1)",
            "O'Neill",
            full.pupil.upn,
            "Hillside Academy",
            "'+Bridge Tuition",
            "Online (unregistered)",
            "Medical needs or hospital education",
            "2026-01-05",
            "2026-03-30",
            "2026-03-16",
            "Monday AM; Tuesday AM",
            "12.5",
            "No",
            "412.50",
            "Moved to another alternative provision",
        ],
        [
            str(empty.id),
            "Robin",
            "Lee",
            "",
            "LA (no school place)",
            "Riverside PRU",
            "Pupil referral unit",
            "To re-engage the pupil in education",
            "2026-01-04",
            "2026-03-23",
            "",
            EVERY_SESSION,
            "25.0",
            "Yes",
            "",
            "",
        ],
    ]
    # The XLSX has the same cells, numbers and dates typed and text never a formula.
    assert xlsx_rows[1] == [
        full.id,
        "=HYPERLINK(1)",
        "O'Neill",
        full.pupil.upn,
        "Hillside Academy",
        "+Bridge Tuition",
        "Online (unregistered)",
        "Medical needs or hospital education",
        datetime(2026, 1, 5),
        datetime(2026, 3, 30),
        datetime(2026, 3, 16),
        "Monday AM; Tuesday AM",
        12.5,
        "No",
        412.5,
        "Moved to another alternative provision",
    ]
    assert xlsx_rows[2] == [
        empty.id,
        "Robin",
        "Lee",
        None,
        "LA (no school place)",
        "Riverside PRU",
        "Pupil referral unit",
        "To re-engage the pupil in education",
        datetime(2026, 1, 4),
        datetime(2026, 3, 23),
        None,
        EVERY_SESSION,
        25.0,
        "Yes",
        None,
        None,
    ]
    sheet = load_workbook(io.BytesIO(client.get("/placements/export.xlsx").data)).active
    assert sheet["B2"].data_type == "s" and sheet["F2"].data_type == "s"


def test_provider_gets_only_its_own_pupils_and_the_fields_it_needs(client, db, login_as):
    full = _full_placement()
    _empty_placement()
    login_as(Role.PROVIDER, full.provider)
    csv_rows, xlsx_rows = _both(client)
    headings = ["Placement", "First name", "Last name", "Start date", "Planned end date"]
    headings += ["Actual end date", "Sessions"]
    assert csv_rows[0] == xlsx_rows[0] == headings == [c.heading for c in PROVIDER_COLUMNS]
    assert csv_rows[1:] == [
        [
            str(full.id),
            "'=HYPERLINK(1)",
            "O'Neill",
            "2026-01-05",
            "2026-03-30",
            "2026-03-16",
            "Monday AM; Tuesday AM",
        ]
    ]
    assert xlsx_rows[1:] == [
        [
            full.id,
            "=HYPERLINK(1)",
            "O'Neill",
            datetime(2026, 1, 5),
            datetime(2026, 3, 30),
            datetime(2026, 3, 16),
            "Monday AM; Tuesday AM",
        ]
    ]


def test_a_schools_export_has_only_its_own_placements(client, db, login_as):
    school, other = make_school(), make_school()
    mine = [make_placement(make_pupil(school, first_name="Mine")) for _ in range(2)]
    make_placement(make_pupil(other, first_name="Theirs"))
    make_placement(make_pupil(make_la(), first_name="Nobodys"))
    login_as(Role.SCHOOL, school)
    csv_rows, xlsx_rows = _both(client)
    assert sorted(int(row[0]) for row in csv_rows[1:]) == sorted(p.id for p in mine)
    assert sorted(row[0] for row in xlsx_rows[1:]) == sorted(p.id for p in mine)
    assert {row[1] for row in csv_rows[1:]} == {row[1] for row in xlsx_rows[1:]} == {"Mine"}
    assert {row[4] for row in csv_rows[1:]} == {school.name}


def test_export_queries_do_not_grow_with_the_rows(client, db, login_as, monkeypatch):
    # batches of five, so that twelve placements are read in three
    monkeypatch.setattr(SelectedRows.__init__, "__defaults__", (5,))
    login_as(Role.LA_LEAD)
    counts = {}
    for total in (2, 12):
        while db.session.scalar(select(func.count(Placement.id))) < total:
            make_placement()
        for fmt in ("csv", "xlsx"):
            with count_queries() as statements:
                response = client.get(f"/placements/export.{fmt}")
            rows = _csv(response) if fmt == "csv" else _xlsx(response)
            assert len(rows) == total + 1
            counts[fmt, total] = len(statements)
    assert counts["csv", 2] == counts["csv", 12]
    assert counts["xlsx", 2] == counts["xlsx", 12]


FILTERS = [
    "",
    "?status=active",
    "?status=ended",
    "?status=planned",
    "?status=cancelled",
    "?past_12_weeks=y",
    "?review_overdue=y",
    "?extension_pending=y",
    "?reason=medical",
]


@pytest.mark.parametrize("query", FILTERS)
def test_export_holds_the_placements_of_the_filtered_list(client, db, login_as, query):
    today = date.today()
    school = make_school()
    long_ago = today - timedelta(weeks=14)
    make_placement(make_pupil(school), start_date=long_ago)
    make_placement(make_pupil(school), start_date=today + timedelta(days=3))
    make_placement(make_pupil(school), reason=PlacementReason.MEDICAL)
    ended = make_placement(make_pupil(school), start_date=long_ago)
    ended.actual_end = today - timedelta(days=1)
    cancelled = make_placement(make_pupil(school))
    cancelled.cancelled_on = today
    db.session.commit()
    make_placement(make_pupil(make_school()), start_date=long_ago)  # another school's
    login_as(Role.SCHOOL, school)
    listed = re.findall(r'href="/placements/(\d+)"', client.get(f"/placements{query}").text)
    exported = [row[0] for row in _csv(client.get(f"/placements/export.csv{query}"))[1:]]
    assert sorted(exported) == sorted(set(listed))


def test_export_is_ordered_by_latest_start_then_placement_number(client, db, login_as):
    early = make_placement(start_date=START)
    late = [make_placement(start_date=START + timedelta(days=7)) for _ in range(2)]
    login_as(Role.LA_LEAD)
    ids = [int(row[0]) for row in _csv(client.get("/placements/export.csv"))[1:]]
    assert ids == [late[0].id, late[1].id, early.id]


# ---- the column kinds agree with cell() ------------------------------------------------------


@pytest.mark.parametrize(
    ("make", "values"),
    [
        (exports.text_column, [None, "", "Sam", "=1+1", "+44", "-x", "@me", "\tx", "\rx", "'q"]),
        (exports.number_column, [None, 0, 7, -3, Decimal("12.5"), Decimal("-0.50")]),
        (exports.date_column, [None, date(2026, 1, 5)]),
    ],
)
def test_column_text_is_what_cell_writes(make, values):
    column = make("Heading", None)
    assert [column.text(value) for value in values] == [cell(value) for value in values]


# ---- the census and the placement reports, read the same way ----------------------------------


def test_census_rows_for_a_pupil_with_no_school_place_and_an_ended_placement(client, db, login_as):
    census = date.today() - timedelta(days=3)
    provider = make_provider(registration_type=RegistrationType.THERAPEUTIC, ukprn="")
    pupil = make_pupil(make_la(), upn=None, sen_status=SenStatus.EHC_PLAN)
    placement = make_placement(
        pupil, provider, start_date=census - timedelta(days=10), full_time=False
    )
    placement.actual_end = census
    db.session.commit()
    login_as(Role.LA_LEAD)
    query = [("census_date", census.day), ("census_date", census.month)]
    query.append(("census_date", census.year))
    rows = _csv(client.get("/reports/census", query_string=query))
    # no URN or UKPRN: the setting type; left on the census day, so a leaving date
    assert rows[1:] == [
        [
            "",
            "",
            "",
            "",
            "OTH",
            "REN",
            (census - timedelta(days=10)).isoformat(),
            census.isoformat(),
            "PT",
            "10",
            "25.0",
        ]
    ]
    xlsx = _xlsx(client.get("/reports/census", query_string=[*query, ("format", "xlsx")]))
    start, end = (datetime.fromisoformat(text) for text in rows[1][6:8])
    assert xlsx[1][0] is None and xlsx[1][2:4] == [None, None]
    assert xlsx[1][4:] == ["OTH", "REN", start, end, "PT", 10, 25]


def test_placement_report_names_the_pupil_school_and_provider(client, db, login_as):
    start = date.today() - timedelta(weeks=14)
    placement = make_placement(
        make_pupil(make_la(), first_name="Kit", last_name="Moss"),
        make_provider(name="Oak Farm"),
        start_date=start,
    )
    login_as(Role.LA_LEAD)
    rows = _csv(client.get("/reports/past-12-weeks.csv"))
    assert rows == [
        ["Placement", "Pupil", "School", "Provider", "Start", "Planned end"],
        [
            str(placement.id),
            "Kit Moss",
            "LA (no school place)",
            "Oak Farm",
            start.isoformat(),
            (start + timedelta(weeks=12)).isoformat(),
        ],
    ]
