"""Issue 13: finding a pupil by name or UPN on /pupils, each role within its own scope. The
term is posted, kept sealed in the session, and never appears in a URL."""

import html
import re

import pytest
from sqlalchemy import func, select

from apregister.models import AuditEvent, Pupil, Role
from apregister.search import seal, unseal
from tests.conftest import make_la, make_pupil, make_school, submit


def _text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def _search(client, term: str, path: str = "/pupils/search", follow: bool = False):
    return submit(client, path, {"term": term}, form_path="/pupils", follow_redirects=follow)


@pytest.fixture
def pupils(db):
    school, other = make_school(name="Oak School"), make_school(name="Elm School")
    return {
        "ours": make_pupil(school, first_name="Jo", last_name="Smithson"),
        "ours_too": make_pupil(school, first_name="Alex", last_name="Jones"),
        "theirs": make_pupil(other, first_name="Jo", last_name="Smith"),
        "la": make_pupil(make_la(), first_name="Joanna", last_name="Smyth"),
        "school": school,
        "other": other,
    }


def test_school_search_never_finds_another_schools_pupil(client, login_as, pupils):
    login_as(Role.SCHOOL, pupils["school"])
    response = _search(client, "jo smith", follow=True)
    page = _text(response)
    assert "Results for ‘jo smith’" in page
    assert "Jo Smithson" in page
    assert "Jo Smith<" not in page and "Joanna" not in page and "Alex Jones" not in page
    assert "1 pupil matches your search" in page


def test_school_search_by_another_schools_upn_finds_nothing(client, login_as, pupils):
    login_as(Role.SCHOOL, pupils["school"])
    page = _text(_search(client, pupils["theirs"].upn.lower(), follow=True))
    assert "No pupils match your search" in page
    assert pupils["theirs"].upn not in page


def test_la_search_finds_every_schools_pupils_and_its_own(client, login_as, pupils):
    login_as(Role.LA_OFFICER)
    page = _text(_search(client, "jo", follow=True))
    for name in ("Jo Smithson", "Jo Smith", "Joanna Smyth", "Alex Jones"):
        assert name in page  # Jones starts with "jo" too
    page = _text(_search(client, "smi", follow=True))
    assert "Jo Smithson" in page and "Jo Smith" in page and "Smyth" not in page


def test_search_by_upn_is_exact_and_ignores_case(client, login_as, pupils):
    login_as(Role.LA_LEAD)
    page = _text(_search(client, pupils["la"].upn.lower(), follow=True))
    assert "Joanna Smyth" in page and "Smithson" not in page
    page = _text(_search(client, pupils["la"].upn[:-1], follow=True))
    assert "No pupils match your search" in page


def test_every_word_must_start_a_name(client, login_as, pupils):
    login_as(Role.LA_LEAD)
    page = _text(_search(client, "alex smith", follow=True))
    assert "No pupils match your search" in page
    page = _text(_search(client, "mith", follow=True))  # inside a name, not its start
    assert "No pupils match your search" in page


def test_the_term_is_never_in_a_url_nor_readable_in_the_cookie(app, client, login_as, pupils):
    login_as(Role.SCHOOL, pupils["school"])
    response = _search(client, "Smithson", path="/pupils/search?page=3")
    assert response.status_code == 302
    assert response.headers["Location"] == "/pupils"
    assert "mithson" not in response.headers["Location"].lower()
    cookie = client.get_cookie(app.config["SESSION_COOKIE_NAME"])
    # the cookie is signed, not encrypted: what it holds can be read by whoever has it
    held = app.session_interface.get_signing_serializer(app).loads(cookie.value)
    assert "searches" in held and "mithson" not in repr(held).lower()
    page = _text(client.get("/pupils"))
    assert "Results for ‘Smithson’" in page
    assert "Smithson" not in "".join(_urls(page))


def _urls(page: str) -> list[str]:
    return re.findall(r'(?:href|action|src)="([^"]*)"', page)


def test_clear_search_shows_every_pupil_again(client, login_as, pupils):
    login_as(Role.SCHOOL, pupils["school"])
    _search(client, "smithson")
    assert "Alex Jones" not in _text(client.get("/pupils"))
    response = submit(client, "/pupils/search/clear", {}, form_path="/pupils")
    assert response.status_code == 302 and response.headers["Location"] == "/pupils"
    page = _text(client.get("/pupils"))
    assert "Alex Jones" in page and "Results for" not in page


@pytest.mark.parametrize(
    ("term", "message"),
    [
        ("", "Enter a name or UPN"),
        ("   ", "Enter a name or UPN"),
        ("x" * 101, "Search must be 100 characters or fewer"),
        ("smith%", "Search using letters, numbers, spaces, hyphens and apostrophes only"),
        ("<script>", "Search using letters, numbers, spaces, hyphens and apostrophes only"),
        ("a b c d e f", "Search using 5 words or fewer"),
    ],
)
def test_bad_search_is_refused_on_the_field_and_nothing_kept(
    client, login_as, pupils, db, term, message
):
    login_as(Role.SCHOOL, pupils["school"])
    events = db.session.scalar(select(func.count()).select_from(AuditEvent))
    response = _search(client, term)
    assert response.status_code == 200
    page = _text(response)
    assert message in page and "govuk-error-summary" in page
    assert "Results for" not in _text(client.get("/pupils"))
    assert db.session.scalar(select(func.count()).select_from(AuditEvent)) == events
    assert db.session.scalar(select(func.count()).select_from(Pupil)) == 4


def test_search_without_csrf_token_is_refused(client, login_as, pupils):
    login_as(Role.SCHOOL, pupils["school"])
    response = client.post("/pupils/search", data={"term": "smith"})
    assert response.status_code == 400
    assert "Results for" not in _text(client.get("/pupils"))


def test_a_sealed_term_opens_only_in_its_own_sign_in(app):
    with app.test_request_context():
        from flask import session

        session["sid"] = "one sign-in"
        sealed = seal("Jo Smith")
        assert "Smith" not in sealed and unseal(sealed) == "Jo Smith"
        tampered = sealed[:-4] + ("AAAA" if not sealed.endswith("AAAA") else "BBBB")
        assert unseal(tampered) is None
        session["sid"] = "another sign-in"
        assert unseal(sealed) is None
        assert unseal("not base64 at all!") is None
