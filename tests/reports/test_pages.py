"""A report's page shows the first rows of its download, in its order, with the same queries
however many rows there are (the first placements are found before anything is joined)."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest

from apregister.models import FrameworkStatus, RegistrationType, Role
from tests.conftest import count_queries, make_placement, make_provider, make_pupil
from tests.reports.test_views import _csv

TODAY = date.today()


def _off_framework(count: int, reviewed: bool = False) -> None:
    tutor = make_provider(
        registration_type=RegistrationType.TUITION,
        framework_status=FrameworkStatus.NOT_ON_FRAMEWORK,
    )
    for n in range(count):
        make_placement(
            make_pupil(),
            tutor,
            start_date=TODAY - timedelta(days=10 + 3 * n),
            off_framework=True,
            off_framework_status=FrameworkStatus.NOT_ON_FRAMEWORK,
            off_framework_reason="Nearest to home",
            off_framework_reviewed_on=TODAY if reviewed else None,
        )


def _page_ids(body: str) -> list[str]:
    rows = body.split("<tbody", 1)[1].split("</tbody>", 1)[0]
    return re.findall(
        r'<tr class="govuk-table__row">\s*<td class="govuk-table__cell">(\d+)</td>', rows
    )


@pytest.mark.parametrize("key", ["off-framework", "past-12-weeks"])
def test_the_page_is_the_first_rows_of_the_download_with_the_same_queries(
    client, db, login_as, monkeypatch, key
):
    from apregister.reports import views

    monkeypatch.setattr(views, "PAGE_ROWS", 3)
    login_as(Role.LA_LEAD)
    _off_framework(2, reviewed=True)
    _off_framework(2)
    for n in range(3):
        make_placement(start_date=TODAY - timedelta(weeks=13 + n))
    with count_queries() as few:
        client.get(f"/reports/{key}")
    _off_framework(4)
    for n in range(4):
        make_placement(start_date=TODAY - timedelta(weeks=20 + n))
    with count_queries() as many:
        body = client.get(f"/reports/{key}").get_data(as_text=True)
    assert len(many) == len(few)
    download = [row[0] for row in _csv(client.get(f"/reports/{key}.csv"))[1:]]
    assert len(download) > 3
    assert _page_ids(body) == download[:3]


def test_a_link_to_a_record_names_its_row(client, db, login_as):
    login_as(Role.LA_LEAD)
    for _ in range(2):
        make_pupil(upn=None)
    body = client.get("/reports/data-quality").get_data(as_text=True)
    assert "the record for row 1<" in body and "the record for row 2<" in body
