"""Keyed fingerprints: count distinct values without keeping them.

A fingerprint is HMAC-SHA256 over the element name and the normalised value, with
a key that belongs to the district. Without the key nobody can test a guessed SSN
against a stored fingerprint, which a plain hash of a 9-digit number would allow.
"""

from __future__ import annotations

import base64
import binascii
import hmac
import os
import secrets
from pathlib import Path

KEY_ENV = "DISTRICTGUARD_FINGERPRINT_KEY"
KEY_FILE_ENV = "DISTRICTGUARD_FINGERPRINT_KEY_FILE"
HOME_ENV = "DISTRICTGUARD_HOME"
KEY_BYTES = 32


class FingerprintKeyError(Exception):
    """The fingerprint key is missing, unreadable or malformed."""


def data_home() -> Path:
    """Return the directory where DistrictGuard keeps its data and keys."""
    configured = os.environ.get(HOME_ENV)
    if configured:
        return Path(configured).expanduser()
    xdg = os.environ.get("XDG_DATA_HOME")
    base = Path(xdg).expanduser() if xdg else Path.home() / ".local" / "share"
    return base / "districtguard"


def _decode_key(text: str, where: str) -> bytes:
    text = text.strip()
    try:
        key = bytes.fromhex(text)
    except ValueError:
        try:
            key = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
        except (binascii.Error, ValueError):
            raise FingerprintKeyError(f"{where} is neither hex nor base64") from None
    if len(key) < 16:
        raise FingerprintKeyError(
            f"{where} holds {len(key)} bytes; at least 16 are needed"
        )
    return key


def load_key(create: bool = True) -> bytes:
    """Return the district's fingerprint key from the environment or its key file.

    Order: ``DISTRICTGUARD_FINGERPRINT_KEY`` (hex or base64), then the file named by
    ``DISTRICTGUARD_FINGERPRINT_KEY_FILE``, then ``fingerprint.key`` in the data
    home, created with mode 0600 on first use when ``create`` is true.
    """
    value = os.environ.get(KEY_ENV)
    if value:
        return _decode_key(value, KEY_ENV)
    named = os.environ.get(KEY_FILE_ENV)
    path = Path(named).expanduser() if named else data_home() / "fingerprint.key"
    try:
        return _decode_key(path.read_text(encoding="ascii"), str(path))
    except FileNotFoundError:
        if named or not create:
            raise FingerprintKeyError(
                f"fingerprint key file {path} does not exist"
            ) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise FingerprintKeyError(
            f"cannot read fingerprint key file {path}: {exc}"
        ) from None
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    key = secrets.token_bytes(KEY_BYTES)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as handle:
        handle.write(key.hex() + "\n")
    return key


def fingerprint(key: bytes, element: str, normalised: str) -> str:
    """Return the keyed fingerprint of a normalised value (32 hex characters)."""
    message = f"{element}\x1f{normalised}".encode()
    return hmac.digest(key, message, "sha256").hex()[:32]
