"""Keyed fingerprints: count distinct values without keeping them.

A fingerprint is HMAC-SHA256 over the element name and the normalised value, with
a key that belongs to the district. Without the key nobody can test a guessed SSN
against a stored fingerprint, which a plain hash of a 9-digit number would allow.
"""

from __future__ import annotations

import base64
import binascii
import functools
import hashlib
import os
import secrets
from pathlib import Path
from typing import Final

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


# HMAC (RFC 2104) hashes the key XOR-ed with an inner pad, then the message;
# then the key XOR-ed with an outer pad, then that inner digest.
_BLOCK: Final = 64  # SHA-256's block size
_INNER_PAD: Final = bytes(byte ^ 0x36 for byte in range(256))
_OUTER_PAD: Final = bytes(byte ^ 0x5C for byte in range(256))


@functools.lru_cache(maxsize=8)
def _pads(key: bytes) -> tuple[hashlib._Hash, hashlib._Hash]:
    """Return SHA-256 states that have taken the key's inner and outer pads.

    A dense file has a fingerprint per finding: starting each from copies of
    these states, not from the key, makes one cost a third as much (a scan has
    one key).
    """
    if len(key) > _BLOCK:
        key = hashlib.sha256(key).digest()
    block = key.ljust(_BLOCK, b"\0")
    return (
        hashlib.sha256(block.translate(_INNER_PAD)),
        hashlib.sha256(block.translate(_OUTER_PAD)),
    )


def fingerprint(key: bytes, element: str, normalised: str) -> str:
    """Return the keyed fingerprint of a normalised value (32 hex characters):
    HMAC-SHA256 of ``element``, a unit separator and ``normalised``."""
    inner_start, outer_start = _pads(key)
    inner = inner_start.copy()
    inner.update(f"{element}\x1f{normalised}".encode())
    outer = outer_start.copy()
    outer.update(inner.digest())
    return outer.hexdigest()[:32]
