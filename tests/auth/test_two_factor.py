"""Two-factor sign-in (issue 12, item 11): set-up, codes, recovery codes, lockout, reset."""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pyotp
import pytest
from sqlalchemy import func, select
from werkzeug.security import generate_password_hash

from apregister.auth import rules
from apregister.auth.views import STOPPED
from apregister.models import AuditAction, AuditEvent, LaSettings, Role, User, UserSession
from apregister.models.base import utcnow
from tests.conftest import PASSWORD, SETTINGS_FORM, make_user, sign_in, submit
from tests.serving import CSRF_INPUT, serve

CODE_PAGE = "/sign-in/code"
RECOVERY_PAGE = "/sign-in/recovery-code"
SET_UP_PAGE = "/sign-in/set-up-two-factor"
RECOVERY_CODES = ["abcdefghjk", "mnpqrstuvw", "xyz2345678"]
CODE_MESSAGE = "Enter the 6-digit code from your authenticator app"


@pytest.fixture(autouse=True)
def two_factor_on(app):
    app.config["TWO_FACTOR_REQUIRED"] = True
    yield
    app.config["TWO_FACTOR_REQUIRED"] = False


def _events(db, action):
    return db.session.scalars(select(AuditEvent).where(AuditEvent.action == action)).all()


def _fresh(db, user: User) -> User:
    db.session.expire_all()
    return db.session.get(User, user.id)


def _sessions(db, user: User) -> int:
    return db.session.scalar(
        select(func.count(UserSession.id)).where(UserSession.user_id == user.id)
    )


def make_user_with_two_factor(role: Role = Role.LA_OFFICER, **overrides) -> User:
    return make_user(
        role,
        totp_secret=pyotp.random_base32(),
        two_factor_enabled_at=utcnow(),
        recovery_code_hashes=[
            generate_password_hash(code, method="pbkdf2:sha256:1000") for code in RECOVERY_CODES
        ],
        **overrides,
    )


def _code(user: User) -> str:
    return pyotp.TOTP(user.totp_secret).now()


def _require_for_all(db) -> None:
    db.session.add(LaSettings(require_two_factor_for_all=True))
    db.session.commit()


def sign_in_with_code(client, user: User):
    assert sign_in(client, user).headers["Location"] == CODE_PAGE
    return submit(client, CODE_PAGE, {"code": _code(user)})


def _secret_on(body: str) -> str:
    match = re.search(r'id="two-factor-key">([A-Z2-7 ]+)<', body)
    assert match, "no set-up key on the page"
    return match.group(1).replace(" ", "")


# ---- set-up ----------------------------------------------------------------------------------


def test_la_user_without_a_second_factor_is_sent_to_set_it_up_not_signed_in(client, db):
    user = make_user(Role.LA_LEAD)
    response = sign_in(client, user)
    assert response.headers["Location"] == SET_UP_PAGE
    # every other page sends them back to set-up; nothing is signed in yet
    for path in ("/", "/users", "/settings"):
        assert client.get(path).headers["Location"] == SET_UP_PAGE
    assert _sessions(db, user) == 0
    assert _events(db, AuditAction.SIGN_IN) == []


def test_set_up_shows_a_qr_code_and_the_key_then_signs_in_with_ten_recovery_codes(client, db):
    user = make_user(Role.LA_OFFICER)
    sign_in(client, user)
    page = client.get(SET_UP_PAGE)
    body = page.get_data(as_text=True)
    assert page.status_code == 200
    assert page.headers["Cache-Control"] == "no-store"  # the key is on it
    assert 'src="data:image/svg+xml;' in body  # the CSP's img-src allows data: images
    assert "<script" not in body.split("</main>")[0].split("<main")[1]
    secret = _secret_on(body)
    # a reload shows the same key, so an app already scanned still works
    assert _secret_on(client.get(SET_UP_PAGE).get_data(as_text=True)) == secret

    response = submit(client, SET_UP_PAGE, {"code": pyotp.TOTP(secret).now()})
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    codes = re.findall(r"<code>([a-z2-9]{5}-[a-z2-9]{5})</code>", body)
    assert len(codes) == len(set(codes)) == 10
    saved = _fresh(db, user)
    assert saved.totp_secret == secret
    assert saved.two_factor_enabled_at is not None
    assert len(saved.recovery_code_hashes) == 10
    assert not any(code.replace("-", "") in str(saved.recovery_code_hashes) for code in codes)
    assert client.get("/").status_code == 200
    assert [e.user_id for e in _events(db, AuditAction.TWO_FACTOR_SET_UP)] == [user.id]
    assert [e.user_id for e in _events(db, AuditAction.SIGN_IN)] == [user.id]
    # neither the secret nor the codes' hashes reach the audit log
    logged = " ".join(str(e.changes) for e in _events(db, AuditAction.UPDATE))
    assert "totp_secret" in logged
    assert secret not in logged
    assert "pbkdf2" not in logged


def test_a_wrong_code_at_set_up_saves_nothing(client, db):
    user = make_user(Role.LA_OFFICER)
    sign_in(client, user)
    secret = _secret_on(client.get(SET_UP_PAGE).get_data(as_text=True))
    wrong = f"{(int(pyotp.TOTP(secret).now()) + 1) % 1_000_000:06d}"
    response = submit(client, SET_UP_PAGE, {"code": wrong})
    assert response.status_code == 200
    assert "The code is not right" in response.get_data(as_text=True)
    assert _fresh(db, user).totp_secret is None
    assert _sessions(db, user) == 0
    assert [e.detail for e in _events(db, AuditAction.TWO_FACTOR_FAILED)] == [
        "wrong code at set-up"
    ]


# ---- signing in with a code ------------------------------------------------------------------


def test_sign_in_with_a_code_from_the_app(client, db):
    user = make_user_with_two_factor()
    response = sign_in(client, user)
    assert response.headers["Location"] == CODE_PAGE
    assert client.get("/").headers["Location"] == CODE_PAGE
    assert _sessions(db, user) == 0

    response = submit(client, CODE_PAGE, {"code": _code(user)})
    assert response.headers["Location"] == "/"
    assert client.get("/").status_code == 200
    assert [e.detail for e in _events(db, AuditAction.TWO_FACTOR_PASSED)] == ["code"]
    assert [e.user_id for e in _events(db, AuditAction.SIGN_IN)] == [user.id]


def test_the_code_page_returns_to_the_page_asked_for(client, db):
    user = make_user_with_two_factor(Role.LA_LEAD)
    response = submit(
        client,
        "/sign-in?next=/users",
        {"email": user.email, "password": PASSWORD},
        form_path="/sign-in",
    )
    assert response.headers["Location"] == CODE_PAGE
    assert submit(client, CODE_PAGE, {"code": _code(user)}).headers["Location"] == "/users"


def test_a_code_already_used_is_refused(client, db):
    user = make_user_with_two_factor()
    sign_in(client, user)
    user = _fresh(db, user)
    user.totp_last_step = rules.time_step(utcnow())  # as if this step's code signed in before
    db.session.commit()
    response = submit(client, CODE_PAGE, {"code": _code(user)})
    assert response.status_code == 200
    assert "This code has already been used" in response.get_data(as_text=True)
    assert _sessions(db, user) == 0
    assert [e.detail for e in _events(db, AuditAction.TWO_FACTOR_FAILED)] == ["code already used"]
    assert _fresh(db, user).failed_attempts == 1


def test_the_same_code_cannot_sign_in_twice(client, app, db):
    user = make_user_with_two_factor()
    code = _code(user)
    sign_in(client, user)
    assert submit(client, CODE_PAGE, {"code": code}).headers["Location"] == "/"
    other = app.test_client()
    sign_in(other, user)
    response = submit(other, CODE_PAGE, {"code": code})
    assert response.status_code == 200
    assert "This code has already been used" in response.get_data(as_text=True)


def test_wrong_codes_count_towards_the_same_lockout_as_passwords(client, db):
    user = make_user_with_two_factor()
    for _ in range(5):
        submit(client, "/sign-in", {"email": user.email, "password": "not the password, no"})
    # the right password alone does not end the run of failures
    assert sign_in(client, user).headers["Location"] == CODE_PAGE
    assert _fresh(db, user).failed_attempts == 5
    wrong = f"{(int(_code(user)) + 500_000) % 1_000_000:06d}"
    for _ in range(4):
        response = submit(client, CODE_PAGE, {"code": wrong})
        assert response.status_code == 200
        assert "The code is not right" in response.get_data(as_text=True)
    response = submit(client, CODE_PAGE, {"code": wrong})
    assert response.headers["Location"] == "/sign-in"
    assert STOPPED["locked"] in client.get("/sign-in").get_data(as_text=True)
    locked = _fresh(db, user)
    assert locked.locked_until is not None
    assert timedelta(minutes=14) < locked.locked_until - utcnow() <= timedelta(minutes=15)
    assert len(_events(db, AuditAction.ACCOUNT_LOCKED)) == 1
    assert len(_events(db, AuditAction.TWO_FACTOR_FAILED)) == 5
    # locked: the right password and then the right code are both refused
    assert sign_in(client, user).status_code == 200
    assert _sessions(db, user) == 0


def test_a_right_code_ends_the_run_of_failures(client, db):
    user = make_user_with_two_factor()
    sign_in(client, user)
    submit(client, CODE_PAGE, {"code": f"{(int(_code(user)) + 500_000) % 1_000_000:06d}"})
    assert _fresh(db, user).failed_attempts == 1
    assert submit(client, CODE_PAGE, {"code": _code(user)}).headers["Location"] == "/"
    assert _fresh(db, user).failed_attempts == 0


@pytest.mark.parametrize("typed", ["", "   ", "abcdef", "1234567", "12345", "12 34 5x"])
def test_a_code_that_is_not_six_digits_gets_a_field_error_and_is_not_counted(client, db, typed):
    user = make_user_with_two_factor()
    sign_in(client, user)
    response = submit(client, CODE_PAGE, {"code": typed})
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "There is a problem" in body
    assert CODE_MESSAGE in body
    assert 'id="code-error"' in body
    assert _fresh(db, user).failed_attempts == 0
    assert _events(db, AuditAction.TWO_FACTOR_FAILED) == []


def test_spaces_in_a_code_are_allowed(client, db):
    user = make_user_with_two_factor()
    sign_in(client, user)
    code = _code(user)
    response = submit(client, CODE_PAGE, {"code": f" {code[:3]} {code[3:]} "})
    assert response.headers["Location"] == "/"


def test_a_password_checked_too_long_ago_must_be_entered_again(client, db, monkeypatch):
    user = make_user_with_two_factor()
    sign_in(client, user)
    monkeypatch.setattr(rules, "PENDING_LIFETIME", timedelta(0))
    response = submit(client, CODE_PAGE, {"code": _code(user)}, form_path="/sign-in")
    assert response.headers["Location"] == "/sign-in"
    assert STOPPED["expired"] in client.get("/sign-in").get_data(as_text=True)
    assert _sessions(db, user) == 0


def test_the_code_page_without_a_checked_password_goes_to_sign_in(client, db):
    assert client.get(CODE_PAGE).headers["Location"] == "/sign-in"
    assert client.get(SET_UP_PAGE).headers["Location"] == "/sign-in"


# ---- recovery codes --------------------------------------------------------------------------


def test_a_recovery_code_signs_in_once(client, app, db):
    user = make_user_with_two_factor()
    sign_in(client, user)
    response = submit(client, RECOVERY_PAGE, {"code": "ABCDE-FGHJK"})
    assert response.headers["Location"] == "/"
    assert "You have 2 recovery codes left" in client.get("/").get_data(as_text=True)
    assert len(_fresh(db, user).recovery_code_hashes) == 2
    assert [e.detail for e in _events(db, AuditAction.RECOVERY_CODE_USED)] == [
        "2 recovery codes left"
    ]

    other = app.test_client()
    sign_in(other, user)
    response = submit(other, RECOVERY_PAGE, {"code": "abcdefghjk"})
    assert response.status_code == 200
    assert "The recovery code is not right, or has been used" in response.get_data(as_text=True)
    assert _fresh(db, user).failed_attempts == 1
    assert submit(other, RECOVERY_PAGE, {"code": "mnpqr stuvw"}).headers["Location"] == "/"


@pytest.mark.parametrize("typed", ["", "123456", "abcde-fghjk-m", "abcde-fghj0"])
def test_a_recovery_code_of_the_wrong_shape_gets_a_field_error(client, db, typed):
    user = make_user_with_two_factor()
    sign_in(client, user)
    response = submit(client, RECOVERY_PAGE, {"code": typed})
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'id="code-error"' in body
    assert _fresh(db, user).failed_attempts == 0


# ---- who is asked ----------------------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.SCHOOL, Role.PROVIDER, Role.BOARD])
def test_others_are_not_asked_unless_the_la_requires_it_of_everyone(client, db, role):
    user = make_user(role)
    assert sign_in(client, user).headers["Location"] == "/"
    assert client.get("/").status_code == 200

    _require_for_all(db)
    # signed in already: sent to set it up before anything else
    assert client.get("/").headers["Location"] == SET_UP_PAGE
    assert client.get(SET_UP_PAGE).status_code == 200
    # and at the next sign-in
    other = client.application.test_client()
    assert sign_in(other, user).headers["Location"] == SET_UP_PAGE


def test_la_staff_are_not_asked_when_two_factor_is_switched_off(client, app, db):
    app.config["TWO_FACTOR_REQUIRED"] = False
    user = make_user(Role.LA_LEAD)
    assert sign_in(client, user).headers["Location"] == "/"


def test_the_setting_is_on_the_settings_page(client, db):
    user = make_user_with_two_factor(Role.LA_LEAD)
    sign_in_with_code(client, user)
    body = client.get("/settings").get_data(as_text=True)
    assert 'name="require_two_factor_for_all"' in body
    assert 'value="la" checked' in body


def test_the_la_lead_requires_it_of_everyone_on_the_settings_page(client, db):
    sign_in_with_code(client, make_user_with_two_factor(Role.LA_LEAD))
    form = {**SETTINGS_FORM, "require_two_factor_for_all": "all"}
    assert submit(client, "/settings", form).headers["Location"] == "/settings"
    assert db.session.scalars(select(LaSettings)).one().require_two_factor_for_all is True
    # a post without the question keeps the answer saved
    assert submit(client, "/settings", dict(SETTINGS_FORM)).status_code == 302
    db.session.expire_all()
    assert db.session.scalars(select(LaSettings)).one().require_two_factor_for_all is True
    response = submit(client, "/settings", {**SETTINGS_FORM, "require_two_factor_for_all": "x"})
    assert "Select who must use two-factor sign-in" in response.get_data(as_text=True)


# ---- reset by the la_lead --------------------------------------------------------------------


def test_la_lead_resets_a_users_second_factor_and_it_is_logged(client, app, db):
    lead = make_user_with_two_factor(Role.LA_LEAD)
    officer = make_user_with_two_factor(Role.LA_OFFICER)
    theirs = app.test_client()
    sign_in_with_code(theirs, officer)
    assert theirs.get("/").status_code == 200

    sign_in_with_code(client, lead)
    page = client.get(f"/users/{officer.id}/edit").get_data(as_text=True)
    assert f'href="/users/{officer.id}/reset-two-factor"' in page
    confirm = client.get(f"/users/{officer.id}/reset-two-factor")
    assert confirm.status_code == 200
    assert "Reset two-factor sign-in for" in confirm.get_data(as_text=True)
    response = submit(client, f"/users/{officer.id}/reset-two-factor", {})
    assert response.headers["Location"] == f"/users/{officer.id}/edit"

    reset = _fresh(db, officer)
    assert reset.totp_secret is None
    assert reset.two_factor_enabled_at is None
    assert reset.recovery_code_hashes is None
    [event] = _events(db, AuditAction.TWO_FACTOR_RESET)
    assert (event.user_id, event.record_id) == (lead.id, str(officer.id))
    # signed out everywhere, and set up again at the next sign-in
    assert theirs.get("/").headers["Location"].startswith("/sign-in")
    assert sign_in(theirs, officer).headers["Location"] == SET_UP_PAGE


@pytest.mark.parametrize("role", [Role.SCHOOL, Role.LA_OFFICER, Role.PROVIDER, Role.BOARD])
def test_only_the_la_lead_can_reset_a_second_factor(client, db, role):
    target = make_user_with_two_factor(Role.LA_OFFICER)
    user = make_user(role)
    if role is Role.LA_OFFICER:
        sign_in_with_code(client, make_user_with_two_factor(Role.LA_OFFICER))
    else:
        assert sign_in(client, user).headers["Location"] == "/"
    assert client.get(f"/users/{target.id}/reset-two-factor").status_code == 403
    response = submit(client, f"/users/{target.id}/reset-two-factor", {}, form_path="/")
    assert response.status_code == 403
    assert _fresh(db, target).totp_secret is not None
    assert _events(db, AuditAction.TWO_FACTOR_RESET) == []


def test_resetting_an_unknown_user_answers_404(client, db):
    sign_in_with_code(client, make_user_with_two_factor(Role.LA_LEAD))
    assert client.get("/users/999999/reset-two-factor").status_code == 404


# ---- in parallel -----------------------------------------------------------------------------


class _Visitor:
    """One browser with its own cookies, signed in with the password, on the code page."""

    def __init__(self, base_url: str, email: str) -> None:
        import requests

        self.base_url = base_url
        self.http = requests.Session()
        self.http.trust_env = False
        token = _CSRF.search(self.http.get(f"{base_url}/sign-in", timeout=30).text).group(1)
        answer = self.http.post(
            f"{base_url}/sign-in",
            data={"csrf_token": token, "email": email, "password": PASSWORD},
            allow_redirects=False,
            timeout=60,
        )
        assert answer.headers["Location"] == CODE_PAGE
        self.token = _CSRF.search(self.http.get(f"{base_url}{RECOVERY_PAGE}", timeout=30).text)[1]

    def post(self, path: str, code: str):
        return self.http.post(
            f"{self.base_url}{path}",
            data={"csrf_token": self.token, "code": code},
            allow_redirects=False,
            timeout=60,
        )


_CSRF = CSRF_INPUT


@pytest.fixture
def served(app) -> Iterator[str]:
    """The app on a free port of 127.0.0.1, one thread per request; yields its URL."""
    with serve(app, "two-factor-server") as url:
        yield url


@pytest.mark.parametrize("path", [CODE_PAGE, RECOVERY_PAGE])
def test_a_code_sent_from_several_browsers_at_once_signs_in_only_one(db, served, path):
    user = make_user_with_two_factor()
    code = _code(user) if path == CODE_PAGE else RECOVERY_CODES[0]
    visitors = [_Visitor(served, user.email) for _ in range(6)]
    barrier = threading.Barrier(len(visitors))

    def send(visitor: _Visitor):
        barrier.wait()
        return visitor.post(path, code)

    with ThreadPoolExecutor(len(visitors)) as pool:
        answers = list(pool.map(send, visitors))
    assert sorted((a.status_code, a.headers.get("Location")) for a in answers) == [
        (200, None)
    ] * 5 + [(302, "/")]
    assert _sessions(db, user) == 1
    assert _fresh(db, user).failed_attempts == 5
