"""Reports by email: a message sent or forwarded to the report address becomes a report.

The whole message is kept as ``.eml`` evidence (a forwarded phishing email is
the evidence). The sender is matched to a person in the directory; mail from
an unknown sender still becomes a report — a real incident must not be lost
because someone wrote from a personal address — but says the sender is
unverified. Two ways in: a local SMTP listener (:func:`serve`) or an IMAP
mailbox polled by the worker (:func:`poll_imap`).
"""

from __future__ import annotations

import email
import email.policy
import imaplib
import logging
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import parseaddr
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from districtguard.accounts.models import User
from districtguard.incidents.models import Report

log = logging.getLogger(__name__)
MAX_MESSAGE_BYTES = 25 << 20
MAX_DETAILS_CHARS = 20_000


class MessageRefused(ValueError):
    """A message cannot become a report; the reason is safe to send back."""


def _body_text(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("plain", "html"))
    if part is None:
        return ""
    try:
        text = part.get_content()
    except (LookupError, UnicodeDecodeError):
        payload = part.get_payload(decode=True)
        text = payload.decode("utf-8", "replace") if isinstance(payload, bytes) else ""
    return str(text)[:MAX_DETAILS_CHARS]


def report_from_message(raw: bytes, *, received_by: str = "email") -> Report:
    """Turn one raw email message into a report and return it."""
    from districtguard.incidents.services import submit_report

    if len(raw) > MAX_MESSAGE_BYTES:
        raise MessageRefused(
            f"messages over {MAX_MESSAGE_BYTES >> 20} MB are not accepted"
        )
    if not raw.strip():
        raise MessageRefused("the message is empty")
    message = email.message_from_bytes(raw, policy=email.policy.default)
    if not isinstance(message, EmailMessage):  # the default policy always makes one
        raise MessageRefused("the message cannot be parsed")
    _, sender = parseaddr(str(message.get("From", "")))
    sender = sender.strip().lower()
    reporter = User.objects.filter(email__iexact=sender, is_active=True).first()
    subject = " ".join(str(message.get("Subject", "")).split()) or "(no subject)"
    details = _body_text(message)
    if reporter is None:
        details = (
            f"Sender {sender or 'unknown'} is not in the staff directory: "
            "verify the report before acting on it.\n\n" + details
        )
    eml = SimpleUploadedFile("message.eml", raw, "message/rfc822")
    return submit_report(
        reporter=reporter,
        reporter_email=sender,
        summary=subject,
        details=details,
        channel=Report.Channel.EMAIL,
        files=[eml],
    )


def _file_message(raw: bytes) -> Report:
    """File one message from the listener's thread, then release its connection."""
    from django.db import connection

    try:
        return report_from_message(raw)
    finally:
        connection.close()


@dataclass
class ReportHandler:
    """aiosmtpd handler: accept mail for the report address, file it as a report."""

    address: str

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, options: Any
    ) -> str:
        if address.lower() != self.address.lower():
            return "550 5.1.1 not a report address"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        from asgiref.sync import sync_to_async

        raw = envelope.original_content or envelope.content
        try:
            report = await sync_to_async(_file_message)(bytes(raw))
        except MessageRefused as exc:
            return f"554 5.6.0 {exc}"
        except Exception:  # the sender must learn it failed, and we must log why
            log.exception("an emailed report could not be filed")
            return "451 4.3.0 the report could not be filed; try again later"
        return f"250 OK filed as {report.reference}"


def serve(host: str, port: int, address: str) -> Any:
    """Start an SMTP listener that files mail to ``address`` as reports."""
    from aiosmtpd.controller import Controller

    controller = Controller(
        ReportHandler(address),
        hostname=host,
        port=port,
        data_size_limit=MAX_MESSAGE_BYTES,
    )
    controller.start()
    return controller


@dataclass(frozen=True, slots=True)
class ImapMailbox:
    """Where to poll for reports: an IMAP mailbox over TLS."""

    host: str
    user: str
    password: str
    port: int = 993
    folder: str = "INBOX"
    tls: bool = True


def poll_imap(mailbox: ImapMailbox) -> tuple[int, int]:
    """File every unseen message as a report; return (filed, refused).

    A message is marked seen only after its report is saved, so a crash
    re-reads it rather than losing it.
    """
    connect = imaplib.IMAP4_SSL if mailbox.tls else imaplib.IMAP4
    filed = refused = 0
    with connect(mailbox.host, mailbox.port) as imap:
        imap.login(mailbox.user, mailbox.password)
        imap.select(mailbox.folder)
        _, data = imap.search(None, "UNSEEN")
        for number in data[0].split():
            _, parts = imap.fetch(number, "(BODY.PEEK[])")
            raw = next(
                (
                    p[1]
                    for p in parts
                    if isinstance(p, tuple) and isinstance(p[1], bytes)
                ),
                b"",
            )
            try:
                report_from_message(raw)
                filed += 1
            except MessageRefused as exc:
                log.warning("mailbox message %s refused: %s", number.decode(), exc)
                refused += 1
            imap.store(number, "+FLAGS", "\\Seen")
    return filed, refused
