"""The dashboard and the KPI settings page, for each role (what the board sees, made safe to
share: test_board_views.py)."""

from __future__ import annotations

import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from apregister.models import (
    Attendance,
    AttendanceCode,
    KpiSetting,
    LaSettings,
    PlacementOutcome,
    RegistrationType,
    Role,
    SchoolPhase,
    Session,
)
from tests.conftest import (
    count_queries,
    make_placement,
    make_provider,
    make_school,
    submit,
)
from tests.dashboard.pages import (
    KPI_CAPTION,
    TODAY,
    VIEWERS,
    kpi_now,
    place,
    started,
    table_row,
    text_of,
)

# ---- who may open it


@pytest.mark.parametrize("role", list(Role))
def test_dashboard_is_for_la_roles_and_the_board(client, login_as, role):
    login_as(role)
    assert client.get("/dashboard").status_code == (200 if role in VIEWERS else 403)


@pytest.mark.parametrize("role", list(Role))
def test_kpi_settings_are_for_the_la_lead_only(client, login_as, role):
    login_as(role)
    assert client.get("/dashboard/settings").status_code == (200 if role is Role.LA_LEAD else 403)


@pytest.mark.parametrize("role", sorted(VIEWERS))
def test_dashboard_is_in_the_navigation(client, login_as, role):
    login_as(role)
    home = client.get("/").get_data(as_text=True)
    if role is Role.BOARD:  # the board's only other section is on the bar itself
        assert 'href="/dashboard"' in home
        return
    # LA staff: under Reports, whose pages list the dashboard in the sub-navigation
    assert 'href="/reports">Reports<' in home.replace("\n", "").replace("  ", "")
    reports = client.get("/reports").get_data(as_text=True)
    assert 'class="app-sub-navigation"' in reports
    assert 'href="/dashboard"' in reports


def test_board_home_page_summarises_the_dashboard(client, login_as):
    place(6, start_date=started(2))
    login_as(Role.BOARD)
    response = client.get("/")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert '<h1 class="govuk-heading-l">Improvement board</h1>' in html
    assert "Active placements: 6</h3>" in html


@pytest.mark.parametrize(
    "path", ["/placements", "/pupils", "/placements/{placement}", "/pupils/{pupil}"]
)
def test_board_cannot_open_records(client, login_as, path):
    placement = place(1)[0]
    login_as(Role.BOARD)
    url = path.format(placement=placement.id, pupil=placement.pupil_id)
    assert client.get(url).status_code == 403


def test_la_can_filter_by_provider_and_by_phase(client, login_as):
    one = make_provider()
    place(2, provider=one, start_date=started(2))
    place(5, school=make_school(phase=SchoolPhase.PRIMARY), start_date=started(2))
    login_as(Role.LA_OFFICER)
    assert 'name="provider_id"' in client.get("/dashboard").get_data(as_text=True)
    response = client.get(f"/dashboard?provider_id={one.id}")
    assert kpi_now(response, "Active placements") == "2"
    response = client.get("/dashboard?phase=primary")
    assert kpi_now(response, "Active placements") == "5"
    assert 'value="primary" selected' in response.get_data(as_text=True)


def test_a_previous_academic_year_is_measured_at_its_end(client, login_as):
    year_start = date(TODAY.year if TODAY.month >= 9 else TODAY.year - 1, 9, 1)
    last_year = year_start.year - 1
    # ran through the whole of last year's summer term, ended this year
    make_placement(start_date=date(last_year + 1, 6, 1), actual_end=year_start + timedelta(days=3))
    login_as(Role.LA_LEAD)
    response = client.get(f"/dashboard?period={last_year}")
    assert kpi_now(response, "Active placements") == "1"
    assert f"counts as at 31 August {last_year + 1}" in text_of(response)
    # an unknown period falls back to this academic year
    assert client.get("/dashboard?period=1066").status_code == 200


def test_this_term_counts_attendance_from_the_start_of_the_term(client, login_as):
    login_as(Role.LA_LEAD)
    response = client.get("/dashboard?period=term")
    assert response.status_code == 200
    assert 'value="term" selected' in response.get_data(as_text=True)
    assert "This term (from " in text_of(response)


@pytest.mark.parametrize(("role", "shown"), [(Role.LA_LEAD, True), (Role.LA_OFFICER, False)])
def test_only_the_la_lead_is_offered_the_settings(client, login_as, role, shown):
    login_as(role)
    html = client.get("/dashboard").get_data(as_text=True)
    assert ('href="/dashboard/settings"' in html) is shown


def test_direction_of_travel_is_shown_with_an_arrow_and_in_words(client, login_as):
    place(6, start_date=started(2))  # none of them active a month ago
    login_as(Role.LA_LEAD)
    html = client.get("/dashboard").get_data(as_text=True)
    assert (
        '<span aria-hidden="true" class="govuk-!-font-weight-bold">↑</span> Up from 0 last month'
        in html
    )


def test_charts_are_svg_images_with_a_title_and_a_table(client, login_as):
    place(6, start_date=started(2))
    login_as(Role.BOARD)
    html = client.get("/dashboard").get_data(as_text=True)
    main = html[html.index("<main") : html.index("</main>")]
    charts = re.findall(r'<svg[^>]*role="img"[^>]*aria-labelledby="([^"]+)"', main)
    assert {
        "chart-reason-title",
        "chart-registration-title",
        "chart-trend-active-title",
        "chart-trend-attendance-title",
    } <= set(charts)
    for title_id in charts:
        assert f'<title id="{title_id}">' in main
    assert main.count("<svg") <= main.count("<table")
    assert "<script" not in main


# ---- the settings page


def _settings_form(**overrides) -> dict:
    data = {"baseline_date": ["1", "9", str(TODAY.year - 1)]}
    return data | overrides


def test_la_lead_saves_targets_comparators_and_the_baseline_date(client, db, login_as):
    login_as(Role.LA_LEAD)
    response = submit(
        client,
        "/dashboard/settings",
        _settings_form(
            target_attendance_rate="90",
            comparator_attendance_rate="86.5%",
            source_attendance_rate="National figure 2024/25",
            target_active="40",
        ),
    )
    assert response.status_code == 302
    rows = {row.key: row for row in db.session.scalars(select(KpiSetting))}
    assert set(rows) == {"attendance_rate", "active"}
    assert rows["attendance_rate"].target == Decimal("90.0")
    assert rows["attendance_rate"].comparator == Decimal("86.5")
    assert rows["attendance_rate"].comparator_source == "National figure 2024/25"
    saved = db.session.scalars(select(LaSettings)).one()
    assert saved.kpi_baseline_date == date(TODAY.year - 1, 9, 1)

    dashboard = client.get("/dashboard")
    assert table_row(dashboard, KPI_CAPTION, "Attendance rate at AP")
    page = dashboard.get_data(as_text=True)
    assert "86.5%" in page and "National figure 2024/25" in page and "90%" in page
    assert f"Baseline (1 September {TODAY.year - 1})" in page

    form = client.get("/dashboard/settings").get_data(as_text=True)
    assert 'value="86.5"' in form and 'value="National figure 2024/25"' in form
    assert (
        f'id="baseline_date-year" name="baseline_date" type="text" value="{TODAY.year - 1}"' in form
    )


def test_saving_again_updates_and_clears(client, db, login_as):
    login_as(Role.LA_LEAD)
    submit(client, "/dashboard/settings", _settings_form(target_active="40"))
    submit(
        client, "/dashboard/settings", _settings_form(target_active="", baseline_date=["", "", ""])
    )
    row = db.session.scalars(select(KpiSetting)).one()
    assert row.target is None
    assert db.session.scalars(select(LaSettings)).one().kpi_baseline_date is None


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            {"comparator_attendance_rate": "86.5"},
            "Enter where the comparator for attendance rate at AP comes from, like National "
            "figure 2024/25",
        ),
        (
            {"target_ehc_share": "lots"},
            "Enter the target for share with an EHC plan as a percentage from 0 to 100, like 85",
        ),
        (
            {"target_ehc_share": "140"},
            "The target for share with an EHC plan must be a percentage from 0 to 100, like 85",
        ),
        ({"target_active": "NaN"}, "Enter the target for active placements as a number"),
        ({"baseline_date": ["31", "2", "2025"]}, "The baseline date must be a real date"),
        (
            {"baseline_date": ["1", "1", str(TODAY.year + 1)]},
            "The baseline date must be today or in the past",
        ),
        (
            {"source_returned_share": "DfE"},
            "Enter the comparator for ended placements returned to school, or leave where it "
            "comes from empty",
        ),
    ],
)
def test_bad_settings_show_an_error_and_write_nothing(client, db, login_as, data, message):
    login_as(Role.LA_LEAD)
    response = submit(
        client, "/dashboard/settings", _settings_form(**({"target_active": "40"} | data))
    )
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert message in html
    assert "govuk-error-summary" in html
    assert db.session.scalar(select(func.count()).select_from(KpiSetting)) == 0
    assert db.session.scalar(select(func.count()).select_from(LaSettings)) == 0


# ---- it stays fast


@pytest.mark.parametrize("role", [Role.LA_LEAD, Role.BOARD])
def test_query_count_does_not_grow_with_placements(client, login_as, role):
    from apregister.extensions import db

    def add(n: int) -> None:
        provider = make_provider(registration_type=RegistrationType.TUITION)
        for placement in place(n, provider=provider, start_date=started(14)):
            db.session.add(
                Attendance(
                    placement_id=placement.id,
                    date=TODAY - timedelta(days=1),
                    session=Session.AM,
                    code=AttendanceCode.PRESENT,
                )
            )
        ended = place(1, provider=provider, start_date=started(8))[0]
        ended.actual_end, ended.outcome = TODAY, PlacementOutcome.RETURNED_HOME_SCHOOL
        db.session.commit()

    add(2)
    login_as(role)
    client.get("/dashboard")  # anything done once per session happens here
    with count_queries() as few:
        assert client.get("/dashboard").status_code == 200
    add(27)
    with count_queries() as many:
        assert client.get("/dashboard").status_code == 200
    assert len(few) == len(many)


def test_the_provider_filter_is_a_name_not_a_list_of_every_provider(client, login_as):
    providers = [make_provider(name=f"Listed Provider {n:03d}") for n in range(120)]
    chosen = make_provider(name="Unique Riverside Tutors")
    place(6, start_date=started(2), provider=chosen)
    login_as(Role.LA_OFFICER)
    html = client.get("/dashboard").get_data(as_text=True)
    assert html.count("<option") < 30  # the period and phase lists only
    assert "Listed Provider 000" not in html
    # a typed name picks the provider; the figures and the download follow it
    html = client.get("/dashboard", query_string={"provider": "riverside"}).get_data(as_text=True)
    assert 'value="Unique Riverside Tutors"' in html
    assert f'name="provider_id" type="hidden" value="{chosen.id}"' in html
    assert kpi_now(client.get(f"/dashboard?provider_id={chosen.id}"), "Active placements") == "6"
    # several matches: an error with links to each, and no provider applied
    html = client.get("/dashboard", query_string={"provider": "Listed"}).get_data(as_text=True)
    assert "More than one provider matches" in html
    assert f"provider_id={providers[0].id}" in html
