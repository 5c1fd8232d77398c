"""Keys: the KEK kept apart and private, the keyring, rotation and re-wrapping."""

from __future__ import annotations

import base64
import json
import secrets
from pathlib import Path

import pytest

from districtguard.pii.elements import Element
from districtguard.pii.protection.base import ProtectionError
from districtguard.pii.protection.cipher import ValueCipher
from districtguard.pii.protection.keys import (
    KEK_ENV,
    KEK_FILE_ENV,
    KeyRing,
    KeySetupError,
    MissingKeyError,
    WrongKeyError,
    load_kek,
    write_kek_file,
)
from tests.pii.protection.keyhelp import isolate_home, make_ring

SSN = "234-56-7891"


@pytest.fixture
def home(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    return isolate_home(monkeypatch, tmp_path / "home")


def test_create_makes_a_private_kek_file_and_a_keyring(home: Path) -> None:
    ring = KeyRing.create()
    assert (home / "kek.key").stat().st_mode & 0o777 == 0o600
    assert (home / "keyring.json").stat().st_mode & 0o777 == 0o600
    assert [info.state for info in ring.list()] == ["active"]
    assert ring.active().kek == ring.kek.kid


def test_the_keyring_holds_no_key_in_the_clear(home: Path) -> None:
    ring = KeyRing.create()
    text = (home / "keyring.json").read_text()
    key = ring.data_key(ring.active().kid)
    assert base64.urlsafe_b64encode(key).decode() not in text
    assert base64.b64encode(key).decode() not in text
    assert key.hex() not in text
    assert "key=" not in repr(ring.kek)


def test_create_twice_is_refused(home: Path) -> None:
    KeyRing.create()
    with pytest.raises(KeySetupError, match="already exists"):
        KeyRing.create()


def test_a_missing_keyring_says_to_run_keys_create(home: Path) -> None:
    with pytest.raises(MissingKeyError, match="districtguard keys create"):
        KeyRing.load()


def test_a_missing_kek_says_to_run_keys_create(home: Path) -> None:
    KeyRing.create()
    (home / "kek.key").unlink()
    with pytest.raises(MissingKeyError, match="districtguard keys create"):
        KeyRing.load()


def test_a_wrong_kek_is_a_clear_error_never_garbage(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    KeyRing.create()
    monkeypatch.setenv(KEK_ENV, base64.b64encode(secrets.token_bytes(32)).decode())
    with pytest.raises(WrongKeyError, match="wrapped by key-encryption key"):
        KeyRing.load()


def test_an_altered_keyring_entry_fails_authentication(home: Path) -> None:
    KeyRing.create()
    path = home / "keyring.json"
    document = json.loads(path.read_text())
    wrapped = bytearray(base64.urlsafe_b64decode(document["keys"][0]["wrapped"]))
    wrapped[20] ^= 1
    document["keys"][0]["wrapped"] = base64.urlsafe_b64encode(wrapped).decode()
    path.write_text(json.dumps(document))
    with pytest.raises(WrongKeyError, match="altered"):
        KeyRing.load()


def test_a_wrapped_key_cannot_move_to_another_id(home: Path) -> None:
    ring = KeyRing.create()
    ring.rotate()
    path = home / "keyring.json"
    document = json.loads(path.read_text())
    first, second = document["keys"]
    first["wrapped"], second["wrapped"] = second["wrapped"], first["wrapped"]
    path.write_text(json.dumps(document))
    with pytest.raises(WrongKeyError):
        KeyRing.load()


@pytest.mark.parametrize(
    "content",
    [
        "{not json",
        '{"format": "other"}',
        '{"format": "districtguard-keyring", "version": 9, "keys": []}',
    ],
)
def test_a_malformed_keyring_is_a_clear_error(home: Path, content: str) -> None:
    KeyRing.create()
    (home / "keyring.json").write_text(content)
    with pytest.raises(KeySetupError):
        KeyRing.load()


@pytest.mark.parametrize("mode", [0o640, 0o604, 0o644, 0o660])
def test_a_kek_file_open_to_others_is_refused(home: Path, mode: int) -> None:
    KeyRing.create()
    (home / "kek.key").chmod(mode)
    with pytest.raises(KeySetupError, match="chmod 600"):
        KeyRing.load()


def test_kek_from_the_environment(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    key = secrets.token_bytes(32)
    monkeypatch.setenv(KEK_ENV, base64.b64encode(key).decode())
    ring = KeyRing.create()
    assert not (home / "kek.key").exists()
    assert ring.kek.source == f"environment {KEK_ENV}"
    token = ValueCipher(ring).protect(Element.SSN, SSN)
    assert ValueCipher(KeyRing.load()).decrypt_token(token) == (Element.SSN, SSN)


@pytest.mark.parametrize("value", ["not base64!", base64.b64encode(b"short").decode()])
def test_a_malformed_kek_in_the_environment_is_refused(
    home: Path, monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    monkeypatch.setenv(KEK_ENV, value)
    with pytest.raises(KeySetupError, match=KEK_ENV):
        load_kek()


def test_kek_from_a_named_file(
    home: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    kek_path = tmp_path / "vault" / "district.kek"
    write_kek_file(kek_path)
    monkeypatch.setenv(KEK_FILE_ENV, str(kek_path))
    ring = KeyRing.create()
    assert ring.kek.path == kek_path
    assert not (home / "kek.key").exists()
    kek_path.chmod(0o644)
    with pytest.raises(KeySetupError, match="group or others"):
        KeyRing.load()


def test_a_named_kek_file_that_is_missing_is_not_created(
    home: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv(KEK_FILE_ENV, str(tmp_path / "nowhere.kek"))
    with pytest.raises(MissingKeyError):
        KeyRing.create()
    assert not (tmp_path / "nowhere.kek").exists()


def test_keys_inside_the_tree_being_protected_are_refused(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    share = tmp_path / "share"
    make_ring(monkeypatch, share / ".districtguard")
    with pytest.raises(KeySetupError, match="inside"):
        KeyRing.load(protected=[share])
    assert KeyRing.load(protected=[tmp_path / "elsewhere"]).active()


def test_a_kek_file_inside_the_tree_is_refused_even_with_the_keyring_outside(
    home: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    share = tmp_path / "share"
    kek_path = share / "kek.key"
    write_kek_file(kek_path)
    monkeypatch.setenv(KEK_FILE_ENV, str(kek_path))
    KeyRing.create()
    with pytest.raises(KeySetupError, match="inside"):
        KeyRing.load(protected=[share])


def test_rotation_keeps_old_tokens_and_seals_new_ones_with_the_new_key(
    home: Path,
) -> None:
    ring = KeyRing.create()
    first = ring.active().kid
    old = ValueCipher(ring).protect(Element.SSN, SSN)
    new_info = ring.rotate()
    ring = KeyRing.load()
    assert ring.active() == new_info and new_info.kid != first
    assert {i.kid: i.state for i in ring.list()} == {
        first: "retired",
        new_info.kid: "active",
    }
    cipher = ValueCipher(ring)
    new = cipher.protect(Element.SSN, SSN)
    assert new.split(".")[1] == new_info.kid
    assert cipher.restore(f"{old} {new}") == (f"{SSN} {SSN}", 2)


def test_rewrap_moves_to_a_new_kek_and_tokens_stay_valid(home: Path) -> None:
    ring = KeyRing.create()
    old_kek = ring.kek.kid
    old_kek_text = (home / "kek.key").read_text()
    token = ValueCipher(ring).protect(Element.SSN, SSN)
    info = ring.rotate(rewrap=True)
    assert info.kek != old_kek
    assert (home / "kek.key").read_text() != old_kek_text
    assert (home / "kek.key").stat().st_mode & 0o777 == 0o600
    assert not (home / "kek.key.new").exists()
    reloaded = KeyRing.load()
    assert {i.kek for i in reloaded.list()} == {info.kek}
    assert ValueCipher(reloaded).decrypt_token(token) == (Element.SSN, SSN)


def test_rewrap_with_a_given_kek_from_the_environment(
    home: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv(KEK_ENV, base64.b64encode(secrets.token_bytes(32)).decode())
    ring = KeyRing.create()
    token = ValueCipher(ring).protect(Element.SSN, SSN)
    with pytest.raises(KeySetupError, match="give the new one"):
        ring.rotate(rewrap=True)
    new = write_kek_file(tmp_path / "new.kek")
    ring.rotate(rewrap=True, new_kek=new)
    with pytest.raises(WrongKeyError):
        KeyRing.load()  # the environment still holds the old KEK
    monkeypatch.delenv(KEK_ENV)
    monkeypatch.setenv(KEK_FILE_ENV, str(new.path))
    assert ValueCipher(KeyRing.load()).decrypt_token(token) == (Element.SSN, SSN)


def test_a_kek_swap_cut_short_by_a_crash_is_finished_on_load(home: Path) -> None:
    """The keyring was rewritten under the new KEK but the file swap never ran."""
    ring = KeyRing.create()
    token = ValueCipher(ring).protect(Element.SSN, SSN)
    old_kek = (home / "kek.key").read_bytes()
    ring.rotate(rewrap=True)
    # Put the state back to "new KEK written beside, keyring rewritten, not swapped".
    (home / "kek.key").rename(home / "kek.key.new")
    (home / "kek.key").write_bytes(old_kek)
    (home / "kek.key").chmod(0o600)
    reloaded = KeyRing.load()
    assert not (home / "kek.key.new").exists()
    assert ValueCipher(reloaded).decrypt_token(token) == (Element.SSN, SSN)


def test_a_stale_new_kek_from_a_crash_before_the_keyring_is_dropped(home: Path) -> None:
    ring = KeyRing.create()
    write_kek_file(home / "kek.key.new")  # crash right after writing it
    assert KeyRing.load().active() == ring.active()
    assert not (home / "kek.key.new").exists()


def test_unknown_data_key_is_a_clear_error(home: Path) -> None:
    ring = KeyRing.create()
    with pytest.raises(ProtectionError, match="not in the keyring"):
        ring.data_key("zzzzzzzz")


def test_read_info_needs_no_kek(home: Path) -> None:
    ring = KeyRing.create()
    (home / "kek.key").unlink()
    assert KeyRing.read_info() == ring.list()
