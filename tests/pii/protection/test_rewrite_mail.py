"""Email, mbox and ZIP: bodies, attachments and members rewritten, the rest kept."""

from __future__ import annotations

import io
import zipfile
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path

import pytest

from districtguard.pii.protection.base import ProtectionError
from districtguard.pii.protection.cipher import ValueCipher
from districtguard.pii.protection.redaction import Redactor
from tests.pii.protection.keyhelp import make_ring
from tests.pii.protection.protecthelp import (
    LINE,
    SSN,
    SSN2,
    actions,
    archive,
    message,
    protect,
    restore,
)


@pytest.fixture
def cipher(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> ValueCipher:
    return ValueCipher(make_ring(monkeypatch, tmp_path / "home"))


def _parts(data: bytes) -> list[bytes]:
    mail = message_from_bytes(data, policy=policy.default)
    payloads = [
        part.get_payload(decode=True) for part in mail.walk() if not part.is_multipart()
    ]
    return [payload for payload in payloads if isinstance(payload, bytes)]


def test_body_and_attachment_are_redacted_and_headers_kept() -> None:
    data = message()
    new, job = protect("m.eml", data, Redactor())
    assert new is not None
    body, attachment = _parts(new)
    assert body == LINE.replace(SSN, "***-**-7891").encode()
    assert attachment == b"name,ssn\nJohn Smith,***-**-8912\n"
    head = data.split(b"\n\n", 1)[0]
    assert new.split(b"\n\n", 1)[0] == head
    assert actions(job).count(("SSN", "redacted")) == 2
    assert job.actions[-1].finding.location.startswith(
        "message 1, attachment staff.csv"
    )


def test_a_value_in_a_header_is_reported_and_left() -> None:
    data = message(subject=f"SSN {SSN} for Maria Lopez")
    new, job = protect("m.eml", data, Redactor())
    assert new is not None
    assert ("SSN", "skipped:in-a-mail-header") in actions(job)
    assert message_from_bytes(new)["Subject"] == f"SSN {SSN} for Maria Lopez"


def test_every_alternative_body_is_rewritten() -> None:
    mail = EmailMessage()
    mail["Subject"] = "Form"
    mail.set_content(LINE)
    mail.add_alternative(f"<p>Employee: Maria Lopez, SSN {SSN}</p>", subtype="html")
    new, _ = protect("m.eml", mail.as_bytes(), Redactor())
    assert new is not None
    assert all(SSN.encode() not in part for part in _parts(new))


def test_mbox_rewrites_one_message_and_keeps_the_other_byte_for_byte() -> None:
    quiet = b"From a@b Mon Jan  1 00:00:00 2026\nSubject: menu\n\nLunch.\n>From here\n"
    loud = b"From c@d Mon Jan  1 00:00:00 2026\n" + message()
    data = quiet + loud
    new, _ = protect("box.mbox", data, Redactor())
    assert new is not None
    assert new.startswith(quiet)
    assert SSN.encode() not in new and SSN2.encode() not in new


def test_mail_round_trips(cipher: ValueCipher) -> None:
    data = message()
    new, _ = protect("m.eml", data, cipher)
    assert new is not None
    restored, count = restore("m.eml", new, cipher)
    assert restored is not None and count == 2
    assert _parts(restored) == _parts(data)


def test_zip_rewrites_members_and_copies_the_rest() -> None:
    inner = archive({"deep.txt": LINE.encode()})
    data = archive(
        {"staff.txt": LINE.encode(), "menu.txt": b"Lunch.\n", "inner.zip": inner}
    )
    new, job = protect("a.zip", data, Redactor())
    assert new is not None
    with zipfile.ZipFile(io.BytesIO(new)) as package:
        assert package.namelist() == ["staff.txt", "menu.txt", "inner.zip"]
        assert package.read("menu.txt") == b"Lunch.\n"
        assert SSN.encode() not in package.read("staff.txt")
        with zipfile.ZipFile(io.BytesIO(package.read("inner.zip"))) as nested:
            assert nested.read("deep.txt") == LINE.replace(SSN, "***-**-7891").encode()
    places = [a.finding.location for a in job.actions if a.action == "redacted"]
    assert places[1].startswith("member inner.zip, member deep.txt")


def test_zip_round_trips(cipher: ValueCipher) -> None:
    data = archive({"staff.txt": LINE.encode(), "menu.txt": b"Lunch.\n"})
    new, _ = protect("a.zip", data, cipher)
    assert new is not None
    restored, count = restore("a.zip", new, cipher)
    assert restored is not None and count == 1
    with zipfile.ZipFile(io.BytesIO(restored)) as package:
        assert package.read("staff.txt") == LINE.encode()


def test_zip_with_an_encrypted_member_is_refused() -> None:
    data = bytearray(archive({"staff.txt": LINE.encode()}))
    # Set the "encrypted" flag in the central directory entry.
    at = data.rfind(b"PK\x01\x02")
    data[at + 8] |= 0x1
    with pytest.raises(ProtectionError, match="encrypted"):
        protect("a.zip", bytes(data), Redactor())
