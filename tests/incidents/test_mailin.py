"""Reports by email through a real SMTP listener on loopback."""

from __future__ import annotations

import smtplib
import socket
from collections.abc import Callable, Iterator
from email.message import EmailMessage
from typing import Any

import pytest

from districtguard.accounts.models import User
from districtguard.accounts.roles import Role
from districtguard.incidents.mailin import MessageRefused, report_from_message, serve
from districtguard.incidents.models import Report

ADDRESS = "report@district.example"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def listener() -> Iterator[int]:
    port = _free_port()
    controller = serve("127.0.0.1", port, ADDRESS)
    yield port
    controller.stop()


def _phish(sender: str) -> EmailMessage:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = ADDRESS
    message["Subject"] = "Fwd: Your mailbox is full - verify now"
    message.set_content(
        "Forwarding this, it looks fake.\n\n> Click http://phish.invalid/"
    )
    message.add_attachment(
        b"GIF89a", maintype="image", subtype="gif", filename="logo.gif"
    )
    return message


@pytest.mark.django_db(transaction=True)
def test_forwarded_phish_becomes_a_report(
    listener: int, person: Callable[..., User], mailoutbox: list[Any]
) -> None:
    staff = person(Role.STAFF)
    person(Role.DIRECTOR)
    with smtplib.SMTP("127.0.0.1", listener, timeout=10) as smtp:
        refused = smtp.send_message(_phish(staff.email))
    assert refused == {}
    report = Report.objects.get()
    assert report.channel == Report.Channel.EMAIL and report.reporter == staff
    assert report.summary == "Fwd: Your mailbox is full - verify now"
    assert "looks fake" in report.details
    attachment = report.attachments.get()
    assert attachment.original_name == "message.eml"
    assert attachment.file.read().startswith(b"From: " + staff.email.encode()) or (
        b"logo.gif" in attachment.file.read()
    )
    assert len(mailoutbox) == 1 and report.reference in mailoutbox[0].subject


@pytest.mark.django_db(transaction=True)
def test_unknown_sender_is_filed_but_flagged(listener: int) -> None:
    with smtplib.SMTP("127.0.0.1", listener, timeout=10) as smtp:
        smtp.send_message(_phish("someone@home.example"))
    report = Report.objects.get()
    assert report.reporter is None and report.reporter_email == "someone@home.example"
    assert report.details.startswith("Sender someone@home.example is not in the staff")


@pytest.mark.django_db(transaction=True)
def test_mail_for_another_address_is_refused(listener: int) -> None:
    message = _phish("someone@home.example")
    with (
        smtplib.SMTP("127.0.0.1", listener, timeout=10) as smtp,
        pytest.raises(smtplib.SMTPRecipientsRefused),
    ):
        smtp.send_message(message, to_addrs=["other@district.example"])
    assert Report.objects.count() == 0


@pytest.mark.django_db
@pytest.mark.parametrize("raw", [b"", b"   \r\n", b"x" * 10])
def test_malformed_messages(raw: bytes) -> None:
    if raw.strip():
        report = report_from_message(raw)  # no headers at all: still a report
        assert report.summary == "(no subject)"
    else:
        with pytest.raises(MessageRefused):
            report_from_message(raw)
