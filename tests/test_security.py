import pytest
from sqlalchemy import func, select

from apregister import create_app
from apregister.config import Config, TestConfig
from apregister.models import User
from tests.conftest import make_user, sign_in


@pytest.mark.parametrize("path", ["/sign-in", "/cookies", "/healthz", "/no-such-page"])
def test_security_headers_on_every_response(client, path):
    headers = client.get(path).headers
    csp = headers["Content-Security-Policy"]
    assert "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert "script-src 'self' 'nonce-" in csp
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"
    assert "camera=()" in headers["Permissions-Policy"]


def test_inline_script_carries_the_nonce_from_the_header(client):
    response = client.get("/sign-in")
    nonce = response.headers["Content-Security-Policy"].split("'nonce-")[1].split("'")[0]
    assert f'<script nonce="{nonce}">' in response.get_data(as_text=True)


def test_signed_in_pages_are_not_cached(client, db):
    assert "no-store" not in client.get("/sign-in").headers.get("Cache-Control", "")
    sign_in(client, make_user())
    assert client.get("/").headers["Cache-Control"] == "no-store"


def test_session_cookie_is_httponly_and_lax(client, db):
    sign_in(client, make_user())
    cookie = client.get_cookie("apregister_session")
    assert cookie.http_only
    assert cookie.same_site == "Lax"


def test_production_cookies_are_secure_httponly_and_lax(monkeypatch, database_url):
    monkeypatch.delenv("SESSION_COOKIE_SECURE", raising=False)
    app = create_app(Config, SQLALCHEMY_DATABASE_URI=database_url, SECRET_KEY="x" * 32)
    set_cookie = app.test_client().get("/sign-in").headers["Set-Cookie"]
    assert "Secure" in set_cookie
    assert "HttpOnly" in set_cookie
    assert "SameSite=Lax" in set_cookie


def test_form_without_csrf_token_is_refused_and_writes_nothing(client, db):
    lead = make_user()
    sign_in(client, lead)
    before = db.session.scalar(select(func.count()).select_from(User))
    response = client.post(
        "/users/new",
        data={
            "name": "No Token",
            "email": "no.token@example.test",
            "role": "la_officer",
            "organisation_id": str(lead.organisation_id),
            "password": "a perfectly good passphrase",
        },
    )
    assert response.status_code == 400
    assert "Nothing has been saved" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(User)) == before


def test_form_with_a_forged_csrf_token_is_refused(client, db):
    lead = make_user()
    sign_in(client, lead)
    response = client.post("/users/new", data={"csrf_token": "forged", "name": "X"})
    assert response.status_code == 400


def test_error_pages_leak_nothing(database_url):
    app = create_app(TestConfig, SQLALCHEMY_DATABASE_URI=database_url, PROPAGATE_EXCEPTIONS=False)

    @app.route("/boom")
    def boom():
        raise RuntimeError("secret internals")

    response = app.test_client().get("/boom")
    body = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "secret internals" not in body
    assert "Traceback" not in body
    assert "Sorry, there is a problem with the service" in body


def test_not_found_page_is_the_govuk_one(client):
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert "Page not found" in response.get_data(as_text=True)
