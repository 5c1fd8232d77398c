"""Value encryption: round trips, tamper detection, keys, and the restorer."""

from __future__ import annotations

import base64
import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from districtguard.pii.elements import Element
from districtguard.pii.protection.base import (
    ProtectionError,
    TokenRestorer,
    ValueProtector,
)
from districtguard.pii.protection.cipher import TokenError, ValueCipher
from districtguard.pii.protection.keys import KeyRing
from districtguard.pii.protection.tokens import decode_token, encode_token
from tests.pii.protection.keyhelp import make_ring

SSN = "234-56-7891"


@pytest.fixture
def ring(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> KeyRing:
    return make_ring(monkeypatch, tmp_path / "home")


@pytest.fixture
def cipher(ring: KeyRing) -> ValueCipher:
    return ValueCipher(ring)


@settings(
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(element=st.sampled_from(list(Element)), raw=st.text())
def test_decrypt_of_encrypt_gives_the_value_back(
    cipher: ValueCipher, element: Element, raw: str
) -> None:
    token = cipher.protect(element, raw)
    assert cipher.decrypt_token(token) == (element, raw)
    assert cipher.restore(f"a {token} b") == (f"a {raw} b", 1)


def test_the_same_value_gives_a_different_token_each_time(cipher: ValueCipher) -> None:
    assert cipher.protect(Element.SSN, SSN) != cipher.protect(Element.SSN, SSN)


def test_a_token_does_not_contain_the_value(cipher: ValueCipher) -> None:
    token = cipher.protect(Element.SSN, SSN)
    assert "7891" not in token and "234" not in token.split(".")[1]


def test_cipher_is_a_protector_and_a_restorer(cipher: ValueCipher) -> None:
    protector: ValueProtector = cipher
    restorer: TokenRestorer = cipher
    assert protector.mode == "encrypt"
    text = "name,ssn\nA,{}\nB,{}\n".format(
        protector.protect(Element.SSN, SSN),
        protector.protect(Element.SSN, "345-67-8912"),
    )
    assert restorer.restore(text) == (f"name,ssn\nA,{SSN}\nB,345-67-8912\n", 2)


def test_restore_leaves_text_without_tokens_alone(cipher: ValueCipher) -> None:
    assert cipher.restore("nothing to see, dgp1 mentioned") == (
        "nothing to see, dgp1 mentioned",
        0,
    )


def _flip(token: str, index: int) -> str:
    parts = decode_token(token)
    raw = bytearray(parts.nonce + parts.sealed)
    raw[index] ^= 1
    return encode_token(parts.kid, parts.element, bytes(raw[:12]), bytes(raw[12:]))


@pytest.mark.parametrize("index", [0, 11, 12, 20, -1])
def test_a_flipped_byte_fails_without_showing_data(
    cipher: ValueCipher, index: int
) -> None:
    token = cipher.protect(Element.SSN, SSN)
    with pytest.raises(TokenError, match="fails authentication") as caught:
        cipher.decrypt_token(_flip(token, index))
    assert "7891" not in str(caught.value)


def test_a_token_relabelled_as_another_element_fails(cipher: ValueCipher) -> None:
    token = cipher.protect(Element.SSN, SSN)
    relabelled = token[:-1] + "B"
    with pytest.raises(TokenError, match="BANK_ACCOUNT token"):
        cipher.decrypt_token(relabelled)


def test_a_token_moved_to_another_key_id_fails(ring: KeyRing) -> None:
    old = ValueCipher(ring).protect(Element.SSN, SSN)
    ring.rotate()
    cipher = ValueCipher(ring)
    new_kid = ring.active().kid
    moved = old.replace(old.split(".")[1], new_kid)
    with pytest.raises(TokenError, match="fails authentication"):
        cipher.decrypt_token(moved)
    assert cipher.decrypt_token(old) == (Element.SSN, SSN)


def test_a_token_from_an_unknown_key_is_a_clear_error(cipher: ValueCipher) -> None:
    token = encode_token("zzzzzzzz", Element.SSN, os.urandom(12), os.urandom(30))
    with pytest.raises(TokenError, match="data key zzzzzzzz is not in the keyring"):
        cipher.restore(f"x {token}")


def test_a_token_from_another_keyring_fails(
    cipher: ValueCipher, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    other = ValueCipher(make_ring(monkeypatch, tmp_path / "other"))
    token = other.protect(Element.SSN, SSN)
    with pytest.raises(TokenError):
        cipher.decrypt_token(token)


def test_restore_fails_whole_when_one_token_is_bad(cipher: ValueCipher) -> None:
    good = cipher.protect(Element.SSN, SSN)
    bad = _flip(cipher.protect(Element.SSN, SSN), 30)
    with pytest.raises(ProtectionError):
        cipher.restore(f"{good} {bad}")


def test_raw_key_never_appears_in_a_token(ring: KeyRing, cipher: ValueCipher) -> None:
    key = base64.urlsafe_b64encode(ring.data_key(ring.active().kid)).decode()
    assert key[:16] not in cipher.protect(Element.SSN, SSN)


def _nonce(token: str) -> bytes:
    return decode_token(token).nonce


def test_nonces_do_not_repeat_across_buffer_refills(cipher: ValueCipher) -> None:
    nonces = {_nonce(cipher.protect(Element.SSN, SSN)) for _ in range(10_000)}
    assert len(nonces) == 10_000


def test_a_forked_child_never_reuses_the_parents_nonces(cipher: ValueCipher) -> None:
    cipher.protect(Element.SSN, SSN)  # fill the nonce buffer before the fork
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: report its next nonce and leave at once
        os.write(write_end, _nonce(cipher.protect(Element.SSN, SSN)))
        os._exit(0)
    os.close(write_end)
    child = os.read(read_end, 64)
    os.close(read_end)
    os.waitpid(pid, 0)
    assert len(child) == 12
    assert child != _nonce(cipher.protect(Element.SSN, SSN))
