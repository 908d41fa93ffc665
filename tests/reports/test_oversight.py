"""The reports on placements off the framework and beyond the unregistered limits: the page, the
CSV and the XLSX hold the same rows, scoped alike."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from apregister.models import FrameworkStatus, RegistrationType, Role
from tests.conftest import make_placement, make_provider, make_pupil, make_school
from tests.reports.test_views import _csv, _xlsx

TODAY = date.today()


def _scene():
    school, school2 = make_school(), make_school()
    tutor = make_provider(
        name="Unapproved Tutors",
        registration_type=RegistrationType.TUITION,
        framework_status=FrameworkStatus.NOT_ON_FRAMEWORK,
    )
    for owner, name in ((school, "Mine"), (school2, "Theirs")):
        make_placement(
            make_pupil(owner, first_name=name),
            tutor,
            off_framework=True,
            off_framework_status=FrameworkStatus.NOT_ON_FRAMEWORK,
            off_framework_reason=f"{name} reason",
        )
        # full time at an unregistered provider, and has run 13 weeks against a 12-week plan
        make_placement(
            make_pupil(owner, first_name=f"{name}Long"),
            make_provider(registration_type=RegistrationType.VOCATIONAL),
            start_date=TODAY - timedelta(weeks=13),
        )
    make_placement(  # part time on two days: within the limits however long
        make_pupil(school, first_name="Within"),
        make_provider(registration_type=RegistrationType.VOCATIONAL),
        start_date=TODAY - timedelta(weeks=20),
        planned_end=TODAY + timedelta(weeks=4),
        session_mask=0b1111,
        full_time=False,
    )
    return school


@pytest.mark.parametrize("key", ["off-framework", "unregistered-limits"])
def test_la_staff_get_every_row_as_a_page_csv_and_xlsx(client, db, login_as, key):
    _scene()
    login_as(Role.LA_OFFICER)
    page = client.get(f"/reports/{key}").get_data(as_text=True)
    csv_rows, xlsx_rows = _csv(client.get(f"/reports/{key}.csv")), _xlsx(
        client.get(f"/reports/{key}.xlsx")
    )
    assert len(csv_rows) == len(xlsx_rows) == 3  # the header and two placements
    assert [row[0] for row in csv_rows[1:]] == [str(row[0]) for row in xlsx_rows[1:]]
    if key == "off-framework":
        assert "Mine reason" in page and "Theirs reason" in page
        assert {row[6] for row in csv_rows[1:]} == {"Mine reason", "Theirs reason"}
    else:
        assert "MineLong" in page and "TheirsLong" in page and "Within" not in page
        assert "has run 13.0 weeks" in page
        assert csv_rows[0][-1] == "Why"


@pytest.mark.parametrize("key", ["off-framework", "unregistered-limits"])
def test_a_school_gets_only_its_own_pupils(client, db, login_as, key):
    school = _scene()
    login_as(Role.SCHOOL, school)
    page = client.get(f"/reports/{key}").get_data(as_text=True)
    assert "Mine" in page and "Theirs" not in page
    assert len(_csv(client.get(f"/reports/{key}.csv"))) == 2


@pytest.mark.parametrize("role", [Role.PROVIDER, Role.BOARD])
def test_providers_and_the_board_get_neither(client, db, login_as, role):
    login_as(role)
    for key in ("off-framework", "unregistered-limits"):
        assert client.get(f"/reports/{key}").status_code == 403
