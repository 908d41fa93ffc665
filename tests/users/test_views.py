import pytest
from sqlalchemy import func, select

from apregister.models import Role, User
from tests.conftest import make_provider, make_school, make_user, submit

GOOD_PASSWORD = "a perfectly good passphrase"


def _count(db):
    return db.session.scalar(select(func.count()).select_from(User))


def _form(organisation, **overrides):
    values = {
        "name": "Dana Green",
        "email": "dana.green@example.test",
        "role": "la_officer",
        "organisation_id": str(organisation),
        "password": GOOD_PASSWORD,
    }
    return values | overrides


def test_lead_adds_a_user_who_can_then_sign_in(app, client, db, login_as):
    lead = login_as(Role.LA_LEAD)
    response = submit(client, "/users/new", _form(lead.organisation_id))
    assert response.status_code == 302
    assert "Account added for Dana Green" in client.get("/users").get_data(as_text=True)
    other = app.test_client()
    response = submit(
        other, "/sign-in", {"email": "dana.green@example.test", "password": GOOD_PASSWORD}
    )
    assert response.status_code == 302


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"name": ""}, "Enter the person&#39;s full name"),
        ({"email": ""}, "Enter the person&#39;s email address"),
        ({"email": "not-an-email"}, "Enter an email address in the correct format"),
        ({"role": ""}, "Select a role"),
        ({"role": "superuser"}, "Select a role"),
        ({"organisation_id": "0"}, "Select the organisation the person works for"),
        ({"organisation_id": "abc"}, "Select the organisation the person works for"),
        ({"organisation_id": "999999"}, "Select the organisation the person works for"),
        ({"password": ""}, "Enter a password for the new account"),
        ({"password": "short"}, "at least 12 characters"),
        ({"password": "qwerty123456"}, "commonly used password"),
    ],
)
def test_bad_input_gets_a_field_error_and_writes_nothing(client, db, login_as, overrides, message):
    lead = login_as(Role.LA_LEAD)
    before = _count(db)
    response = submit(client, "/users/new", _form(lead.organisation_id, **overrides))
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "There is a problem" in body
    assert message in body
    assert _count(db) == before


def test_role_must_fit_the_organisation(client, db, login_as):
    login_as(Role.LA_LEAD)
    school = make_school()
    before = _count(db)
    response = submit(client, "/users/new", _form(school.id, role="la_officer"))
    assert "must belong to the local authority" in response.get_data(as_text=True)
    response = submit(client, "/users/new", _form(make_provider().id, role="school"))
    assert "must belong to a school" in response.get_data(as_text=True)
    assert _count(db) == before


def test_email_is_unique_regardless_of_case(client, db, login_as):
    lead = login_as(Role.LA_LEAD)
    make_user(Role.LA_OFFICER, email="taken@example.test")
    before = _count(db)
    response = submit(client, "/users/new", _form(lead.organisation_id, email="TAKEN@Example.test"))
    assert "An account with this email address already exists" in response.get_data(as_text=True)
    assert _count(db) == before


def test_lead_changes_a_users_role_and_organisation(client, db, login_as):
    login_as(Role.LA_LEAD)
    user = make_user(Role.SCHOOL)
    provider = make_provider()
    response = submit(
        client,
        f"/users/{user.id}/edit",
        {
            "name": "Renamed Person",
            "email": user.email,
            "role": "provider",
            "organisation_id": str(provider.id),
            "active": "y",
            "password": "",
        },
    )
    assert response.status_code == 302
    db.session.expire_all()
    changed = db.session.get(User, user.id)
    assert (changed.name, changed.role, changed.organisation_id) == (
        "Renamed Person",
        Role.PROVIDER,
        provider.id,
    )


def test_lead_cannot_deactivate_themselves(client, db, login_as):
    lead = login_as(Role.LA_LEAD)
    response = submit(
        client,
        f"/users/{lead.id}/edit",
        {
            "name": lead.name,
            "email": lead.email,
            "role": "la_lead",
            "organisation_id": str(lead.organisation_id),
            "password": "",
        },
    )
    assert "You cannot deactivate your own account" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(User, lead.id).active


@pytest.mark.parametrize("role", [Role.LA_OFFICER, Role.SCHOOL, Role.PROVIDER, Role.BOARD])
def test_only_the_lead_manages_users(client, db, login_as, role):
    user = login_as(role)
    before = _count(db)
    assert client.get("/users").status_code == 403
    assert client.get(f"/users/{user.id}/edit").status_code == 403
    response = submit(client, "/users/new", _form(user.organisation_id), form_path="/")
    assert response.status_code == 403
    assert _count(db) == before


def test_users_page_query_count_does_not_grow_with_rows(client, db, login_as):
    from tests.conftest import count_queries

    login_as(Role.LA_LEAD)
    make_user(Role.SCHOOL)
    with count_queries() as few:
        client.get("/users")
    for _ in range(20):
        make_user(Role.PROVIDER)
    with count_queries() as many:
        client.get("/users")
    assert len(many) == len(few)
