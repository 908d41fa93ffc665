"""The ways a message leaves the outbox: SMTP or GOV.UK Notify, chosen by MAIL_BACKEND.

A sender raises MessageError when this one message cannot go (a refused address, a missing
template) and ServiceError when the service cannot be reached; the worker retries both with
backoff, and stops the round on a ServiceError rather than spend every message's tries on it.
"""

from __future__ import annotations

import contextlib
import re
import smtplib
from email.message import EmailMessage

import requests
from flask import current_app
from notifications_python_client.errors import APIError
from notifications_python_client.notifications import NotificationsAPIClient

from apregister.mail import mail_backend
from apregister.models import OutboxMessage

SMTP_TIMEOUT_SECONDS = 30
NOTIFY_TIMEOUT_SECONDS = 30


class SendError(Exception):
    """A message was not sent. The text is kept in last_error, so it never holds the body."""


class MessageError(SendError):
    """This message cannot go as it is. `permanent` when trying again cannot help (an address
    the server says does not exist, a request Notify says is wrong): it fails at once."""

    def __init__(self, text: str, *, permanent: bool = False) -> None:
        super().__init__(text)
        self.permanent = permanent


class ServiceError(SendError):
    """The mail service cannot be reached or refused us: nothing will go for now."""


class Sender:
    """Sends messages one at a time; `close` ends whatever connection it holds."""

    sends = True

    def send(self, message: OutboxMessage) -> None:
        raise NotImplementedError

    def close(self) -> None:
        pass


class KeepInOutbox(Sender):
    """Development and tests: messages stay in the outbox."""

    sends = False


class SmtpSender(Sender):
    """SMTP_HOST, SMTP_PORT, SMTP_STARTTLS, SMTP_USERNAME/PASSWORD and SMTP_FROM; one
    connection for a round of messages, opened again if the server drops it."""

    def __init__(self, config) -> None:
        if not config.get("SMTP_HOST"):
            raise ValueError("MAIL_BACKEND is smtp but SMTP_HOST is not set")
        self.config = config
        self.smtp: smtplib.SMTP | None = None

    def _connect(self) -> smtplib.SMTP:
        config = self.config
        smtp = smtplib.SMTP(config["SMTP_HOST"], config["SMTP_PORT"], timeout=SMTP_TIMEOUT_SECONDS)
        try:
            if config["SMTP_STARTTLS"]:
                smtp.starttls()
            if config.get("SMTP_USERNAME"):
                smtp.login(config["SMTP_USERNAME"], config.get("SMTP_PASSWORD") or "")
        except BaseException:
            with contextlib.suppress(OSError, smtplib.SMTPException):
                smtp.close()
            raise
        return smtp

    def _email(self, message: OutboxMessage) -> EmailMessage:
        email = EmailMessage()
        email["From"] = self.config["SMTP_FROM"]
        email["To"] = message.to_email
        email["Subject"] = message.subject
        email.set_content(message.body)
        return email

    def send(self, message: OutboxMessage) -> None:
        try:
            if self.smtp is None:
                self.smtp = self._connect()
            self.smtp.send_message(self._email(message))
        except smtplib.SMTPRecipientsRefused as error:
            refused = error.recipients.values()
            codes = sorted({f"{code} {_reply(reply)}" for code, reply in refused})
            raise MessageError(
                f"Recipient refused: {'; '.join(codes)}",
                permanent=all(code >= 500 for code, _ in refused),
            ) from None
        except (smtplib.SMTPDataError, smtplib.SMTPSenderRefused) as error:
            raise MessageError(
                f"Refused by the SMTP server: {error.smtp_code} {_reply(error.smtp_error)}",
                permanent=error.smtp_code >= 500,
            ) from None
        except (OSError, smtplib.SMTPException) as error:
            self.close()
            raise ServiceError(f"SMTP server: {type(error).__name__}: {error}") from None

    def close(self) -> None:
        if self.smtp is not None:
            with contextlib.suppress(OSError, smtplib.SMTPException):
                self.smtp.quit()
            self.smtp = None


ADDRESS = re.compile(r"<?[^\s<>@]+@[^\s<>@]+>?")


def _reply(reply: bytes | None) -> str:
    """A server's reply, without the addresses it may echo (the outbox row names the one)."""
    text = reply.decode(errors="replace") if reply else ""
    return ADDRESS.sub("<address>", text)[:300]


def notify_template_key(kind: str | None) -> str | None:
    """The NOTIFY_TEMPLATE_<KIND> suffix for a kind of message: 'review-due' -> 'REVIEW_DUE'."""
    if not kind:
        return None
    return re.sub(r"[^A-Z0-9]+", "_", kind.upper()).strip("_")


class NotifySender(Sender):
    """GOV.UK Notify: NOTIFY_API_KEY, NOTIFY_BASE_URL, and a template per kind of message
    (NOTIFY_TEMPLATE_<KIND>, else NOTIFY_TEMPLATE_DEFAULT). The template gets the message's
    personalisation plus `subject` and `body`."""

    def __init__(self, config) -> None:
        if not config.get("NOTIFY_API_KEY"):
            raise ValueError("MAIL_BACKEND is notify but NOTIFY_API_KEY is not set")
        self.config = config
        self.client = NotificationsAPIClient(
            config["NOTIFY_API_KEY"],
            base_url=config["NOTIFY_BASE_URL"],
            timeout=NOTIFY_TIMEOUT_SECONDS,
        )

    def template_id(self, kind: str | None) -> str | None:
        key = notify_template_key(kind)
        templates = self.config.get("NOTIFY_TEMPLATES") or {}
        chosen = key and (self.config.get(f"NOTIFY_TEMPLATE_{key}") or templates.get(key))
        return chosen or self.config.get("NOTIFY_TEMPLATE_DEFAULT")

    def send(self, message: OutboxMessage) -> None:
        template_id = self.template_id(message.kind)
        if not template_id:
            raise MessageError(
                f"No Notify template for {message.kind or 'this message'}: set "
                f"NOTIFY_TEMPLATE_{notify_template_key(message.kind) or 'DEFAULT'} "
                "or NOTIFY_TEMPLATE_DEFAULT"
            )
        personalisation = dict(message.personalisation or {})
        personalisation |= {"subject": message.subject, "body": message.body}
        try:
            self.client.send_email_notification(
                email_address=message.to_email,
                template_id=template_id,
                personalisation=personalisation,
                reference=f"outbox-{message.id}",
            )
        except APIError as error:
            status = error.status_code
            text = f"Notify answered {status}: {_notify_reasons(error)}"
            # 400: this message (address, template, fields); 403 bad key, 429 rate limits, 5xx
            if status == 400:
                raise MessageError(text, permanent=True) from None
            raise ServiceError(text) from None
        except requests.RequestException as error:
            raise ServiceError(f"Notify could not be reached: {type(error).__name__}") from None


def _notify_reasons(error: APIError) -> str:
    reasons = error.message
    if isinstance(reasons, list):
        return "; ".join(
            str(item.get("message", item)) if isinstance(item, dict) else str(item)
            for item in reasons
        )
    return str(reasons)[:500]


def configured_sender() -> Sender:
    """The sender MAIL_BACKEND names, with this app's settings."""
    config = current_app.config
    backend = mail_backend()
    if backend == "smtp":
        return SmtpSender(config)
    if backend == "notify":
        return NotifySender(config)
    return KeepInOutbox()
