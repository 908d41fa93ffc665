"""Inviting a provider's first user (issue 11): the name and email come from the application,
and the one-time link goes to the person by message, never onto the LA user's screen."""

from __future__ import annotations

from sqlalchemy import func, select

from apregister.models import FrameworkStatus, Invitation, OutboxMessage, Role, User
from tests.conftest import make_provider, make_user, sign_in, submit

LINK_PATH = "/invitations/"


def _invitations(db, email: str) -> list[OutboxMessage]:
    db.session.expire_all()
    return list(
        db.session.scalars(
            select(OutboxMessage)
            .where(OutboxMessage.to_email == email, OutboxMessage.kind == "invitation")
            .order_by(OutboxMessage.id)
        )
    )


def _path(message: OutboxMessage) -> str:
    [line] = [line for line in message.body.splitlines() if LINK_PATH in line]
    return line[line.index(LINK_PATH) :].strip()


def test_the_form_starts_with_the_applicants_name_and_email(client, db, login_as):
    provider = make_provider(contact_name="Priya Shah", contact_email="priya@hub.example")
    login_as(Role.LA_LEAD)
    page = client.get(f"/providers/{provider.id}/invite").get_data(as_text=True)
    assert 'value="Priya Shah"' in page and 'value="priya@hub.example"' in page


def test_the_link_goes_by_message_and_lets_the_person_set_a_password_once(
    app, client, db, login_as
):
    provider = make_provider(name="Hub Learning", contact_email="office@hub.example")
    login_as(Role.LA_LEAD)
    response = submit(
        client,
        f"/providers/{provider.id}/invite",
        {"name": "Priya New", "email": "priya@provider.example"},
    )
    assert response.status_code == 302
    assert response.headers["Location"] == f"/providers/{provider.id}"
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Invitation sent to Priya New" in page and LINK_PATH not in page

    [message] = _invitations(db, "priya@provider.example")
    assert "Priya" not in message.subject
    assert message.personalisation["provider_name"] == "Hub Learning"
    assert message.personalisation["link"].endswith(_path(message))
    path = _path(message)
    newcomer = app.test_client()
    response = submit(newcomer, path, {"password": "lantern orbit pebble"})
    assert response.headers["Location"] == "/sign-in"
    user = db.session.scalars(select(User).where(User.email == "priya@provider.example")).one()
    assert (user.role, user.organisation_id) == (Role.PROVIDER, provider.id)
    assert sign_in(newcomer, user, "lantern orbit pebble").status_code == 302
    assert app.test_client().get(path).status_code == 404  # used once


def test_inviting_again_sends_a_new_link_and_stops_the_old_one(app, client, db, login_as):
    provider = make_provider()
    login_as(Role.LA_LEAD)
    data = {"name": "Priya New", "email": "priya@provider.example"}
    submit(client, f"/providers/{provider.id}/invite", data)
    response = submit(client, f"/providers/{provider.id}/invite", data)
    assert response.status_code == 302
    first, second = _invitations(db, "priya@provider.example")
    assert _path(first) != _path(second)
    assert app.test_client().get(_path(first)).status_code == 404
    assert app.test_client().get(_path(second)).status_code == 200
    assert db.session.scalar(select(func.count(User.id)).where(User.email == data["email"])) == 1


def test_an_address_in_use_elsewhere_is_refused_and_nothing_is_written(client, db, login_as):
    provider = make_provider()
    make_user(Role.SCHOOL, email="taken@school.example")
    login_as(Role.LA_LEAD)
    response = submit(
        client,
        f"/providers/{provider.id}/invite",
        {"name": "Someone", "email": "taken@school.example"},
    )
    assert response.status_code == 200
    assert "govuk-error-summary" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(Invitation.id))) == 0
    assert _invitations(db, "taken@school.example") == []


def test_bad_input_gets_field_messages_and_nothing_is_written(client, db, login_as):
    provider = make_provider()
    login_as(Role.LA_LEAD)
    response = submit(client, f"/providers/{provider.id}/invite", {"name": "", "email": "nope"})
    body = response.get_data(as_text=True)
    assert "Enter the person&#39;s full name" in body
    assert "Enter an email address in the correct format" in body
    assert db.session.scalar(select(func.count(Invitation.id))) == 0


def test_invitation_is_refused_for_a_provider_that_is_not_approved(client, db, login_as):
    provider = make_provider(framework_status=FrameworkStatus.APPLIED)
    login_as(Role.LA_LEAD)
    response = submit(
        client, f"/providers/{provider.id}/invite", {"name": "X Y", "email": "x@y.example"}
    )
    assert "Approve the provider before inviting its users" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(User.id))) == 1


def test_the_outbox_hides_the_link_once_mail_is_really_sent(app, client, db, login_as, monkeypatch):
    provider = make_provider()
    login_as(Role.LA_LEAD)
    submit(
        client,
        f"/providers/{provider.id}/invite",
        {"name": "Priya New", "email": "priya@provider.example"},
    )
    [message] = _invitations(db, "priya@provider.example")
    # without a mail backend the outbox is the only way to the link (development)
    assert LINK_PATH in client.get(f"/outbox/{message.id}").get_data(as_text=True)
    monkeypatch.setitem(app.config, "MAIL_BACKEND", "smtp")
    monkeypatch.setitem(app.config, "SMTP_HOST", "127.0.0.1")
    page = client.get(f"/outbox/{message.id}").get_data(as_text=True)
    assert LINK_PATH not in page and "went only to the person invited" in page


def test_only_the_la_may_invite_and_another_providers_user_cannot_use_the_page(
    app, client, db, login_as
):
    provider = make_provider()
    other = make_provider(name="Other Provider")
    login_as(Role.PROVIDER, other)
    assert client.get(f"/providers/{provider.id}/invite").status_code == 403
    response = submit(
        client,
        f"/providers/{provider.id}/invite",
        {"name": "X Y", "email": "x@y.example"},
        form_path="/account/messages",
    )
    assert response.status_code == 403
    assert db.session.scalar(select(func.count(Invitation.id))) == 0
