"""pagination.paginate: the same queries for a page whatever the data, and the same rows
whether a list is counted in Python (up to PROBE keys) or by the database."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest

from apregister import pagination
from apregister.models import Role
from tests.conftest import count_queries, make_provider

TODAY = date.today()


def _names(body: str) -> list[str]:
    return re.findall(
        r'<h2 class="govuk-heading-s[^"]*"><a class="govuk-link" href="/providers/\d+">([^<]+)</a>',
        body,
    )


def _queries(client, path: str) -> int:
    with count_queries() as statements:
        assert client.get(path).status_code == 200
    return len(statements)


@pytest.fixture
def small_pages(app, monkeypatch):
    monkeypatch.setattr(pagination, "PROBE", 3)
    monkeypatch.setitem(app.config, "REGISTER_PAGE_SIZE", 2)


@pytest.mark.usefixtures("small_pages")
def test_a_page_runs_the_same_queries_for_a_short_list_and_one_longer_than_probed(
    client, db, login_as
):
    login_as(Role.LA_LEAD)
    client.get("/providers")
    paths = ["/providers", "/providers?page=2", "/providers?page=50", "/inspections"]
    seen: dict[str, set[int]] = {path: set() for path in paths}
    for _ in range(3):  # 0, 3 then 6 providers on the framework (the lead's LA is not one)
        for path in paths:
            seen[path].add(_queries(client, path))
        for _ in range(3):
            make_provider(approved_on=TODAY - timedelta(days=400))
    assert all(len(counts) == 1 for counts in seen.values()), seen


@pytest.mark.usefixtures("small_pages")
def test_rows_and_totals_are_the_same_counted_either_way(client, db, login_as, monkeypatch):
    for letter in "ABCDEFG":
        make_provider(name=f"{letter} Provision", approved_on=TODAY - timedelta(days=400))
    login_as(Role.LA_LEAD)
    pages = {}
    for probe in (3, 100):
        monkeypatch.setattr(pagination, "PROBE", probe)
        for number in (1, 2, 4, 9):
            body = client.get(f"/providers?page={number}").get_data(as_text=True)
            total = re.search(r"<strong>(\d+)</strong> provider", body).group(1)
            inspections = client.get(f"/inspections?providers_page={number}").get_data(as_text=True)
            pages[probe, number] = (_names(body), total, "Overdue" in inspections)
    for number in (1, 2, 4, 9):
        assert pages[3, number] == pages[100, number], number
    assert pages[3, 1][0] == ["A Provision", "B Provision"]
    assert pages[3, 1][1] == "7"
    assert pages[3, 9] == pages[3, 4]  # past the end: the last page


@pytest.mark.parametrize("descending", [False, True])
def test_a_page_in_the_second_half_read_from_the_end_holds_the_same_rows(
    app, db, monkeypatch, descending
):
    """Deep pages past the middle are read in the reverse order: every page holds exactly
    the rows reading from the start gives, ties on the name broken by the key alike."""
    from sqlalchemy import select

    from apregister.models import Pupil
    from tests.conftest import make_pupil

    monkeypatch.setattr(pagination, "PROBE", 0)  # every page counted first, then read
    for n, last in enumerate(["Khan", "Ali", "Khan", "Brown", "ali", "Zed", "Khan", "Brown"] * 2):
        make_pupil(first_name=f"P{n % 3}", last_name=last)
    columns = (Pupil.last_name, Pupil.first_name, Pupil.id)
    order = [column.desc() for column in columns] if descending else list(columns)
    stmt = select(Pupil).order_by(*order)
    every = [pupil.id for pupil in db.session.scalars(stmt)]
    pages = []
    for number in range(1, 8):
        with app.test_request_context(f"/?page={number}"):
            page = pagination.paginate(stmt, per_page=3)
        pages.append([pupil.id for pupil in page.items])
        assert page.total == 16
    assert pages[:6] == [every[start : start + 3] for start in range(0, 16, 3)]
    assert pages[6] == pages[5] == every[15:]  # past the end: the last page


def test_the_reverse_read_skips_little_for_the_last_page(app, db, monkeypatch):
    from sqlalchemy import select

    from apregister.models import Pupil
    from tests.conftest import make_pupil

    monkeypatch.setattr(pagination, "PROBE", 0)
    for n in range(10):
        make_pupil(last_name=f"Name{n:02}")
    stmt = select(Pupil).order_by(Pupil.last_name, Pupil.id)
    with app.test_request_context("/?page=5"), count_queries() as statements:
        page = pagination.paginate(stmt, per_page=2)
    assert [pupil.last_name for pupil in page.items] == ["Name08", "Name09"]
    assert any("DESC" in statement for statement in statements)
