import pytest
from flask import Flask
from sqlalchemy import select

from apregister.access import PUBLIC_ENDPOINTS, get_visible_or_404, visible
from apregister.models import AuditAction, AuditEvent, FrameworkStatus, Provider, Role, User
from tests.conftest import make_provider, make_school, make_user


def test_every_endpoint_is_guarded_or_listed_as_public(app: Flask):
    unguarded = [
        endpoint
        for endpoint, view in app.view_functions.items()
        if endpoint not in PUBLIC_ENDPOINTS and not getattr(view, "allowed_roles", None)
    ]
    assert unguarded == []


def test_public_list_names_only_endpoints_that_exist(app: Flask):
    assert set(app.view_functions) >= PUBLIC_ENDPOINTS


@pytest.mark.parametrize(
    ("role", "heading"),
    [
        (Role.LA_LEAD, "Work queue"),
        (Role.LA_OFFICER, "Work queue"),
        (Role.SCHOOL, "Your placements"),
        (Role.PROVIDER, "Your provision"),
        (Role.BOARD, "Improvement board"),
    ],
)
def test_each_role_lands_on_its_own_home_page(client, login_as, role, heading):
    login_as(role)
    response = client.get("/")
    assert response.status_code == 200
    assert f'<h1 class="govuk-heading-l">{heading}</h1>' in response.get_data(as_text=True)


@pytest.mark.parametrize(
    ("path", "allowed"),
    [
        ("/users", {Role.LA_LEAD}),
        ("/users/new", {Role.LA_LEAD}),
        ("/audit", {Role.LA_LEAD}),
        ("/", set(Role)),
    ],
)
@pytest.mark.parametrize("role", list(Role))
def test_role_by_page_table(client, login_as, role, path, allowed):
    login_as(role)
    expected = 200 if role in allowed else 403
    assert client.get(path).status_code == expected


def test_signed_out_visitor_reaches_only_public_pages(client):
    for path in ["/accessibility-statement", "/privacy-notice", "/cookies", "/healthz", "/sign-in"]:
        assert client.get(path).status_code == 200, path
    for path in ["/", "/users", "/audit", "/users/1/edit"]:
        assert client.get(path).status_code == 302, path


def test_refused_access_is_logged(client, db, login_as):
    user = login_as(Role.SCHOOL)
    assert client.get("/audit").status_code == 403
    refusal = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == AuditAction.ACCESS_REFUSED)
    ).one()
    assert refusal.user_id == user.id
    assert "/audit" in refusal.detail


def test_school_sees_only_approved_providers_and_itself(db):
    school = make_school()
    approved = make_provider(framework_status=FrameworkStatus.APPROVED)
    make_provider(framework_status=FrameworkStatus.SUSPENDED)
    user = make_user(Role.SCHOOL, school)
    assert db.session.scalars(visible(Provider, user)).all() == [approved]


def test_provider_sees_the_directory_and_itself_whatever_its_status(db):
    mine = make_provider(framework_status=FrameworkStatus.SUSPENDED)
    approved = make_provider(framework_status=FrameworkStatus.APPROVED)
    make_provider(framework_status=FrameworkStatus.APPLIED)
    user = make_user(Role.PROVIDER, mine)
    seen = db.session.scalars(visible(Provider, user).order_by(Provider.id)).all()
    assert seen == [mine, approved]


def test_board_sees_no_records(db):
    make_provider()
    board = make_user(Role.BOARD)
    assert db.session.scalars(visible(Provider, board)).all() == []
    assert db.session.scalars(visible(User, board)).all() == [board]


def test_another_organisations_record_answers_404_like_a_missing_one(app, db):
    mine = make_provider()
    theirs = make_provider(framework_status=FrameworkStatus.APPLIED)
    user = make_user(Role.PROVIDER, mine)
    with app.test_request_context("/"):
        assert get_visible_or_404(Provider, mine.id, user) == mine
        for record_id in (theirs.id, 999_999):
            with pytest.raises(Exception) as refused:
                get_visible_or_404(Provider, record_id, user)
            assert refused.value.code == 404


def test_lead_editing_a_user_that_does_not_exist_gets_404(client, login_as):
    login_as(Role.LA_LEAD)
    assert client.get("/users/999999/edit").status_code == 404
