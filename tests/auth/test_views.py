import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select, update

from apregister.auth.views import BAD_SIGN_IN
from apregister.models import AuditAction, AuditEvent, Role, User, UserSession
from apregister.models.base import utcnow
from tests.conftest import PASSWORD, csrf_token, make_user, sign_in, submit


def _events(db, action):
    return db.session.scalars(select(AuditEvent).where(AuditEvent.action == action)).all()


def test_sign_in_lands_on_home_and_sign_out_returns_to_sign_in(client, db):
    user = make_user(Role.LA_OFFICER)
    response = sign_in(client, user)
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    assert client.get("/").status_code == 200

    response = submit(client, "/sign-out", {}, form_path="/")
    assert response.headers["Location"] == "/sign-in"
    assert "You have signed out" in client.get("/sign-in").get_data(as_text=True)
    assert client.get("/").status_code == 302
    assert [e.user_id for e in _events(db, AuditAction.SIGN_IN)] == [user.id]
    assert [e.user_id for e in _events(db, AuditAction.SIGN_OUT)] == [user.id]


def test_email_is_matched_regardless_of_case(client, db):
    user = make_user(Role.SCHOOL, email="Jo.Bloggs@School.Example")
    assert user.email == "jo.bloggs@school.example"
    response = submit(
        client, "/sign-in", {"email": "JO.BLOGGS@school.example", "password": PASSWORD}
    )
    assert response.status_code == 302


def test_unknown_email_and_wrong_password_get_the_same_message(client, db):
    user = make_user(Role.SCHOOL)
    unknown = submit(client, "/sign-in", {"email": "nobody@example.test", "password": PASSWORD})
    wrong = submit(client, "/sign-in", {"email": user.email, "password": "not the password at all"})
    for response in (unknown, wrong):
        assert response.status_code == 200
        body = response.get_data(as_text=True)
        assert BAD_SIGN_IN in body
        assert "There is a problem" in body

    # the pages differ only in the per-response tokens and the email typed back
    def strip(response, email):
        body = response.get_data(as_text=True).replace(email, "")
        return re.sub(r'(nonce|value)="[^"]*"', "", body)

    assert strip(unknown, "nobody@example.test") == strip(wrong, user.email)
    failures = _events(db, AuditAction.SIGN_IN_FAILED)
    assert {e.user_id for e in failures} == {None, user.id}


def test_empty_sign_in_form_says_what_to_enter(client, db):
    response = submit(client, "/sign-in", {"email": "", "password": ""})
    body = response.get_data(as_text=True)
    assert "Enter your email address" in body
    assert "Enter your password" in body


def test_ten_failures_in_a_row_lock_the_account_for_15_minutes(client, db):
    user = make_user(Role.PROVIDER)
    for _ in range(10):
        response = submit(client, "/sign-in", {"email": user.email, "password": "wrong password!!"})
        assert response.status_code == 200
    # the right password is refused while locked, with the same message
    response = sign_in(client, user)
    assert response.status_code == 200
    assert BAD_SIGN_IN in response.get_data(as_text=True)
    db.session.expire_all()
    locked = db.session.get(User, user.id)
    assert locked.locked_until is not None
    assert timedelta(minutes=14) < locked.locked_until - utcnow() <= timedelta(minutes=15)
    assert len(_events(db, AuditAction.ACCOUNT_LOCKED)) == 1

    # once the 15 minutes have passed, the right password works again
    db.session.execute(
        update(User).where(User.id == user.id).values(locked_until=utcnow() - timedelta(seconds=1))
    )
    db.session.commit()
    assert sign_in(client, user).status_code == 302


def test_nine_failures_then_success_resets_the_count(client, db):
    user = make_user(Role.PROVIDER)
    for _ in range(9):
        submit(client, "/sign-in", {"email": user.email, "password": "wrong password!!"})
    assert sign_in(client, user).status_code == 302
    db.session.expire_all()
    assert db.session.get(User, user.id).failed_attempts == 0


def test_sign_in_starts_a_fresh_session(client, db):
    user = make_user(Role.SCHOOL)
    with client.session_transaction() as session:
        session["planted"] = "by an attacker"
    sign_in(client, user)
    with client.session_transaction() as session:
        assert "planted" not in session
        first_token = session["sid"]
    submit(client, "/sign-out", {}, form_path="/")
    sign_in(client, user)
    with client.session_transaction() as session:
        assert session["sid"] != first_token


def _cookie(client):
    return client.get_cookie("apregister_session").value


def test_cookie_replayed_after_sign_out_is_refused(app, client, db):
    user = make_user(Role.LA_LEAD)
    sign_in(client, user)
    copied = _cookie(client)
    submit(client, "/sign-out", {}, form_path="/")

    thief = app.test_client()
    thief.set_cookie("apregister_session", copied)
    response = thief.get("/users")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/sign-in")


def test_deactivating_a_user_ends_their_session(app, client, db):
    user = make_user(Role.SCHOOL)
    sign_in(client, user)
    assert client.get("/").status_code == 200

    lead_client = app.test_client()
    lead = make_user(Role.LA_LEAD)
    sign_in(lead_client, lead)
    form = {
        "name": user.name,
        "email": user.email,
        "role": "school",
        "organisation_id": str(user.organisation_id),
        "password": "",
    }  # "active" left out: the box is unticked
    response = submit(lead_client, f"/users/{user.id}/edit", form)
    assert response.status_code == 302, response.get_data(as_text=True)

    response = client.get("/")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/sign-in")
    assert "Your session has ended" in client.get("/sign-in").get_data(as_text=True)


@pytest.mark.parametrize(
    ("idle", "age", "live"),
    [
        (timedelta(minutes=29), timedelta(hours=1), True),
        (timedelta(minutes=31), timedelta(hours=1), False),
        (timedelta(minutes=1), timedelta(hours=12, minutes=1), False),
    ],
)
def test_session_times_out_when_idle_or_too_old(client, db, idle, age, live):
    user = make_user(Role.SCHOOL)
    sign_in(client, user)
    now = utcnow()
    db.session.execute(
        update(UserSession)
        .where(UserSession.user_id == user.id)
        .values(last_seen_at=now - idle, created_at=now - age)
    )
    db.session.commit()
    response = client.get("/")
    assert (response.status_code == 200) is live
    if not live:
        assert response.headers["Location"].startswith("/sign-in")


def test_activity_moves_the_idle_clock(client, db):
    user = make_user(Role.SCHOOL)
    sign_in(client, user)
    earlier = utcnow() - timedelta(minutes=20)
    db.session.execute(update(UserSession).values(last_seen_at=earlier))
    db.session.commit()
    client.get("/")
    db.session.expire_all()
    row = db.session.scalars(select(UserSession)).one()
    assert row.last_seen_at > earlier + timedelta(minutes=19)


def test_signed_out_visitor_is_sent_to_sign_in_and_back_afterwards(client, db):
    user = make_user(Role.LA_LEAD)
    response = client.get("/users")
    assert response.headers["Location"] == "/sign-in?next=/users"
    token = csrf_token(client, "/sign-in?next=/users")
    response = client.post(
        "/sign-in?next=/users",
        data={"csrf_token": token, "email": user.email, "password": PASSWORD},
    )
    assert response.headers["Location"] == "/users"


@pytest.mark.parametrize("target", ["//evil.example/", "https://evil.example/", "/\\evil.example"])
def test_sign_in_never_sends_the_user_to_another_site(client, db, target):
    user = make_user(Role.LA_LEAD)
    token = csrf_token(client, "/sign-in")
    response = client.post(
        "/sign-in",
        query_string={"next": target},
        data={"csrf_token": token, "email": user.email, "password": PASSWORD},
    )
    assert response.headers["Location"] == "/"


def test_sign_in_without_a_csrf_token_is_refused_and_writes_nothing(client, db):
    user = make_user(Role.LA_LEAD)
    before = db.session.scalar(select(func.count()).select_from(AuditEvent))
    response = client.post("/sign-in", data={"email": user.email, "password": PASSWORD})
    assert response.status_code == 400
    assert db.session.scalar(select(func.count()).select_from(UserSession)) == 0
    assert db.session.scalar(select(func.count()).select_from(AuditEvent)) == before


def test_sign_out_needs_a_post_with_a_token(client, db):
    user = make_user(Role.LA_LEAD)
    sign_in(client, user)
    assert client.get("/sign-out").status_code == 405
    assert client.post("/sign-out").status_code == 400
    assert client.get("/").status_code == 200  # still signed in
