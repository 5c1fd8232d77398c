"""Password reset by email, delivered through a real SMTP server on loopback."""

from __future__ import annotations

import email
import re
import socket
from collections.abc import Iterator
from email.message import Message
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from django.test import Client
from pytest_django.fixtures import Settings

from districtguard.accounts.models import User
from tests.web.conftest import PASSWORD

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a-whole-new-passphrase-77"  # noqa: S105 (synthetic)


class Inbox:
    """An aiosmtpd handler that keeps every message it receives."""

    def __init__(self) -> None:
        self.messages: list[Message] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append(email.message_from_bytes(envelope.content))
        return "250 OK"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@pytest.fixture
def inbox(settings: Settings) -> Iterator[Inbox]:
    """Run an SMTP server on loopback and send Django's mail to it."""
    handler = Inbox()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = controller.port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    try:
        yield handler
    finally:
        controller.stop()


def body_of(message: Message) -> str:
    part = next(p for p in message.walk() if p.get_content_type() == "text/plain")
    payload = part.get_payload(decode=True)
    assert isinstance(payload, bytes)
    return payload.decode()


def test_reset_link_arrives_by_smtp_and_sets_a_new_password(
    staff: User, inbox: Inbox
) -> None:
    client = Client()
    response = client.post("/accounts/password/reset/", {"email": staff.email})
    assert response.status_code == 302
    assert len(inbox.messages) == 1
    message = inbox.messages[0]
    assert message["To"] == staff.email
    assert message["Subject"].startswith("[DistrictGuard]")
    link = re.search(
        r"https?://[^/\s]+(/accounts/password/reset/key/\S+)", body_of(message)
    )
    assert link is not None

    form = client.get(link.group(1), follow=True)
    assert "Choose a new password" in form.content.decode()
    # A first Director only ever saw the address in a terminal: say it here.
    assert f"For <strong>{staff.email}</strong>" in form.content.decode()
    done = client.post(
        form.redirect_chain[-1][0] if form.redirect_chain else link.group(1),
        {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert done.status_code == 302

    staff.refresh_from_db()
    assert staff.check_password(NEW_PASSWORD)
    assert not staff.check_password(PASSWORD)
    # The link works once.
    again = Client().get(link.group(1), follow=True)
    assert "does not work" in again.content.decode()


def test_unknown_address_gets_the_same_answer_and_no_account_mail(
    db: None, inbox: Inbox
) -> None:
    response = Client().post(
        "/accounts/password/reset/", {"email": "nobody@example.org"}
    )
    # The page does not reveal whether the address has an account.
    assert response.status_code == 302
    assert all("/password/reset/key/" not in body_of(m) for m in inbox.messages)


def test_changing_the_password_keeps_the_account_pages_around_it(staff: User) -> None:
    client = Client()
    client.force_login(staff)
    html = client.get("/accounts/password/change/").content.decode()
    assert 'aria-label="Your account"' in html
    assert html.count("/accounts/password/reset/") == 1
    response = client.post(
        "/accounts/password/change/",
        {"oldpassword": PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    staff.refresh_from_db()
    assert staff.check_password(NEW_PASSWORD)


def test_a_wrong_current_password_is_refused_on_the_change_page(staff: User) -> None:
    client = Client()
    client.force_login(staff)
    response = client.post(
        "/accounts/password/change/",
        {"oldpassword": "not-it", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert response.status_code == 200
    assert "Please type your current password." in response.content.decode()
    staff.refresh_from_db()
    assert staff.check_password(PASSWORD)
