"""After signing in, `next=` may only send the user to a path on this site (issue 12, defect 1)."""

from urllib.parse import quote, urlsplit

import pytest

from apregister.auth.rules import safe_next_path
from apregister.models import Role
from tests.conftest import PASSWORD, csrf_token, make_user

# What an attacker can put in `next`, as the decoded value the view reads from request.args.
NOT_ON_THIS_SITE = [
    "/\t/evil.example",
    "/\r/evil.example",
    "/\n/evil.example",
    "/\r\nSet-Cookie: planted=1",
    "/\x00/evil.example",
    "/\x0b/evil.example",
    "/\x0c/evil.example",
    "/\x7f/evil.example",
    "/\x85/evil.example",
    "\t//evil.example",
    " /evil.example",
    "/evil.example ",
    "/ /evil.example",
    "//evil.example",
    "//evil.example/path",
    "///evil.example",
    "/\\evil.example",
    "\\\\evil.example",
    "\\/evil.example",
    "/\\/evil.example",
    "/users\\..\\..\\evil",
    "https://evil.example",
    "https:/evil.example",
    "https:evil.example",
    "HTTPS://evil.example",
    "//user@evil.example",
    "/%2F/evil.example",
    "/%2f/evil.example",
    "/%5Cevil.example",
    "/%5cevil.example",
    "/%252F/evil.example",
    "/%09/evil.example",
    "/%0d/evil.example",
    "/users/../..//evil.example",
    "/./..//evil.example",
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    "java\tscript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "evil.example",
    "users",
    "?next=//evil.example",
    "#//evil.example",
    "\uff0f\uff0fevil.example",  # fullwidth solidus
    "/\u200b/evil.example",  # zero-width space
    "/\u2028/evil.example",  # line separator
    "/\u3000/evil.example",  # ideographic space
    "/\u00a0/evil.example",  # no-break space
    "/\u202e/evil.example",  # right-to-left override
    "/\ufeff/evil.example",  # byte order mark
    "/" + "a" * 5000,
    "",
    None,
]

ON_THIS_SITE = [
    "/",
    "/users",
    "/users?page=2",
    "/placements/12/extend",
    "/providers?q=Zo%C3%AB&sort=name",
    "/providers?q=a%2Fb",
    "/providers?q=caf\u00e9",
]


@pytest.mark.parametrize("target", NOT_ON_THIS_SITE)
def test_a_next_that_could_leave_the_site_is_refused(target):
    assert safe_next_path(target) is None


@pytest.mark.parametrize("target", ON_THIS_SITE)
def test_a_path_on_this_site_is_kept(target):
    assert safe_next_path(target) == target


def _sign_in_with_raw_next(client, raw_query_value: str):
    user = make_user(Role.LA_LEAD)
    path = f"/sign-in?next={raw_query_value}"
    token = csrf_token(client, "/sign-in")
    return client.post(path, data={"csrf_token": token, "email": user.email, "password": PASSWORD})


def _assert_on_this_site(location: str) -> None:
    parts = urlsplit(location)
    assert not parts.scheme and not parts.netloc, location
    assert location.startswith("/"), location
    assert not location.startswith(("//", "/\\")), location
    assert "\\" not in location, location
    assert all(ord(c) > 0x20 and c != "\x7f" for c in location), location


# Percent-encoded, exactly as they would arrive in the address.
RAW_ATTACKS = [
    "/%09/evil.example",
    "/%0D/x",
    "/%0A/x",
    "/%0D%0ASet-Cookie:%20planted=1",
    "/%00/x",
    "%09//evil.example",
    "//evil.example",
    "/%5Cevil.example",
    "%5C%5Cevil.example",
    "https://evil.example",
    "https:evil.example",
    "/%252F/evil.example",
    "javascript:alert(1)",
    "/%E2%80%8B/evil.example",
    "%EF%BC%8F%EF%BC%8Fevil.example",
    "/%E2%80%A8/x",
    "/%C2%85/x",
    "/" + "a" * 5000,
]


@pytest.mark.parametrize("raw", RAW_ATTACKS)
def test_signing_in_with_a_hostile_next_lands_on_home(client, db, raw):
    response = _sign_in_with_raw_next(client, raw)
    assert response.status_code == 302, response.status_code
    assert response.headers["Location"] == "/"


@pytest.mark.parametrize("target", ON_THIS_SITE)
def test_signing_in_with_a_next_on_this_site_goes_there(client, db, target):
    response = _sign_in_with_raw_next(client, quote(target, safe=""))
    assert response.status_code == 302
    _assert_on_this_site(response.headers["Location"])
    assert urlsplit(response.headers["Location"]).path == urlsplit(target).path


def test_a_signed_out_visitor_comes_back_to_the_page_and_query_they_asked_for(client, db):
    user = make_user(Role.LA_LEAD)
    response = client.get("/users?page=1")
    sign_in_path = response.headers["Location"]
    assert urlsplit(sign_in_path).path == "/sign-in"
    token = csrf_token(client, sign_in_path)
    response = client.post(
        sign_in_path, data={"csrf_token": token, "email": user.email, "password": PASSWORD}
    )
    assert response.headers["Location"] == "/users?page=1"
