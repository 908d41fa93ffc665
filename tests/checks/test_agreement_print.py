"""The agreement's printable copy: a standalone page with a print stylesheet of its own, served
from a static file (the CSP allows no inline styles)."""

from __future__ import annotations

import re
from datetime import date, timedelta

from apregister.models import Role
from tests.conftest import (
    make_placement,
    make_provider,
    make_pupil,
    make_school,
    make_user,
    sign_in,
)

STYLESHEET = "/static/css/agreement.css"
_STYLESHEET_LINK = re.compile(
    r'<link rel="stylesheet" href="' + re.escape(STYLESHEET) + r'(\?[^"]*)?">'
)


def _placement():
    school = make_school()
    provider = make_provider()
    placement = make_placement(
        make_pupil(school), provider, start_date=date.today() + timedelta(days=7)
    )
    return school, provider, placement


def test_print_page_links_the_agreement_stylesheet_and_offers_a_print_button(app, db):
    school, _, placement = _placement()
    client = app.test_client()
    sign_in(client, make_user(Role.SCHOOL, school))
    response = client.get(f"/placements/{placement.id}/agreement/print")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert _STYLESHEET_LINK.search(page), page[:800]
    # no inline styles: the CSP would block them
    assert "<style" not in page and "style=" not in page
    assert "Print this page" in page
    assert "style-src 'self'" in response.headers["Content-Security-Policy"]


def test_downloaded_copy_has_no_print_button(app, db):
    _, provider, placement = _placement()
    client = app.test_client()
    sign_in(client, make_user(Role.PROVIDER, provider))
    response = client.get(f"/placements/{placement.id}/agreement.html")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].startswith("attachment;")
    page = response.get_data(as_text=True)
    assert "Agreement between the commissioner and the provider" in page
    assert "Print this page" not in page


def test_agreement_stylesheet_is_served_as_css(app, db):
    response = app.test_client().get(STYLESHEET)
    assert response.status_code == 200, "run `make assets` to build apregister/static"
    assert response.mimetype == "text/css"
    css = response.get_data(as_text=True)
    assert "@page" in css and "A4" in css
    assert "@media print" in css
