"""The "CSV" and "XLSX" links on the provider and placement lists download what they say
(issue 13, item 9: both used to download XLSX)."""

from __future__ import annotations

import re

import pytest

from apregister.models import Role
from tests.conftest import make_placement, make_provider


@pytest.mark.parametrize("path", ["/providers", "/placements?status=active"])
def test_each_download_link_gives_its_own_format(client, db, login_as, path):
    make_placement(provider=make_provider())
    login_as(Role.LA_LEAD)
    page = client.get(path).get_data(as_text=True)
    links = {
        text: href.replace("&amp;", "&")
        for href, text in re.findall(r'<a class="govuk-link" href="([^"]+)">(CSV|XLSX)</a>', page)
    }
    assert set(links) == {"CSV", "XLSX"}
    assert "/export.csv" in links["CSV"] and "/export.xlsx" in links["XLSX"]
    assert "fmt=" not in links["CSV"]
    csv = client.get(links["CSV"])
    assert csv.status_code == 200 and csv.mimetype == "text/csv"
    xlsx = client.get(links["XLSX"])
    assert xlsx.status_code == 200 and "spreadsheetml" in xlsx.mimetype
    if "?" in path:
        assert "status=active" in links["CSV"] and "status=active" in links["XLSX"]


def test_a_provider_is_offered_to_withdraw_only_its_own_provider(client, db, login_as):
    from apregister.models import FrameworkStatus

    own = make_provider(name="Own Provider", framework_status=FrameworkStatus.APPROVED)
    other = make_provider(name="Other Provider", framework_status=FrameworkStatus.APPROVED)
    login_as(Role.PROVIDER, own)
    assert "Withdraw from the framework" in client.get(f"/providers/{own.id}").get_data(
        as_text=True
    )
    page = client.get(f"/providers/{other.id}")
    assert page.status_code == 200
    assert "Withdraw from the framework" not in page.get_data(as_text=True)


def test_the_upload_page_title_names_the_provider(client, db, login_as):
    provider = make_provider(name="Titled Provider")
    login_as(Role.LA_LEAD)
    page = client.get(f"/providers/{provider.id}/documents/new").get_data(as_text=True)
    assert "<title>Upload a compliance document: Titled Provider - " in page
