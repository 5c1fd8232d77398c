"""Reports from an IMAP mailbox: a real Dovecot server on loopback."""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterator
from email.message import EmailMessage
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from districtguard.accounts.models import User
from districtguard.accounts.roles import Role
from districtguard.incidents.mailin import ImapMailbox, poll_imap
from districtguard.incidents.models import Report

DOVECOT = "/usr/sbin/dovecot"
USER, PASSWORD = "reports@district.example", "synthetic-pass-123"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Mailbox:
    """A Dovecot mailbox whose new mail the test drops straight into its Maildir."""

    def __init__(self, root: Path, port: int) -> None:
        self.port = port
        self.maildir = root / "home" / "Maildir"
        self.count = 0

    def deliver(self, message: EmailMessage) -> None:
        self.count += 1
        path = self.maildir / "new" / f"{time.time():.0f}.{self.count}.test"
        path.write_bytes(message.as_bytes())
        nobody = pwd.getpwnam("nobody")
        os.chown(path, nobody.pw_uid, nobody.pw_gid)

    def settings(self) -> ImapMailbox:
        return ImapMailbox("127.0.0.1", USER, PASSWORD, port=self.port, tls=False)


@pytest.fixture
def mailbox() -> Iterator[Mailbox]:
    if not Path(DOVECOT).exists():
        pytest.fail(
            "Dovecot is needed: apt-get install dovecot-imapd (scripts/check does)"
        )
    if os.geteuid() != 0:
        pytest.fail("the Dovecot test runs as root (as scripts/check does in CI)")
    # Not under pytest's tmp_path: Dovecot's unprivileged processes must reach it.
    root = Path(tempfile.mkdtemp(prefix="districtguard-dovecot-"))
    for sub in (
        "run",
        "state",
        "home/Maildir/new",
        "home/Maildir/cur",
        "home/Maildir/tmp",
    ):
        (root / sub).mkdir(parents=True)
    root.chmod(0o755)
    nobody = pwd.getpwnam("nobody")
    for path in [root / "home", *(root / "home").rglob("*")]:
        os.chown(path, nobody.pw_uid, nobody.pw_gid)
    (root / "passwd").write_text(f"{USER}:{{PLAIN}}{PASSWORD}\n")
    port = _free_port()
    config = root / "dovecot.conf"
    config.write_text(
        f"""protocols = imap
listen = 127.0.0.1
base_dir = {root}/run
state_dir = {root}/state
log_path = {root}/dovecot.log
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {root}/passwd
}}
userdb {{
  driver = static
  args = uid=nobody gid=nogroup home={root}/home
}}
mail_location = maildir:~/Maildir
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    port = 0
  }}
}}
"""
    )
    subprocess.run([DOVECOT, "-c", str(config)], check=True)
    try:
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            with socket.socket() as sock:
                if sock.connect_ex(("127.0.0.1", port)) == 0:
                    break
            time.sleep(0.05)
        yield Mailbox(root, port)
    finally:
        subprocess.run([DOVECOT, "-c", str(config), "stop"], check=False)
        shutil.rmtree(root, ignore_errors=True)


def _message(sender: str, subject: str) -> EmailMessage:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = USER
    message["Subject"] = subject
    message.set_content("Please look at this.")
    return message


@pytest.mark.django_db
def test_unseen_messages_become_reports_once(
    mailbox: Mailbox, person: Callable[..., User]
) -> None:
    staff = person(Role.STAFF)
    mailbox.deliver(_message(staff.email, "Strange pop-up on my laptop"))
    mailbox.deliver(
        _message("parent@home.example", "Got a weird email from the school")
    )
    assert poll_imap(mailbox.settings()) == (2, 0)
    summaries = set(Report.objects.values_list("summary", flat=True))
    assert summaries == {
        "Strange pop-up on my laptop",
        "Got a weird email from the school",
    }
    assert Report.objects.get(reporter=staff).channel == Report.Channel.EMAIL
    assert poll_imap(mailbox.settings()) == (0, 0)
    assert Report.objects.count() == 2


@pytest.mark.django_db
def test_wrong_password_is_a_clear_command_error(
    mailbox: Mailbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DISTRICTGUARD_REPORT_IMAP_HOST", "127.0.0.1")
    monkeypatch.setenv("DISTRICTGUARD_REPORT_IMAP_PORT", str(mailbox.port))
    monkeypatch.setenv("DISTRICTGUARD_REPORT_IMAP_TLS", "false")
    monkeypatch.setenv("DISTRICTGUARD_REPORT_IMAP_USER", USER)
    monkeypatch.setenv("DISTRICTGUARD_REPORT_IMAP_PASSWORD", "wrong")
    with pytest.raises(CommandError, match="the mailbox refused us"):
        call_command("poll_report_mailbox")


@pytest.mark.django_db
def test_unreachable_mailbox_is_a_clear_command_error(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("DISTRICTGUARD_REPORT_IMAP_HOST", "127.0.0.1")
    monkeypatch.setenv("DISTRICTGUARD_REPORT_IMAP_PORT", str(_free_port()))
    monkeypatch.setenv("DISTRICTGUARD_REPORT_IMAP_TLS", "false")
    with pytest.raises(CommandError, match=r"cannot reach 127\.0\.0\.1"):
        call_command("poll_report_mailbox")


@pytest.mark.django_db
def test_worker_job_polls_the_configured_mailbox(
    mailbox: Mailbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    from districtguard.incidents.jobs import poll_report_mailbox

    monkeypatch.delenv("DISTRICTGUARD_REPORT_IMAP_HOST", raising=False)
    assert poll_report_mailbox() == "no report mailbox configured"
    monkeypatch.setenv("DISTRICTGUARD_REPORT_IMAP_HOST", "127.0.0.1")
    monkeypatch.setenv("DISTRICTGUARD_REPORT_IMAP_PORT", str(mailbox.port))
    monkeypatch.setenv("DISTRICTGUARD_REPORT_IMAP_TLS", "false")
    monkeypatch.setenv("DISTRICTGUARD_REPORT_IMAP_USER", USER)
    monkeypatch.setenv("DISTRICTGUARD_REPORT_IMAP_PASSWORD", PASSWORD)
    mailbox.deliver(_message("someone@home.example", "Odd text message from IT"))
    assert poll_report_mailbox() == "1 filed, 0 refused"
