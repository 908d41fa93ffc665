"""No list page renders a drop-down of every school, provider, user or pupil (issue 13, item 2:
"no list page renders more than about 100 <option>s"): with 120 of each, every list page and
report each role can open stays well under that."""

from __future__ import annotations

import pytest

from apregister.models import Role
from apregister.reports.definitions import REPORTS
from tests.conftest import make_placement, make_provider, make_pupil, make_school, make_user

LIST_PAGES = [
    "/",
    "/placements",
    "/pupils",
    "/providers",
    "/providers/applications",
    "/inspections",
    "/self-assessments",
    "/absences",
    "/attendance",
    "/attendance/unrecorded",
    "/dashboard",
    "/reports",
    "/users",
    "/outbox",
    "/audit",
    *(f"/reports/{key}" for key in REPORTS),
]
MANY = 120
MOST_OPTIONS = 100


@pytest.fixture
def crowded(db):
    """An LA with 120 schools, providers, pupils and users, and one placement at each."""
    schools = [make_school(name=f"Crowded School {n:03d}") for n in range(MANY)]
    providers = [make_provider(name=f"Crowded Provider {n:03d}") for n in range(MANY)]
    for n in range(MANY):
        make_placement(make_pupil(schools[n], last_name=f"Crowd{n:03d}"), providers[n])
        make_user(Role.SCHOOL, schools[n], name=f"Crowded User {n:03d}")
    return schools, providers


@pytest.mark.parametrize("role", list(Role), ids=[role.value for role in Role])
def test_no_list_page_lists_every_organisation(client, login_as, crowded, role):
    schools, providers = crowded
    organisation = {Role.SCHOOL: schools[0], Role.PROVIDER: providers[0]}.get(role)
    login_as(role, organisation) if organisation else login_as(role)
    opened = 0
    for path in LIST_PAGES:
        response = client.get(path)
        if response.status_code != 200 or response.mimetype != "text/html":
            continue  # not this role's page (403, 404), or a download
        opened += 1
        options = response.get_data(as_text=True).count("<option")
        assert options <= MOST_OPTIONS, f"{path} renders {options} options for {role.value}"
    assert opened >= 2
