from __future__ import annotations

import hmac
import stat
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from districtguard.pii.fingerprint import FingerprintKeyError, fingerprint, load_key


def test_creates_a_private_key_file_on_first_use(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("DISTRICTGUARD_FINGERPRINT_KEY", raising=False)
    monkeypatch.delenv("DISTRICTGUARD_FINGERPRINT_KEY_FILE", raising=False)
    monkeypatch.setenv("DISTRICTGUARD_HOME", str(tmp_path / "home"))
    key = load_key()
    path = tmp_path / "home" / "fingerprint.key"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert load_key() == key and len(key) == 32


def test_key_from_environment_wins(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DISTRICTGUARD_FINGERPRINT_KEY", "ab" * 16)
    assert load_key() == bytes.fromhex("ab" * 16)


@pytest.mark.parametrize("value", ["abcd", "not a key!!"])
def test_rejects_short_or_malformed_keys(
    value: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DISTRICTGUARD_FINGERPRINT_KEY", value)
    with pytest.raises(FingerprintKeyError):
        load_key()


def test_missing_named_key_file_is_an_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("DISTRICTGUARD_FINGERPRINT_KEY", raising=False)
    monkeypatch.setenv("DISTRICTGUARD_FINGERPRINT_KEY_FILE", str(tmp_path / "none"))
    with pytest.raises(FingerprintKeyError, match="does not exist"):
        load_key()


def test_fingerprint_depends_on_key_element_and_value() -> None:
    base = fingerprint(b"k" * 32, "SSN", "234567891")
    assert base != fingerprint(b"j" * 32, "SSN", "234567891")
    assert base != fingerprint(b"k" * 32, "BANK_ACCOUNT", "234567891")
    assert base != fingerprint(b"k" * 32, "SSN", "234567892")
    assert len(base) == 32 and "234567891" not in base


@settings(max_examples=300, deadline=None)
@given(
    st.binary(max_size=64) | st.binary(min_size=65, max_size=200),
    st.sampled_from(["SSN", "PERSON_NAME"]),
    st.text(),
)
@example(b"k" * 64, "SSN", "123456789").via("a key of one block")
@example(b"k" * 65, "SSN", "123456789").via("a key longer than a block")
def test_fingerprint_is_hmac_sha256_of_the_element_and_the_value(
    key: bytes, element: str, value: str
) -> None:
    """Keys shorter and longer than SHA-256's block (a longer one is hashed
    first), any value: the standard library's HMAC says the same."""
    message = f"{element}\x1f{value}".encode()
    expected = hmac.digest(key, message, "sha256").hex()[:32]
    assert fingerprint(key, element, value) == expected
