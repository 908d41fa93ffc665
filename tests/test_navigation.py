"""The service navigation (issue 13, item 5): one row of groups, their sections as
sub-navigation, and the signed-in user's name and "Sign out" in the header."""

from __future__ import annotations

import re

import pytest

from apregister.models import Role

BAR = re.compile(r'<nav aria-label="Sections".*?</nav>', re.S)
SUB = re.compile(r'<nav class="app-sub-navigation" aria-label="([^"]+)">(.*?)</nav>', re.S)
LINK = re.compile(
    r'<a class="govuk-service-navigation__link" href="([^"]+)"[^>]*>\s*(.*?)\s*</a>', re.S
)
SUB_LINK = re.compile(r'href="([^"]+)"(?: aria-current="(page|true)")?>([^<]+)</a>')

EXPECTED_BAR = {
    Role.LA_LEAD: ["Home", "Placements", "Providers", "Quality assurance", "Reports", "Admin"],
    Role.LA_OFFICER: ["Home", "Placements", "Providers", "Quality assurance", "Reports"],
    Role.SCHOOL: ["Home", "Placements", "Providers", "Reports"],
    Role.PROVIDER: ["Home", "Placements", "Providers", "Quality assurance"],
    Role.BOARD: ["Home", "Dashboard"],
}


def bar(html: str) -> list[tuple[str, str]]:
    match = BAR.search(html)
    assert match, "no service navigation"
    return [(href, re.sub(r"<[^>]+>", "", text)) for href, text in LINK.findall(match.group(0))]


def sub_navigation(html: str) -> tuple[str, list[tuple[str, bool, str]]] | None:
    match = SUB.search(html)
    if not match:
        return None
    links = [(href, bool(current), text) for href, current, text in SUB_LINK.findall(match[2])]
    return match[1], links


@pytest.mark.parametrize("role", list(Role), ids=[role.value for role in Role])
def test_each_role_gets_one_short_row_of_groups(client, login_as, role):
    login_as(role)
    labels = [text for _, text in bar(client.get("/").get_data(as_text=True))]
    assert labels == EXPECTED_BAR[role]


def test_the_lead_finds_admin_pages_under_admin(client, login_as):
    login_as(Role.LA_LEAD)
    links = {text: href for href, text in bar(client.get("/").get_data(as_text=True))}
    admin = client.get(links["Admin"]).get_data(as_text=True)
    label, items = sub_navigation(admin)
    assert label == "Admin"
    assert [text for _, _, text in items] == [
        "Users",
        "Settings",
        "KPI settings",
        "Imports",
        "Outbox",
        "Audit log",
    ]
    assert [text for _, current, text in items if current] == ["Users"]
    audit = client.get("/audit").get_data(as_text=True)
    assert [text for _, current, text in sub_navigation(audit)[1] if current] == ["Audit log"]
    assert 'active-fallback">Admin<' in BAR.search(audit).group(0)  # Admin lit on the bar


def test_kpi_settings_sit_under_admin_not_reports(client, login_as):
    login_as(Role.LA_LEAD)
    label, items = sub_navigation(client.get("/dashboard/settings").get_data(as_text=True))
    assert label == "Admin"
    assert [text for _, current, text in items if current] == ["KPI settings"]
    label, items = sub_navigation(client.get("/dashboard").get_data(as_text=True))
    assert label == "Reports"
    assert [text for _, current, text in items if current] == ["Dashboard"]


@pytest.mark.parametrize(
    "role, path, expected",
    [
        (Role.SCHOOL, "/pupils", ["Placements", "Pupils", "Absences"]),
        (Role.PROVIDER, "/placements", ["Placements", "Attendance"]),
        (Role.LA_OFFICER, "/self-assessments", ["Inspections", "Self-assessments"]),
    ],
)
def test_sub_navigation_lists_only_what_the_role_may_open(client, login_as, role, path, expected):
    login_as(role)
    response = client.get(path)
    assert response.status_code == 200
    _, items = sub_navigation(response.get_data(as_text=True))
    assert [text for _, _, text in items] == expected
    for href, _, _ in items:
        assert client.get(href).status_code == 200


def test_a_group_of_one_section_has_no_sub_navigation(client, login_as):
    login_as(Role.BOARD)
    assert sub_navigation(client.get("/dashboard").get_data(as_text=True)) is None


def test_the_header_names_who_is_signed_in_and_signs_out(client, login_as):
    user = login_as(Role.SCHOOL)
    html = client.get("/").get_data(as_text=True)
    header = html[html.index('<header class="govuk-template__header">') : html.index("</header>")]
    assert user.name in header
    assert user.organisation.name in header
    assert 'action="/sign-out"' in header and ">Sign out</button>" in header
    assert "Sign out" not in BAR.search(html).group(0)


def test_signed_out_pages_have_no_account_links(client):
    html = client.get("/sign-in").get_data(as_text=True)
    assert "Sign out" not in html
    assert "app-sub-navigation" not in html


def test_inside_a_section_its_link_is_current_but_not_this_page(client, login_as):
    login_as(Role.LA_LEAD)
    html = client.get("/dashboard/settings").get_data(as_text=True)
    assert 'aria-current="page">KPI settings<' in html
    html = client.get("/audit", query_string={"page": 1}).get_data(as_text=True)
    assert 'aria-current="page">Audit log<' in html
    html = client.get("/users/new").get_data(as_text=True)
    assert 'aria-current="true">Users<' in html
