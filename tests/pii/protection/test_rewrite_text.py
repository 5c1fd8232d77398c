"""Plain text, CSV/TSV and JSON: values replaced in place, every other byte kept."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from districtguard.pii.elements import Element
from districtguard.pii.protection.base import ProtectionError
from districtguard.pii.protection.cipher import ValueCipher
from districtguard.pii.protection.keys import KeyRing
from districtguard.pii.protection.redaction import Redactor
from districtguard.pii.protection.tokens import TOKEN_RE
from tests.pii.protection.keyhelp import make_ring
from tests.pii.protection.protecthelp import LINE, SSN, SSN2, actions, protect, restore


@pytest.fixture
def cipher(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> ValueCipher:
    ring: KeyRing = make_ring(monkeypatch, tmp_path / "home")
    return ValueCipher(ring)


def test_redacts_a_linked_ssn_and_keeps_every_other_byte() -> None:
    data = ("Header line\r\n" + LINE.replace("\n", "\r\n") + "Tail\r\n").encode()
    new, job = protect("notes.txt", data, Redactor())
    assert new == data.replace(SSN.encode(), b"***-**-7891")
    assert actions(job) == [
        ("PERSON_NAME", "skipped:names-are-kept"),
        ("SSN", "redacted"),
    ]


def test_utf16_with_bom_is_written_back_in_utf16() -> None:
    data = "\ufeffCafé staff\n".encode("utf-16-le") + LINE.encode("utf-16-le")
    new, _ = protect("notes.txt", data, Redactor())
    assert new is not None
    assert new.startswith(b"\xff\xfe")
    assert new.decode("utf-16") == "Café staff\n" + LINE.replace(SSN, "***-**-7891")


def test_an_ssn_without_a_name_is_left_unless_all_records() -> None:
    data = f"The SSN {SSN} is on the form.\n".encode()
    new, job = protect("notes.txt", data, Redactor())
    assert new is None
    assert actions(job) == [("SSN", "skipped:not-statutory")]
    new, _ = protect("notes.txt", data, Redactor(), all_records=True)
    assert new == data.replace(SSN.encode(), b"***-**-7891")


def test_elements_not_selected_are_skipped() -> None:
    data = LINE.encode()
    new, job = protect(
        "a.txt", data, Redactor(), targets=frozenset({Element.PAYMENT_CARD})
    )
    assert new is None
    assert ("SSN", "skipped:element-not-selected") in actions(job)


def test_undecodable_bytes_refuse_the_file_without_quoting_it() -> None:
    data = LINE.encode() + b"x" * 70000 + b"\xff\xfe\xfa"
    with pytest.raises(ProtectionError) as caught:
        protect("a.txt", data, Redactor())
    assert "7891" not in str(caught.value)


def test_encrypted_text_round_trips_byte_for_byte(cipher: ValueCipher) -> None:
    data = ("line one\n" + LINE + "\nend\n").encode()
    new, _ = protect("a.txt", data, cipher)
    assert new is not None
    assert SSN.encode() not in new
    assert len(TOKEN_RE.findall(new.decode())) == 1
    assert restore("a.txt", new, cipher) == (data, 1)


def test_protecting_twice_changes_nothing_the_second_time(cipher: ValueCipher) -> None:
    new, _ = protect("a.txt", LINE.encode(), cipher)
    assert new is not None
    again, job = protect("a.txt", new, cipher)
    assert again is None
    assert job.protected == 0


def test_csv_keeps_quoting_dialect_and_untouched_rows() -> None:
    rows = [
        "name;ssn;note",
        f'"Lopez, Maria";"{SSN}";"said ""hi"""',
        'Lunch;none;"multi\nline"',
        f"John Smith;{SSN2};x",
    ]
    data = ("\r\n".join(rows) + "\r\n").encode()
    new, _ = protect("staff.csv", data, Redactor())
    assert new is not None
    expected = data.replace(SSN.encode(), b"***-**-7891").replace(
        SSN2.encode(), b"***-**-8912"
    )
    assert new == expected


def test_tsv_cells_are_replaced(cipher: ValueCipher) -> None:
    data = f"name\tssn\nMaria Lopez\t{SSN}\n".encode()
    new, _ = protect("staff.tsv", data, cipher)
    assert new is not None
    assert new.count(b"\t") == 2
    assert restore("staff.tsv", new, cipher) == (data, 1)


def test_json_keeps_key_order_and_turns_a_number_into_a_marked_token(
    cipher: ValueCipher,
) -> None:
    document = {"zeta": 1, "students": [{"name": "Maria Lopez", "ssn": 234567891}]}
    data = json.dumps(document, indent=2).encode()
    new, _ = protect("s.json", data, cipher)
    assert new is not None
    loaded = json.loads(new)
    assert list(loaded) == ["zeta", "students"]
    assert loaded["students"][0]["ssn"].startswith("#dgp1.")
    assert restore("s.json", new, cipher) == (data, 1)


def test_json_number_is_redacted_to_a_string() -> None:
    data = b'[{"name": "Maria Lopez", "ssn": 234567891}]'
    new, _ = protect("s.json", data, Redactor())
    assert new is not None
    assert json.loads(new) == [{"name": "Maria Lopez", "ssn": "*****7891"}]


def test_json_lines_are_rewritten_line_by_line(cipher: ValueCipher) -> None:
    data = (
        json.dumps({"name": "Maria Lopez", "ssn": SSN})
        + "\n"
        + json.dumps({"note": "nothing here"})
        + "\n"
    ).encode()
    new, _ = protect("s.jsonl", data, cipher)
    assert new is not None
    assert new.splitlines()[1] == data.splitlines()[1]
    assert json.loads(new.splitlines()[0])["name"] == "Maria Lopez"
    assert restore("s.jsonl", new, cipher) == (data, 1)


def test_what_redaction_left_is_not_protected_again() -> None:
    redacted = (
        "Check for Lisa Jones: SSN: *****3995, DL # *****8510 issued in Arkansas.\n"
    )
    assert protect("a.txt", redacted.encode(), Redactor())[0] is None
    bare = redacted.replace("*****8510", "8510")
    _, job = protect("a.txt", bare.encode(), Redactor())
    assert ("DRIVER_LICENSE", "redacted") in actions(job)
