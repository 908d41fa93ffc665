"""The LA's inspections page lists every provider on the framework a page at a time, with
its own page number beside the published reports' (issue 14: every list pages by key)."""

from __future__ import annotations

import re
from datetime import date, timedelta

from apregister.models import FrameworkStatus, Role
from tests.conftest import make_provider

TODAY = date.today()


def _everyone(body: str) -> list[str]:
    section = body[body.index('id="all-providers"') : body.index('id="reports"')]
    return re.findall(r'href="/providers/\d+">([^<]+)</a>', section)


def test_providers_on_the_framework_are_listed_a_page_at_a_time(
    app, client, db, login_as, monkeypatch
):
    monkeypatch.setitem(app.config, "REGISTER_PAGE_SIZE", 2)
    for name in ("Cedar", "Alder", "Birch"):
        make_provider(name=f"{name} Learning", approved_on=TODAY - timedelta(days=30))
    make_provider(name="Applied Academy", framework_status=FrameworkStatus.APPLIED)
    login_as(Role.LA_OFFICER)
    first = client.get("/inspections").get_data(as_text=True)
    assert "All providers on the framework (3)" in first
    assert _everyone(first) == ["Alder Learning", "Birch Learning"]
    assert 'href="/inspections?providers_page=2#all-providers"' in first
    second = client.get("/inspections?providers_page=2").get_data(as_text=True)
    assert _everyone(second) == ["Cedar Learning"]
    # the published reports keep their own page number
    assert client.get("/inspections?providers_page=2&page=5").status_code == 200
