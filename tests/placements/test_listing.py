"""The placement list's paging (placements/listing.py): the same queries for an address
whatever the data, and the right rows and total whether the list is counted in Python (up to
ALL_KEYS placements) or by the database."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest

from apregister.models import Role
from apregister.placements import listing
from tests.conftest import count_queries, make_placement, make_pupil, make_school

ADDRESSES = [
    "/placements",
    "/placements?page=2",
    "/placements?page=99",  # past the end: the last page
    "/placements?status=ended",  # every ended placement: counted first
    "/placements?status=active",
    "/placements?review_overdue=y",
]


@pytest.fixture
def small_pages(app, monkeypatch):
    """Two placements a page, and at most three read before the database counts them."""
    monkeypatch.setattr(listing, "ALL_KEYS", 3)
    monkeypatch.setitem(app.config, "REGISTER_PAGE_SIZE", 2)


def _add(count: int) -> None:
    for n in range(count):
        start = date.today() - timedelta(weeks=10 + n)
        make_placement(start_date=start, actual_end=start + timedelta(weeks=4) if n % 2 else None)


def _shown(body: str) -> list[str]:
    return re.findall(r'href="/placements/(\d+)"', body)


def _total(body: str) -> int:
    return int(re.search(r"<strong>(\d+)</strong> placement", body).group(1))


@pytest.mark.usefixtures("small_pages")
def test_each_address_runs_the_same_queries_with_none_few_or_many_placements(client, db, login_as):
    login_as(Role.LA_LEAD)
    client.get("/placements")  # anything done once per session happens here
    counts: dict[str, set[int]] = {address: set() for address in ADDRESSES}
    for more in (0, 2, 6):  # none; fewer than ALL_KEYS; more than it
        _add(more)
        for address in ADDRESSES:
            with count_queries() as statements:
                assert client.get(address).status_code == 200
            counts[address].add(len(statements))
    assert all(len(seen) == 1 for seen in counts.values()), counts


@pytest.mark.usefixtures("small_pages")
def test_a_list_longer_than_the_keys_read_first_is_counted_and_paged_alike(
    client, db, login_as, monkeypatch
):
    _add(7)
    login_as(Role.LA_LEAD)
    pages = {}
    for keys_first in (3, 100):  # counted by the database, or in Python
        monkeypatch.setattr(listing, "ALL_KEYS", keys_first)
        for number in (1, 2, 3, 4, 9):
            body = client.get(f"/placements?page={number}").get_data(as_text=True)
            pages[keys_first, number] = (_shown(body), _total(body))
    for number in (1, 2, 3, 4, 9):
        assert pages[3, number] == pages[100, number], number
    assert {total for _, total in pages.values()} == {7}
    shown = [key for number in (1, 2, 3, 4) for key in pages[3, number][0]]
    assert len(shown) == len(set(shown)) == 7
    assert pages[3, 9] == pages[3, 4]  # past the end: the last page, of one placement
    assert len(pages[3, 4][0]) == 1


def test_a_schools_filtered_list_shows_only_its_own_placements(client, db, login_as):
    school, other = make_school(), make_school()
    mine = make_placement(make_pupil(school), start_date=date.today() - timedelta(weeks=9))
    theirs = make_placement(make_pupil(other), start_date=date.today() - timedelta(weeks=9))
    login_as(Role.SCHOOL, school)
    body = client.get("/placements?review_overdue=y").get_data(as_text=True)
    assert str(mine.id) in _shown(body)
    assert str(theirs.id) not in _shown(body)
