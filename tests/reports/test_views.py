import csv
import io
from datetime import date, timedelta

import pytest
from openpyxl import load_workbook

from apregister.models import PlacementOutcome, RegistrationType, Role
from tests.conftest import count_queries, make_placement, make_provider, make_pupil, make_school

LONG_AGO = date.today() - timedelta(weeks=14)


def _csv(response):
    return list(csv.reader(io.StringIO(response.get_data(as_text=True))))


def _xlsx(response):
    sheet = load_workbook(io.BytesIO(response.data), read_only=True).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]


@pytest.mark.parametrize("role", list(Role))
def test_who_may_open_which_report(client, db, login_as, role):
    login_as(role)
    la = role in (Role.LA_LEAD, Role.LA_OFFICER)
    la_or_school = la or role is Role.SCHOOL
    expected = {
        "/reports": 200 if la_or_school else 403,
        "/reports/past-12-weeks": 200 if la_or_school else 403,
        "/reports/data-quality.csv": 200 if la_or_school else 403,
        "/reports/qa-compliance": 200 if la else 403,
        "/reports/threshold-alerts.xlsx": 200 if la else 403,
    }
    for path, status in expected.items():
        assert client.get(path).status_code == status, path


def test_unknown_report_answers_404(client, db, login_as):
    login_as(Role.LA_LEAD)
    assert client.get("/reports/nothing-here").status_code == 404


def test_school_reports_and_exports_hold_only_its_own_pupils(client, db, login_as):
    school, school2 = make_school(), make_school()
    make_placement(make_pupil(school, first_name="Mine"), start_date=LONG_AGO)
    make_placement(make_pupil(school2, first_name="Theirs"), start_date=LONG_AGO)
    login_as(Role.SCHOOL, school)
    page = client.get("/reports/past-12-weeks").get_data(as_text=True)
    assert "Mine" in page and "Theirs" not in page
    csv_rows = _csv(client.get("/reports/past-12-weeks.csv"))
    assert [row[1].split()[0] for row in csv_rows[1:]] == ["Mine"]
    xlsx_rows = _xlsx(client.get("/reports/past-12-weeks.xlsx"))
    assert [str(cell) for cell in xlsx_rows[0]] == csv_rows[0]
    assert [row[1] for row in xlsx_rows[1:]] == [row[1] for row in csv_rows[1:]]


def test_xlsx_matches_the_csv_for_the_placement_list(client, db, login_as):
    for _ in range(3):
        make_placement()
    login_as(Role.LA_OFFICER)
    csv_rows = _csv(client.get("/placements/export.csv"))
    xlsx_rows = _xlsx(client.get("/placements/export.xlsx"))
    assert len(csv_rows) == len(xlsx_rows) == 4
    assert [str(cell) for cell in xlsx_rows[0]] == csv_rows[0]
    for csv_row, xlsx_row in zip(csv_rows[1:], xlsx_rows[1:], strict=True):
        assert csv_row[0] == str(xlsx_row[0])  # placement number
        assert csv_row[1:3] == [str(value) for value in xlsx_row[1:3]]  # names


def test_exports_never_turn_text_into_a_formula(client, db, login_as):
    make_placement(make_pupil(first_name="=HYPERLINK(1)"), start_date=LONG_AGO)
    login_as(Role.LA_LEAD)
    csv_text = client.get("/reports/past-12-weeks.csv").get_data(as_text=True)
    assert "'=HYPERLINK(1)" in csv_text
    cell = _xlsx(client.get("/reports/past-12-weeks.xlsx"))[1][1]
    assert cell.startswith("=HYPERLINK(1)")  # stored as text, not a formula


def test_census_export_uses_urn_then_ukprn_then_setting_type(client, db, login_as):
    census = date.today() - timedelta(days=3)
    with_urn = make_provider(urn="140777")
    with_ukprn = make_provider(ukprn="10077777")
    tutor = make_provider(registration_type=RegistrationType.TUITION)
    work = make_provider(registration_type=RegistrationType.WORK_BASED)
    for provider in (with_urn, with_ukprn, tutor, work):
        make_placement(provider=provider, start_date=census - timedelta(days=10))
    make_placement(start_date=census + timedelta(days=1))  # not yet started on the day
    ended = make_placement(start_date=census - timedelta(days=40))
    ended.actual_end, ended.outcome = census - timedelta(days=1), PlacementOutcome.OTHER
    db.session.commit()
    login_as(Role.LA_OFFICER)
    query = [
        ("census_date", census.day),
        ("census_date", census.month),
        ("census_date", census.year),
    ]
    rows = _csv(client.get("/reports/census", query_string=query))
    # the URN, else the UKPRN, else the setting type; the placement that ended in the census's
    # collection period is there too, with its leaving date
    assert rows[0][2:5] == ["AP URN", "AP UKPRN", "AP setting type"]
    assert sorted("".join(row[2:5]) for row in rows[1:]) == sorted(
        ["140777", "10077777", "OOT", "WBP", "OOT"]
    )
    assert sorted(row[7] for row in rows[1:]) == ["", "", "", "", ended.actual_end.isoformat()]
    assert {row[8] for row in rows[1:]} == {"FT"}


def test_census_export_needs_a_real_date(client, db, login_as):
    login_as(Role.LA_LEAD)
    response = client.get(
        "/reports/census", query_string=[("census_date", "31"), ("census_date", "2")]
    )
    assert response.status_code == 200
    assert "must include a year" in response.get_data(as_text=True)


def test_data_quality_report_lists_missing_upns_reviews_and_outcomes(client, db, login_as):
    school = make_school()
    make_pupil(school, upn=None, first_name="Noupn")
    make_placement(make_pupil(school, first_name="Unreviewed"), start_date=LONG_AGO)
    ended = make_placement(make_pupil(school, first_name="Nooutcome"), start_date=LONG_AGO)
    ended.actual_end = date.today() - timedelta(days=1)
    db.session.commit()
    login_as(Role.SCHOOL, school)
    page = client.get("/reports/data-quality").get_data(as_text=True)
    for expected in (
        "Pupil without a UPN",
        "Noupn",
        "No review yet",
        "Unreviewed",
        "Ended without an outcome",
        "Nooutcome",
    ):
        assert expected in page, expected


def test_threshold_report_lists_the_provider(client, db, login_as):
    tutor = make_provider(name="Crowded Tutors", registration_type=RegistrationType.TUITION)
    for _ in range(5):
        make_placement(provider=tutor)
    login_as(Role.LA_LEAD)
    rows = _csv(client.get("/reports/threshold-alerts.csv"))
    assert rows[1][1] == "Crowded Tutors"
    assert rows[1][3] == "5"


def test_data_quality_page_shows_its_first_rows_with_the_same_queries_however_many(
    client, db, login_as, monkeypatch
):
    from apregister.reports import views

    monkeypatch.setattr(views, "PAGE_ROWS", 3)
    school = make_school()
    placement = make_placement(make_pupil(school, first_name="Noobjectives"))
    placement.objectives = ""
    db.session.commit()
    login_as(Role.SCHOOL, school)

    def page():
        with count_queries() as ran:
            text = client.get("/reports/data-quality").get_data(as_text=True)
        return text, len(ran)

    make_pupil(school, upn=None, first_name="Noupn")
    few, few_queries = page()
    assert "Noupn" in few and "Noobjectives" in few
    for _ in range(5):
        make_pupil(school, upn=None, first_name="Noupn")
    many, many_queries = page()
    assert many.count("Pupil without a UPN") == 3  # the page's first rows
    assert "Noobjectives" not in many
    assert many_queries == few_queries
    # the download has every row
    rows = _csv(client.get("/reports/data-quality.csv"))
    assert [row[0] for row in rows[1:]] == ["Pupil without a UPN"] * 6 + ["No objectives"]
