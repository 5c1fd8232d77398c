"""``districtguard keys`` through the real entry point, in a temporary data home."""

from __future__ import annotations

import base64
import json
import secrets
from pathlib import Path

import pytest

from districtguard.cli import EXIT_OK, EXIT_USAGE, main
from districtguard.pii.elements import Element
from districtguard.pii.protection.cipher import ValueCipher
from districtguard.pii.protection.keys import KEK_ENV, KEK_FILE_ENV, KeyRing
from tests.pii.protection.keyhelp import isolate_home


@pytest.fixture
def home(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    return isolate_home(monkeypatch, tmp_path / "home")


def _key_material(home: Path) -> list[str]:
    """Every secret and wrapped key on disk, as text that must never be printed."""
    texts = [(home / "kek.key").read_text().strip()]
    document = json.loads((home / "keyring.json").read_text())
    texts.extend(entry["wrapped"] for entry in document["keys"])
    ring = KeyRing.load()
    for info in ring.list():
        key = ring.data_key(info.kid)
        texts += [key.hex(), base64.b64encode(key).decode()]
    return texts


def test_create_list_rotate_and_rewrap(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["keys", "create"]) == EXIT_OK
    created = capsys.readouterr().out
    first = KeyRing.read_info()[0]
    assert first.kid in created and "Back up the key-encryption key" in created
    token = ValueCipher(KeyRing.load()).protect(Element.SSN, "234-56-7891")

    assert main(["keys", "rotate"]) == EXIT_OK
    rotated = capsys.readouterr().out
    second = KeyRing.load().active()
    assert f"New active data key {second.kid}; {first.kid} is retired" in rotated

    assert main(["keys", "rotate", "--rewrap"]) == EXIT_OK
    rewrapped = capsys.readouterr().out
    assert "no protected file was touched" in rewrapped
    third = KeyRing.load().active()
    assert third.kek != first.kek

    assert main(["keys", "list"]) == EXIT_OK
    listing = capsys.readouterr().out
    lines = listing.splitlines()
    assert lines[0].split() == ["KID", "STATE", "CREATED", "WRAPPED", "BY", "KEK"]
    rows = [line.split() for line in lines[1:4]]
    assert [(r[0], r[1], r[3]) for r in rows] == [
        (first.kid, "retired", third.kek),
        (second.kid, "retired", third.kek),
        (third.kid, "active", third.kek),
    ]
    assert f"Key-encryption key in use: {third.kek}" in listing

    everything = created + rotated + rewrapped + listing
    for secret in _key_material(home):
        assert secret not in everything
    assert ValueCipher(KeyRing.load()).decrypt_token(token)[1] == "234-56-7891"


def test_list_as_json(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    main(["keys", "create"])
    capsys.readouterr()
    assert main(["keys", "list", "--format", "json"]) == EXIT_OK
    document = json.loads(capsys.readouterr().out)
    info = KeyRing.read_info()[0]
    assert document == {
        "kek_in_use": info.kek,
        "keys": [
            {
                "kid": info.kid,
                "state": "active",
                "created": info.created,
                "kek": info.kek,
            }
        ],
    }


def test_list_and_rotate_without_a_keyring_say_to_create_one(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for command in (["keys", "list"], ["keys", "rotate"]):
        assert main(command) == EXIT_USAGE
        assert "run `districtguard keys create`" in capsys.readouterr().err


def test_create_twice_is_a_usage_error(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["keys", "create"]) == EXIT_OK
    assert main(["keys", "create"]) == EXIT_USAGE
    assert "already exists" in capsys.readouterr().err


def test_a_kek_file_open_to_others_is_refused(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    main(["keys", "create"])
    (home / "kek.key").chmod(0o644)
    assert main(["keys", "rotate"]) == EXIT_USAGE
    assert "chmod 600" in capsys.readouterr().err
    assert len(KeyRing.read_info()) == 1


def test_a_wrong_kek_is_reported_by_list_and_refused_by_rotate(
    home: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    main(["keys", "create"])
    monkeypatch.setenv(KEK_ENV, base64.b64encode(secrets.token_bytes(32)).decode())
    capsys.readouterr()
    assert main(["keys", "list"]) == EXIT_OK
    assert "does not open the keyring" in capsys.readouterr().out
    assert main(["keys", "rotate"]) == EXIT_USAGE
    assert "wrapped by key-encryption key" in capsys.readouterr().err


def test_rewrap_with_a_kek_from_the_environment_needs_a_new_kek_file(
    home: Path,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv(KEK_ENV, base64.b64encode(secrets.token_bytes(32)).decode())
    assert main(["keys", "create"]) == EXIT_OK
    assert not (home / "kek.key").exists()
    assert main(["keys", "rotate", "--rewrap"]) == EXIT_USAGE
    assert "--new-kek-file" in capsys.readouterr().err

    new_file = tmp_path / "vault" / "new.kek"
    assert (
        main(["keys", "rotate", "--rewrap", "--new-kek-file", str(new_file)]) == EXIT_OK
    )
    assert f"Point {KEK_FILE_ENV} at {new_file}" in capsys.readouterr().out
    assert new_file.stat().st_mode & 0o777 == 0o600
    monkeypatch.delenv(KEK_ENV)
    monkeypatch.setenv(KEK_FILE_ENV, str(new_file))
    assert len(KeyRing.load().list()) == 2


def test_new_kek_file_without_rewrap_is_a_usage_error(
    home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    main(["keys", "create"])
    assert main(["keys", "rotate", "--new-kek-file", str(tmp_path / "k")]) == EXIT_USAGE
    assert "goes with --rewrap" in capsys.readouterr().err


def test_keys_without_an_action_is_a_usage_error(home: Path) -> None:
    assert main(["keys"]) == EXIT_USAGE
