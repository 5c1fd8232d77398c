"""File unseen messages in the report mailbox (IMAP) as incident reports."""

from __future__ import annotations

import os
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from districtguard.incidents.mailin import ImapMailbox, poll_imap
from districtguard.web.env import env_bool, env_int, env_secret


def mailbox_from_environment() -> ImapMailbox | None:
    """Return the report mailbox the environment describes, or None if not set up."""
    host = os.environ.get("DISTRICTGUARD_REPORT_IMAP_HOST", "")
    if not host:
        return None
    tls = env_bool("DISTRICTGUARD_REPORT_IMAP_TLS", True)
    return ImapMailbox(
        host=host,
        user=os.environ.get("DISTRICTGUARD_REPORT_IMAP_USER", ""),
        password=env_secret("DISTRICTGUARD_REPORT_IMAP_PASSWORD"),
        port=env_int("DISTRICTGUARD_REPORT_IMAP_PORT", 993 if tls else 143),
        folder=os.environ.get("DISTRICTGUARD_REPORT_IMAP_FOLDER", "INBOX"),
        tls=tls,
    )


class Command(BaseCommand):
    """``poll_report_mailbox``: one pass over the report mailbox."""

    help = "File unseen messages in the IMAP report mailbox as incident reports."

    def handle(self, *args: Any, **options: Any) -> None:
        mailbox = mailbox_from_environment()
        if mailbox is None:
            raise CommandError(
                "set DISTRICTGUARD_REPORT_IMAP_HOST (see docs/incidents.md)"
            )
        try:
            filed, refused = poll_imap(mailbox)
        except OSError as exc:
            raise CommandError(f"cannot reach {mailbox.host}: {exc}") from None
        except Exception as exc:  # imaplib.IMAP4.error carries the server's reason
            raise CommandError(f"the mailbox refused us: {exc}") from None
        reports = "1 report" if filed == 1 else f"{filed} reports"
        messages = "1 message" if refused == 1 else f"{refused} messages"
        self.stdout.write(f"{reports} filed, {messages} refused")
