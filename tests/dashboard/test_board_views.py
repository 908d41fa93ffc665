"""What the board sees on the dashboard, made safe to share, beside the LA's exact figures:
counts from 1 to 4 hidden, tables that give nothing away, no choice but the period, no table
by provider or school, off framework by registration status, organisation counts as they are."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest

from apregister.dashboard.breakdowns import NO_SCHOOL
from apregister.dashboard.rules import SUPPRESSED, WITHHELD
from apregister.models import (
    Attendance,
    AttendanceCode,
    FrameworkStatus,
    PlacementOutcome,
    PlacementReason,
    RegistrationType,
    Role,
    SchoolPhase,
    SenStatus,
    Session,
)
from apregister.templating import govuk_date
from tests.conftest import (
    make_la,
    make_placement,
    make_provider,
    make_pupil,
    make_school,
    make_user,
    sign_in,
)
from tests.dashboard.pages import (
    TODAY,
    kpi_now,
    off_framework_row,
    place,
    started,
    table_row,
    text_of,
)


def test_board_sees_fewer_than_5_where_la_staff_see_the_count(app, client, login_as):
    place(3, start_date=started(2))
    login_as(Role.BOARD)
    board = client.get("/dashboard")
    assert kpi_now(board, "Active placements") == SUPPRESSED
    assert table_row(board, "Active placements by registration status", "Total") == SUPPRESSED

    officer = app.test_client()
    sign_in(officer, make_user(Role.LA_OFFICER))
    la = officer.get("/dashboard")
    assert kpi_now(la, "Active placements") == "3"
    assert table_row(la, "Active placements by registration status", "Total") == "3"


def test_board_never_sees_a_pupil_name_a_record_link_or_free_text(client, login_as):
    school = make_school(name="Quayside Academy")
    for first_name in ("Zebedee", "Ottoline", "Peregrine", "Wilhelmina", "Bartholomew", "Isolde"):
        make_placement(
            make_pupil(school, first_name=first_name, last_name=f"Surname{first_name}"),
            make_provider(),
            start_date=started(3),
            objectives="Rebuild confidence with Mr Hargreaves",
            reintegration_plan="Phased return via the Oak Room",
        )
    ended = place(1, start_date=started(10))[0]
    ended.actual_end, ended.outcome = TODAY, PlacementOutcome.OTHER
    ended.outcome_notes = "Moved to live with an aunt in Leeds"
    from apregister.extensions import db

    db.session.commit()
    login_as(Role.BOARD)
    for path in ("/dashboard", "/", "/dashboard?period=term", "/dashboard?phase=secondary"):
        html = client.get(path).get_data(as_text=True)
        for secret in (
            "Zebedee",
            "SurnameZebedee",
            "Wilhelmina",
            "Hargreaves",
            "Oak Room",
            "aunt in Leeds",
            "Quayside Academy",  # schools are left out of the board's view
        ):
            assert secret not in html, (path, secret)
        assert not re.search(r'href="[^"]*/(placements|pupils)\b', html), path


def test_board_breakdowns_hide_small_cells_and_a_secondary_cell(client, login_as):
    provider = make_provider()
    place(30, provider=provider, start_date=started(2), reason=PlacementReason.RE_ENGAGE)
    place(12, provider=provider, start_date=started(2), reason=PlacementReason.MEDICAL)
    place(3, provider=provider, start_date=started(2), reason=PlacementReason.PREVENT_EXCLUSION)
    login_as(Role.BOARD)
    response = client.get("/dashboard")
    caption = "Active placements by reason"
    assert table_row(response, caption, PlacementReason.PREVENT_EXCLUSION.label) == SUPPRESSED
    # medical is withheld, or the 3 would be 45 - 30 - 12
    assert table_row(response, caption, PlacementReason.MEDICAL.label) == WITHHELD
    assert table_row(response, caption, PlacementReason.RE_ENGAGE.label) == "30"
    assert table_row(response, caption, "Total") == "45"


def test_board_tables_never_leave_1_to_4_between_the_total_and_the_cells_shown(client, login_as):
    provider = make_provider()
    place(2, provider=provider, start_date=started(2), reason=PlacementReason.MEDICAL)
    place(2, provider=provider, start_date=started(2), reason=PlacementReason.RE_ENGAGE)
    place(30, provider=provider, start_date=started(2), reason=PlacementReason.PREVENT_EXCLUSION)
    login_as(Role.BOARD)
    response = client.get("/dashboard")
    caption = "Active placements by reason"
    # 2 and 2 cannot be worked out one from the other, but 34 - 30 = 4 would be shown
    assert table_row(response, caption, PlacementReason.PREVENT_EXCLUSION.label) == WITHHELD
    assert table_row(response, caption, "Total") == "34"


def test_la_staff_see_exact_breakdowns_including_schools(client, login_as):
    small = make_provider(name="Cedar")
    place(3, provider=small, school=make_school(name="Quayside Academy"), start_date=started(2))
    place(12, provider=make_provider(name="Birch"), start_date=started(2))
    login_as(Role.LA_LEAD)
    response = client.get("/dashboard")
    assert table_row(response, "Active placements by provider", "Cedar") == "3"
    assert table_row(response, "Active placements by provider", "Birch") == "12"
    assert table_row(response, "Active placements by school", "Quayside Academy") == "3"


def test_board_shares_and_averages_resting_on_small_groups_are_not_shown(client, login_as):
    from apregister.models import SenStatus

    school, provider = make_school(), make_provider()
    for n in range(8):
        pupil = make_pupil(school, sen_status=SenStatus.EHC_PLAN if n < 2 else SenStatus.NONE)
        make_placement(pupil, provider, start_date=started(2))
    for weeks in (6, 8):
        make_placement(start_date=started(weeks), actual_end=TODAY, outcome=PlacementOutcome.NEET)
    login_as(Role.BOARD)
    response = client.get("/dashboard")
    assert kpi_now(response, "Active placements") == "8"
    assert kpi_now(response, "Share with an EHC plan") == f"Not shown: a group of {SUPPRESSED}"
    assert kpi_now(response, "Share looked after") == "0.0%"
    assert kpi_now(response, "Average length of ended placements") == (
        f"Not shown: {SUPPRESSED} placements ended"
    )


def test_board_attendance_is_hidden_when_fewer_than_5_pupils_are_behind_it(client, login_as):
    from apregister.extensions import db

    placements = place(6, start_date=started(4))
    last_week = TODAY - timedelta(days=7)
    for day in range(5):
        for session in Session:
            db.session.add(
                Attendance(
                    placement_id=placements[0].id,
                    date=last_week + timedelta(days=day),
                    session=session,
                    code=AttendanceCode.PRESENT,
                )
            )
    db.session.commit()
    login_as(Role.BOARD)
    response = client.get("/dashboard?period=year")
    # ten sessions, but all one child's
    assert kpi_now(response, "Attendance rate at AP") == f"Not shown: {SUPPRESSED} pupils"


def test_board_has_no_provider_filter_and_a_provider_in_the_address_is_ignored(client, login_as):
    one = make_provider()
    place(2, provider=one, start_date=started(2))
    place(6, start_date=started(2))
    login_as(Role.BOARD)
    response = client.get(f"/dashboard?provider_id={one.id}")
    assert 'name="provider_id"' not in response.get_data(as_text=True)
    assert kpi_now(response, "Active placements") == "8"


def test_board_has_no_phase_filter_and_a_phase_in_the_address_is_ignored(client, login_as):
    place(8, school=make_school(phase=SchoolPhase.SECONDARY), start_date=started(2))
    place(1, school=make_la(), start_date=started(2))
    login_as(Role.BOARD)
    for address in ("/dashboard?phase=secondary", "/dashboard?phase=primary&period=term"):
        response = client.get(address)
        html = response.get_data(as_text=True)
        assert 'name="phase"' not in html and 'name="period"' in html
        assert kpi_now(response, "Active placements") == "9"
        phases = "Active placements by school phase"
        assert table_row(response, phases, "Secondary") == WITHHELD  # 9 - 8 = 1
        assert table_row(response, phases, NO_SCHOOL) == SUPPRESSED


def test_board_sees_no_table_by_provider_or_school_and_is_told_why(client, login_as):
    place(6, provider=make_provider(name="Alder Tuition"), start_date=started(2))
    login_as(Role.BOARD)
    response = client.get("/dashboard")
    html = response.get_data(as_text=True)
    assert "Active placements by provider" not in html
    assert "Active placements by school<" not in html
    assert "Alder Tuition" not in html
    words = text_of(response)
    assert "Placements by school and by provider are not shown here" in words
    assert "the counts by provider add up to those by registration status" in words


def test_board_counts_are_as_at_today_whatever_the_period(client, login_as):
    year_start = date(TODAY.year if TODAY.month >= 9 else TODAY.year - 1, 9, 1)
    last_year = year_start.year - 1
    place(6, start_date=started(2))
    login_as(Role.BOARD)
    response = client.get(f"/dashboard?period={last_year}")
    assert kpi_now(response, "Active placements") == "6"
    words = text_of(response)
    assert f"counts as at {govuk_date(TODAY)}" in words
    assert f"ended placements and attendance from 1 September {last_year}" in words


def test_board_sees_organisation_counts_as_they_are(client, login_as, db):
    """Counts of providers are not about children: 1 provider with QA up to date of 1,
    and 1 registration-threshold alert, are shown, not "fewer than 5"."""
    tuition = make_provider(
        registration_type=RegistrationType.TUITION,
        framework_status=FrameworkStatus.APPROVED,
        approved_on=TODAY - timedelta(days=20),
    )
    make_placement(make_pupil(sen_status=SenStatus.EHC_PLAN), tuition, start_date=started(1))
    login_as(Role.BOARD)
    response = client.get("/dashboard")
    assert kpi_now(response, "Registration-threshold alerts") == "1"
    assert kpi_now(response, "Providers with QA up to date") == "100.0%"
    assert kpi_now(response, "Active placements") == SUPPRESSED


def test_la_sees_placements_off_framework_by_registration_status(client, login_as):
    registered = make_provider(registration_type=RegistrationType.PUPIL_REFERRAL_UNIT)
    tuition = make_provider(registration_type=RegistrationType.TUITION)
    place(3, provider=registered, start_date=started(2))
    place(1, provider=registered, start_date=started(2), off_framework=True)
    place(2, provider=tuition, start_date=started(2))
    place(2, provider=tuition, start_date=started(2), off_framework=True)
    login_as(Role.LA_OFFICER)
    response = client.get("/dashboard")
    assert off_framework_row(response, "Registered") == ["4", "1", "25.0%"]
    assert off_framework_row(response, "Unregistered") == ["4", "2", "50.0%"]
    assert off_framework_row(response, "Total") == ["8", "3", "37.5%"]
    assert kpi_now(response, "Share of active placements off framework") == "37.5%"


@pytest.mark.parametrize(
    ("registered_off", "expected"),
    [
        (
            5,  # every cell inside the 2 x 2 table is 5 or more
            {
                "Registered": ["15", "5", "33.3%"],
                "Unregistered": ["13", "7", "53.8%"],
                "Total": ["28", "12", "42.9%"],
            },
        ),
        (
            3,  # registered and off framework: 3
            {
                "Registered": ["13", WITHHELD, WITHHELD],
                "Unregistered": ["13", WITHHELD, WITHHELD],
                "Total": ["26", "10", "38.5%"],
            },
        ),
    ],
)
def test_board_sees_off_framework_by_status_only_when_no_cell_of_the_2_by_2_is_small(
    client, login_as, registered_off, expected
):
    registered = make_provider(registration_type=RegistrationType.PUPIL_REFERRAL_UNIT)
    tuition = make_provider(registration_type=RegistrationType.TUITION)
    place(10, provider=registered, start_date=started(2))
    place(registered_off, provider=registered, start_date=started(2), off_framework=True)
    place(6, provider=tuition, start_date=started(2))
    place(7, provider=tuition, start_date=started(2), off_framework=True)
    login_as(Role.BOARD)
    response = client.get("/dashboard")
    for label, row in expected.items():
        assert off_framework_row(response, label) == row
    # the active placements are the registration-status table's cells, shown alike
    for label in ("Registered", "Unregistered"):
        caption = "Active placements by registration status"
        assert table_row(response, caption, label) == expected[label][0]
