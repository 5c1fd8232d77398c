"""Keys: data keys in a keyring, each wrapped by a key-encryption key (KEK).

Data keys (AES-256) seal values and files. The keyring (``keyring.json`` in the
data home) holds them wrapped: AES-256-GCM under the KEK with the key id as
associated data, so a wrapped key cannot be moved to another id. The KEK is the
one secret to keep apart from the data, from the first of:

1. ``DISTRICTGUARD_KEK``: the key in base64 (32 bytes);
2. ``DISTRICTGUARD_KEK_FILE``: a file holding that text;
3. ``kek.key`` in the data home, made by ``districtguard keys create``.

A KEK file must be readable by its owner only and must not lie inside a tree
being protected. Rotating makes a new active data key; old ones stay (retired)
so old tokens keep decrypting. Re-wrapping puts every data key under a new KEK
without touching any protected data.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import fcntl
import hashlib
import json
import os
import secrets
import stat
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from districtguard.pii.fingerprint import data_home
from districtguard.pii.protection.base import ProtectionError

KEK_ENV = "DISTRICTGUARD_KEK"
KEK_FILE_ENV = "DISTRICTGUARD_KEK_FILE"
KEK_FILENAME = "kek.key"
KEYRING_FILENAME = "keyring.json"
KEY_BYTES = 32
KEYRING_FORMAT = "districtguard-keyring"
KEYRING_VERSION = 1
_WRAP_AD = b"districtguard keyring v1\x00"
_KEK_ID_AD = b"districtguard kek id\x00"

KeyState = Literal["active", "retired"]


class KeySetupError(ProtectionError):
    """A key or the keyring is missing, unreadable, badly kept or malformed."""


class MissingKeyError(KeySetupError):
    """There is no key-encryption key or no keyring yet."""


class WrongKeyError(KeySetupError):
    """The key-encryption key in use does not open the keyring."""


def new_kid() -> str:
    """Return a fresh random key id (8 characters of ``a-z2-7``)."""
    return base64.b32encode(secrets.token_bytes(5)).decode("ascii").lower()


def kek_id(key: bytes) -> str:
    """Return the public id of a KEK: a one-way digest, safe to show and store."""
    digest = hashlib.sha256(_KEK_ID_AD + key).digest()
    return base64.b32encode(digest[:5]).decode("ascii").lower()


@dataclass(frozen=True, slots=True)
class Kek:
    """A key-encryption key and where it came from (never its value in ``repr``)."""

    key: bytes = field(repr=False)
    source: str
    path: Path | None = None

    @property
    def kid(self) -> str:
        """Return the KEK's public id."""
        return kek_id(self.key)


def _decode_kek(text: str, where: str) -> bytes:
    text = text.strip()
    try:
        key = base64.b64decode(
            text.replace("-", "+").replace("_", "/") + "=" * (-len(text) % 4),
            validate=True,
        )
    except (binascii.Error, ValueError):
        raise KeySetupError(f"{where} is not base64") from None
    if len(key) != KEY_BYTES:
        raise KeySetupError(
            f"{where} holds {len(key)} bytes; a key-encryption key is {KEY_BYTES}"
        )
    return key


def read_kek_file(path: Path) -> Kek:
    """Return the KEK in ``path``, refusing a file others can read."""
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):
            raise KeySetupError(f"key file {path} is not a regular file")
        if info.st_mode & 0o077:
            mode = stat.S_IMODE(info.st_mode)
            raise KeySetupError(
                f"key file {path} is open to group or others (mode {mode:o}); "
                f"run: chmod 600 {path}"
            )
        text = path.read_text(encoding="ascii")
    except FileNotFoundError:
        raise MissingKeyError(
            f"key file {path} does not exist; run `districtguard keys create`"
        ) from None
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) else "not text"
        raise KeySetupError(f"cannot read key file {path}: {reason}") from None
    return Kek(_decode_kek(text, f"key file {path}"), f"file {path}", path)


def write_kek_file(path: Path) -> Kek:
    """Make a new random KEK in ``path`` (mode 0600); refuse to overwrite one."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    key = secrets.token_bytes(KEY_BYTES)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        raise KeySetupError(f"key file {path} already exists") from None
    with os.fdopen(fd, "w", encoding="ascii") as handle:
        handle.write(base64.b64encode(key).decode("ascii") + "\n")
        handle.flush()
        os.fsync(handle.fileno())
    _fsync_dir(path.parent)
    return Kek(key, f"file {path}", path)


def default_kek_path(home: Path | None = None) -> Path:
    """Return where ``keys create`` keeps the KEK when the environment names none."""
    return (home or data_home()) / KEK_FILENAME


def load_kek(home: Path | None = None) -> Kek:
    """Return the KEK from the environment, the named file or the data home."""
    value = os.environ.get(KEK_ENV)
    if value:
        return Kek(_decode_kek(value, KEK_ENV), f"environment {KEK_ENV}")
    named = os.environ.get(KEK_FILE_ENV)
    if named:
        return read_kek_file(Path(named).expanduser())
    return read_kek_file(default_kek_path(home))


def kek_is_default_file(kek: Kek, home: Path | None = None) -> bool:
    """Return whether ``kek`` lives in the data home's own key file."""
    return kek.path is not None and kek.path == default_kek_path(home)


@dataclass(frozen=True, slots=True)
class KeyInfo:
    """What may be shown about a data key: never the key itself."""

    kid: str
    state: KeyState
    created: str
    kek: str


@dataclass(frozen=True, slots=True)
class _Entry:
    info: KeyInfo
    wrapped: bytes = field(repr=False)


def _wrap(kek: Kek, kid: str, key: bytes) -> bytes:
    nonce = secrets.token_bytes(12)
    return nonce + AESGCM(kek.key).encrypt(nonce, key, _WRAP_AD + kid.encode())


def _unwrap(kek: Kek, entry: _Entry) -> bytes:
    kid = entry.info.kid
    if entry.info.kek != kek.kid:
        raise WrongKeyError(
            f"data key {kid} is wrapped by key-encryption key {entry.info.kek}, "
            f"but the key-encryption key in use ({kek.source}) is {kek.kid}"
        )
    try:
        key = AESGCM(kek.key).decrypt(
            entry.wrapped[:12], entry.wrapped[12:], _WRAP_AD + kid.encode()
        )
    except InvalidTag:
        raise WrongKeyError(
            f"data key {kid} does not open with key-encryption key {kek.kid}: "
            "the keyring was altered or the key is wrong"
        ) from None
    if len(key) != KEY_BYTES:
        raise KeySetupError(f"data key {kid} has the wrong length")
    return key


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def _fsync_dir(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_atomic(path: Path, data: bytes, mode: int = 0o600) -> None:
    """Write ``data`` to ``path`` so a crash leaves the old file or the new one."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        tmp.replace(path)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    _fsync_dir(path.parent)


@contextlib.contextmanager
def _locked(home: Path) -> Iterator[None]:
    """Hold the keyring's lock: two rotations at once must not lose a key."""
    home.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd = os.open(home / ".keyring.lock", os.O_WRONLY | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


def _parse_keyring(path: Path) -> list[_Entry]:
    try:
        document = json.loads(path.read_bytes())
    except FileNotFoundError:
        raise MissingKeyError(
            f"no keyring at {path}; run `districtguard keys create` first"
        ) from None
    except OSError as exc:
        raise KeySetupError(f"cannot read keyring {path}: {exc.strerror}") from None
    except ValueError:
        raise KeySetupError(f"keyring {path} is not valid JSON") from None
    if (
        not isinstance(document, dict)
        or document.get("format") != KEYRING_FORMAT
        or not isinstance(document.get("keys"), list)
    ):
        raise KeySetupError(f"{path} is not a DistrictGuard keyring")
    if document.get("version") != KEYRING_VERSION:
        raise KeySetupError(
            f"keyring {path} has version {document.get('version')!r}; "
            f"this DistrictGuard reads version {KEYRING_VERSION}"
        )
    entries: list[_Entry] = []
    for number, item in enumerate(document["keys"], 1):
        try:
            info = KeyInfo(
                str(item["kid"]), item["state"], str(item["created"]), str(item["kek"])
            )
            wrapped = base64.urlsafe_b64decode(str(item["wrapped"]))
        except (KeyError, TypeError, binascii.Error, ValueError):
            raise KeySetupError(f"keyring {path}: key {number} is malformed") from None
        if info.state not in ("active", "retired"):
            raise KeySetupError(f"keyring {path}: key {number} has an unknown state")
        entries.append(_Entry(info, wrapped))
    if sum(entry.info.state == "active" for entry in entries) != 1:
        raise KeySetupError(f"keyring {path} must have exactly one active key")
    return entries


def _dump_keyring(entries: Sequence[_Entry]) -> bytes:
    document: dict[str, Any] = {
        "format": KEYRING_FORMAT,
        "version": KEYRING_VERSION,
        "keys": [
            {
                "kid": e.info.kid,
                "state": e.info.state,
                "created": e.info.created,
                "kek": e.info.kek,
                "wrapped": base64.urlsafe_b64encode(e.wrapped).decode("ascii"),
            }
            for e in entries
        ],
    }
    return (json.dumps(document, indent=2) + "\n").encode("utf-8")


def _inside(path: Path, root: Path) -> bool:
    try:
        path.resolve().relative_to(root.resolve())
    except (ValueError, OSError):
        return False
    return True


class KeyRing:
    """The data keys, unwrapped on demand with the KEK."""

    def __init__(self, path: Path, kek: Kek, entries: list[_Entry]) -> None:
        self.path = path
        self.kek = kek
        self._entries = entries
        self._keys: dict[str, bytes] = {}

    @property
    def home(self) -> Path:
        """Return the directory holding the keyring."""
        return self.path.parent

    @classmethod
    def load(
        cls,
        home: Path | None = None,
        *,
        kek: Kek | None = None,
        protected: Sequence[Path] = (),
    ) -> KeyRing:
        """Open the keyring in ``home`` (the data home by default) with the KEK.

        ``protected`` names the trees about to be protected: a key file or the
        keyring inside one of them is refused, since protecting data with a key
        kept beside it protects nothing. The active key is unwrapped at once, so
        a wrong KEK fails here with :class:`WrongKeyError`.
        """
        home = home or data_home()
        path = home / KEYRING_FILENAME
        entries = _parse_keyring(path)
        if kek is None:
            kek = _finish_kek_swap(home, entries) or load_kek(home)
        ring = cls(path, kek, entries)
        ring.check_outside(protected)
        ring.data_key(ring.active().kid)
        return ring

    @classmethod
    def create(cls, home: Path | None = None, *, kek: Kek | None = None) -> KeyRing:
        """Make the keyring with one active data key, and the KEK file if needed."""
        home = home or data_home()
        path = home / KEYRING_FILENAME
        with _locked(home):
            if path.exists():
                raise KeySetupError(
                    f"a keyring already exists at {path}; "
                    "use `districtguard keys rotate` for a new key"
                )
            if kek is None:
                try:
                    kek = load_kek(home)
                except MissingKeyError:
                    if os.environ.get(KEK_FILE_ENV):
                        raise
                    kek = write_kek_file(default_kek_path(home))
            ring = cls(path, kek, [])
            ring._add_key()
            write_atomic(path, _dump_keyring(ring._entries))
        return ring

    def _add_key(self) -> KeyInfo:
        kid = new_kid()
        while any(entry.info.kid == kid for entry in self._entries):
            kid = new_kid()
        key = secrets.token_bytes(KEY_BYTES)
        info = KeyInfo(kid, "active", _now(), self.kek.kid)
        self._entries = [
            replace(e, info=replace(e.info, state="retired")) for e in self._entries
        ]
        self._entries.append(_Entry(info, _wrap(self.kek, kid, key)))
        self._keys[kid] = key
        return info

    def rotate(self, *, rewrap: bool = False, new_kek: Kek | None = None) -> KeyInfo:
        """Make a new active data key; with ``rewrap``, also move to a new KEK.

        The new KEK is ``new_kek``; without one, and when the current KEK is the
        data home's key file, a new key file replaces it (crash-safe: the new
        file is written first, then the keyring, then the file is swapped in, and
        :meth:`load` finishes a swap that a crash interrupted). Protected data is
        never touched: tokens name data keys, which do not change.
        """
        with _locked(self.home):
            self._entries = _parse_keyring(self.path)
            pending: Path | None = None
            if rewrap and new_kek is None:
                if not kek_is_default_file(self.kek, self.home):
                    raise KeySetupError(
                        f"the key-encryption key comes from {self.kek.source}; "
                        "give the new one (for example with --new-kek-file)"
                    )
                pending = self.home / (KEK_FILENAME + ".new")
                with contextlib.suppress(FileNotFoundError):
                    pending.unlink()
                new_kek = write_kek_file(pending)
            keys = {e.info.kid: self.data_key(e.info.kid) for e in self._entries}
            info = self._add_key()
            keys[info.kid] = self._keys[info.kid]
            if rewrap and new_kek is not None:
                self.kek = new_kek
                self._entries = [
                    _Entry(
                        replace(e.info, kek=new_kek.kid),
                        _wrap(new_kek, e.info.kid, keys[e.info.kid]),
                    )
                    for e in self._entries
                ]
                info = replace(info, kek=new_kek.kid)
            write_atomic(self.path, _dump_keyring(self._entries))
            if pending is not None:
                target = default_kek_path(self.home)
                pending.replace(target)
                _fsync_dir(self.home)
                self.kek = Kek(self.kek.key, f"file {target}", target)
        return info

    @staticmethod
    def read_info(home: Path | None = None) -> list[KeyInfo]:
        """Return the keyring's public descriptions without opening any key."""
        path = (home or data_home()) / KEYRING_FILENAME
        return [entry.info for entry in _parse_keyring(path)]

    def list(self) -> list[KeyInfo]:
        """Return every data key's public description, oldest first."""
        return [entry.info for entry in self._entries]

    def active(self) -> KeyInfo:
        """Return the key new values are sealed with."""
        return next(e.info for e in self._entries if e.info.state == "active")

    def data_key(self, kid: str) -> bytes:
        """Return data key ``kid`` (256 bits)."""
        key = self._keys.get(kid)
        if key is None:
            entry = next((e for e in self._entries if e.info.kid == kid), None)
            if entry is None:
                raise KeySetupError(
                    f"data key {kid} is not in the keyring {self.path}; "
                    "was this data protected with another keyring?"
                )
            key = self._keys[kid] = _unwrap(self.kek, entry)
        return key

    def check_outside(self, roots: Sequence[Path]) -> None:
        """Refuse when the KEK file or the keyring lies inside one of ``roots``."""
        kept = [self.path] + ([self.kek.path] if self.kek.path else [])
        for root in roots:
            for path in kept:
                if _inside(path, root):
                    raise KeySetupError(
                        f"{path} lies inside {root}, which is being protected; "
                        "keep keys apart from the data (set DISTRICTGUARD_HOME "
                        "or DISTRICTGUARD_KEK_FILE elsewhere)"
                    )


def _finish_kek_swap(home: Path, entries: Sequence[_Entry]) -> Kek | None:
    """Finish a KEK swap a crash interrupted; return the KEK to use, if swapped."""
    pending = home / (KEK_FILENAME + ".new")
    if os.environ.get(KEK_ENV) or os.environ.get(KEK_FILE_ENV) or not pending.exists():
        return None
    candidate = read_kek_file(pending)
    if all(entry.info.kek == candidate.kid for entry in entries):
        target = default_kek_path(home)
        pending.replace(target)
        _fsync_dir(home)
        return Kek(candidate.key, f"file {target}", target)
    pending.unlink()  # the keyring was never written with it: a stale leftover
    return None


__all__ = [
    "KEK_ENV",
    "KEK_FILE_ENV",
    "Kek",
    "KeyInfo",
    "KeyRing",
    "KeySetupError",
    "MissingKeyError",
    "WrongKeyError",
    "default_kek_path",
    "kek_id",
    "load_kek",
    "new_kid",
    "read_kek_file",
    "write_kek_file",
]
