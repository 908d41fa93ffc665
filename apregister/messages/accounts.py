"""The invitation to a provider's new user: the one-time link goes by message to the address
from the application, never onto the screen of the person who sent it."""

from __future__ import annotations

from apregister.mail import service_link
from apregister.messages.common import body, queue_to_all
from apregister.models import Provider, User
from apregister.templating import govuk_date

INVITATION = "invitation"


def invitation(user: User, provider: Provider, token: str, expires_on) -> int:
    link = service_link(f"/invitations/{token}")
    text = body(
        [
            f"You have been invited to use the alternative provision register for {provider.name}.",
            f"Choose your password with this link. It works once, until {govuk_date(expires_on)}:",
        ],
        [],
        link,
    )
    return queue_to_all(
        [user.email],
        f"invitation:{user.id}:{expires_on.isoformat()}",
        "Your invitation to the alternative provision register",
        text,
        kind=INVITATION,
        link=link,
        fields={"name": user.name, "provider_name": provider.name},
    )
