"""Whole-file encryption, for files that cannot be protected value by value.

Two ways, both authenticated:

- **DistrictGuard's own format** (any file): ``name.pdf`` becomes
  ``name.pdf.dgenc``. A 33-byte header (magic ``DGFE``, version, key id, a
  random 16-byte salt, the chunk size) then the file in 64 KiB chunks, each
  sealed with AES-256-GCM under a key derived from the data key and the salt
  (HKDF-SHA256). Each chunk's nonce and associated data hold its index and
  whether it is the last one, and the associated data holds the header too (the
  STREAM construction), so a reordered, dropped, truncated, extended or altered
  chunk fails to open. Memory stays at about one chunk whatever the size.
  Every output goes to a temporary file beside the target (``.name.dgtmp-XXXX``)
  and is renamed into place only once complete, so a failed decryption leaves
  nothing unauthenticated behind.
- **The format's own encryption**, so the file still opens in ordinary software
  with a password: PDF AES-256 (pikepdf, revision 6) and Office OOXML agile
  encryption (msoffcrypto-tool, AES-256). The password is the caller's: a
  district may choose one, or :func:`derive_password` gives a per-file password
  from a data key and a label (the same ring and label give it back).
  ``protect --whole-file native`` takes the district's from the environment
  (:func:`load_file_password`), and :func:`verify_native` proves a result opens
  with it, not without it, and gives back the original.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import hmac
import io
import os
import secrets
import struct
import tempfile
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import BinaryIO

import msoffcrypto
import pikepdf
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from districtguard.pii.protection.base import ProtectionError
from districtguard.pii.protection.keys import KeyRing
from districtguard.pii.protection.tokens import is_kid

# Names of environment variables, not passwords.
PASSWORD_ENV = "DISTRICTGUARD_FILE_PASSWORD"  # noqa: S105
PASSWORD_FILE_ENV = "DISTRICTGUARD_FILE_PASSWORD_FILE"  # noqa: S105
OLE_MAGIC = bytes.fromhex("d0cf11e0a1b11ae1")  # the container of encrypted Office
OFFICE_SUFFIXES = frozenset({".docx", ".docm", ".xlsx", ".xlsm", ".pptx", ".pptm"})
PDF = "pdf"
OFFICE = "office"
NATIVE_LABELS = {
    PDF: "PDF AES-256 password encryption",
    OFFICE: "Office AES-256 password encryption",
}
MAGIC = b"DGFE"
FORMAT_VERSION = 1
SUFFIX = ".dgenc"
CHUNK = 64 * 1024
TAG = 16
SALT_BYTES = 16
_HEADER = struct.Struct(">4sB8s16sI")  # magic, version, kid, salt, chunk size
HEADER_BYTES = _HEADER.size
MAX_CHUNK = 16 << 20


class FileCipherError(ProtectionError):
    """A file cannot be encrypted or decrypted; the message says why."""


def encrypted_name(path: Path) -> Path:
    """Return where the encrypted form of ``path`` goes (``name.pdf.dgenc``)."""
    return path.with_name(path.name + SUFFIX)


def decrypted_name(path: Path) -> Path:
    """Return the original name of an encrypted file (``.dgenc`` dropped)."""
    if path.name.endswith(SUFFIX) and len(path.name) > len(SUFFIX):
        return path.with_name(path.name[: -len(SUFFIX)])
    raise FileCipherError(f"{path.name} does not end in {SUFFIX}")


def is_encrypted_file(path: Path) -> bool:
    """Return whether ``path`` starts with DistrictGuard's encrypted-file header."""
    try:
        with path.open("rb") as handle:
            head = handle.read(len(MAGIC) + 1)
    except OSError:
        return False
    return head == MAGIC + bytes([FORMAT_VERSION])


def _file_key(data_key: bytes, salt: bytes, header: bytes) -> AESGCM:
    hkdf = HKDF(algorithm=hashes.SHA256(), length=32, salt=salt, info=header)
    return AESGCM(hkdf.derive(data_key))


def _nonce(index: int, final: bool) -> bytes:
    # 8-byte index, 3 zero bytes, 1-byte last-chunk flag: unique per chunk.
    return struct.pack(">Q3xB", index, final)


def _ad(header: bytes, index: int, final: bool) -> bytes:
    return header + struct.pack(">QB", index, final)


def _read_full(handle: BinaryIO, size: int) -> bytes:
    """Read ``size`` bytes, or fewer only at the end of the file."""
    parts: list[bytes] = []
    left = size
    while left:
        data = handle.read(left)
        if not data:
            break
        parts.append(data)
        left -= len(data)
    return b"".join(parts)


# The same mark as the rewriters' temporary files (``.name.dgtmp-XXXX``), so a
# run that was killed leaves nothing the next walk would take for a document.
TEMP_MARK = ".dgtmp-"


@contextlib.contextmanager
def _output(dst: Path) -> Iterator[Path]:
    """Yield a temporary path beside ``dst``; on success rename it into place.

    On any failure the temporary file is removed: ``dst`` either appears whole
    or not at all.
    """
    tmp = dst.with_name(f".{dst.name}{TEMP_MARK}{secrets.token_hex(4)}")
    try:
        yield tmp
        with tmp.open("rb+") as handle:
            os.fsync(handle.fileno())
        tmp.replace(dst)
        fd = os.open(dst.parent, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()


def encrypt_stream(
    src: BinaryIO, dst: BinaryIO, ring: KeyRing, chunk: int = CHUNK
) -> None:
    """Encrypt ``src`` into ``dst`` with the ring's active data key."""
    kid = ring.active().kid
    salt = os.urandom(SALT_BYTES)
    header = _HEADER.pack(MAGIC, FORMAT_VERSION, kid.encode("ascii"), salt, chunk)
    aead = _file_key(ring.data_key(kid), salt, header)
    dst.write(header)
    index = 0
    current = _read_full(src, chunk)
    while True:
        following = _read_full(src, chunk) if len(current) == chunk else b""
        final = not following
        sealed = aead.encrypt(_nonce(index, final), current, _ad(header, index, final))
        dst.write(sealed)
        if final:
            return
        current = following
        index += 1


def decrypt_stream(src: BinaryIO, dst: BinaryIO, ring: KeyRing) -> None:
    """Decrypt ``src`` into ``dst``; raise :class:`FileCipherError` on any damage.

    ``dst`` receives each chunk once it has opened; callers that must not keep a
    partial result write to a temporary file (as :func:`decrypt_file` does).
    """
    header = _read_full(src, HEADER_BYTES)
    if len(header) < HEADER_BYTES:
        raise FileCipherError("not a DistrictGuard encrypted file (too short)")
    magic, version, kid_bytes, salt, chunk = _HEADER.unpack(header)
    if magic != MAGIC:
        raise FileCipherError("not a DistrictGuard encrypted file")
    if version != FORMAT_VERSION:
        raise FileCipherError(f"encrypted-file version {version} is not supported")
    kid = kid_bytes.decode("ascii", "replace")
    if not is_kid(kid) or not 0 < chunk <= MAX_CHUNK:
        raise FileCipherError("the encrypted file's header is damaged")
    try:
        data_key = ring.data_key(kid)
    except ProtectionError as exc:
        raise FileCipherError(f"the encrypted file cannot be opened: {exc}") from None
    aead = _file_key(data_key, salt, header)
    index = 0
    current = _read_full(src, chunk + TAG)
    while True:
        following = _read_full(src, chunk + TAG) if len(current) == chunk + TAG else b""
        final = not following
        try:
            plain = aead.decrypt(
                _nonce(index, final), current, _ad(header, index, final)
            )
        except InvalidTag:
            raise FileCipherError(
                f"chunk {index} of the encrypted file fails authentication: "
                "the file was altered, truncated or reordered"
            ) from None
        dst.write(plain)
        if final:
            return
        current = following
        index += 1


def encrypt_file(src: Path, dst: Path, ring: KeyRing) -> None:
    """Encrypt ``src`` into ``dst`` (written beside it, then renamed into place)."""
    with _output(dst) as tmp, src.open("rb") as inp, tmp.open("wb") as out:
        encrypt_stream(inp, out, ring)


def decrypt_file(src: Path, dst: Path, ring: KeyRing) -> None:
    """Decrypt ``src`` into ``dst``; ``dst`` appears only if all of it opened."""
    with _output(dst) as tmp, src.open("rb") as inp, tmp.open("wb") as out:
        decrypt_stream(inp, out, ring)


def derive_password(ring: KeyRing, label: str, kid: str | None = None) -> str:
    """Return a per-file password derived from a data key and ``label``.

    ``label`` names the file in a way that survives moves (for example its
    fingerprint or its name in the journal); ``kid`` defaults to the active key.
    32 characters of URL-safe base64: 192 bits.
    """
    key = ring.data_key(kid or ring.active().kid)
    digest = hmac.digest(
        key, b"districtguard file password\x00" + label.encode(), "sha256"
    )
    return base64.urlsafe_b64encode(digest[:24]).decode("ascii")


def encrypt_pdf(src: Path, dst: Path, password: str) -> None:
    """Write ``src`` to ``dst`` with PDF AES-256 encryption (opens with ``password``).

    The owner password is random and discarded: whoever has the user password
    can read the file, and no one gets permissions beyond that.
    """
    if not password:
        raise FileCipherError("a PDF password must not be empty")
    owner = base64.urlsafe_b64encode(os.urandom(24)).decode("ascii")
    encryption = pikepdf.Encryption(owner=owner, user=password, R=6)
    try:
        with pikepdf.open(src) as pdf, _output(dst) as tmp:
            pdf.save(tmp, encryption=encryption)
    except pikepdf.PasswordError:
        raise FileCipherError(f"{src.name} is already password-protected") from None
    except pikepdf.PdfError as exc:
        raise FileCipherError(
            f"{src.name} is not a readable PDF ({type(exc).__name__})"
        ) from None


def decrypt_pdf(src: Path, dst: Path, password: str) -> None:
    """Write an unencrypted copy of the encrypted PDF ``src`` to ``dst``."""
    try:
        with pikepdf.open(src, password=password) as pdf, _output(dst) as tmp:
            pdf.save(tmp)
    except pikepdf.PasswordError:
        raise FileCipherError(f"the password does not open {src.name}") from None


def encrypt_office(src: Path, dst: Path, password: str) -> None:
    """Write ``src`` (DOCX, XLSX, PPTX) to ``dst`` with Office AES-256 encryption."""
    if not password:
        raise FileCipherError("an Office password must not be empty")
    from msoffcrypto.format.ooxml import OOXMLFile

    data = src.read_bytes()
    if not data.startswith(b"PK"):
        raise FileCipherError(
            f"{src.name} is not an Office Open XML file (DOCX, XLSX, PPTX)"
        )
    out = io.BytesIO()
    try:
        OOXMLFile(io.BytesIO(data)).encrypt(password, out)
    except Exception as exc:  # msoffcrypto raises many kinds for a bad package
        raise FileCipherError(
            f"{src.name} cannot be encrypted ({type(exc).__name__})"
        ) from None
    with _output(dst) as tmp:
        tmp.write_bytes(out.getvalue())


def decrypt_office(src: Path, dst: Path, password: str) -> None:
    """Write a decrypted copy of the encrypted Office file ``src`` to ``dst``."""
    with src.open("rb") as inp:
        try:
            office = msoffcrypto.OfficeFile(inp)
            office.load_key(password=password, verify_password=True)
            out = io.BytesIO()
            office.decrypt(out)
        except Exception as exc:  # msoffcrypto's errors differ by format
            raise FileCipherError(
                f"the password does not open {src.name} ({type(exc).__name__})"
            ) from None
    with _output(dst) as tmp:
        tmp.write_bytes(out.getvalue())


def load_file_password(environ: Mapping[str, str] | None = None) -> str | None:
    """Return the password for native encryption from the environment, or None.

    ``DISTRICTGUARD_FILE_PASSWORD`` holds it, or ``..._FILE`` names a file
    (mode 0600, one line) that does. Never taken from the command line, where
    other users could read it in the process list.
    """
    env = os.environ if environ is None else environ
    named = env.get(PASSWORD_FILE_ENV)
    if named:
        path = Path(named)
        try:
            info = path.stat()
            if info.st_mode & 0o077:
                raise FileCipherError(
                    f"password file {path} is open to group or others; "
                    f"run: chmod 600 {path}"
                )
            text = path.read_text(encoding="utf-8").rstrip("\r\n")
        except (OSError, UnicodeDecodeError) as exc:
            reason = exc.strerror if isinstance(exc, OSError) else "not UTF-8 text"
            raise FileCipherError(
                f"cannot read password file {path}: {reason}"
            ) from None
    else:
        text = env.get(PASSWORD_ENV, "")
        if not text:
            return None
    if not text.strip():
        raise FileCipherError("the file password is empty")
    return text


def native_kind(name: str, data: bytes) -> str | None:
    """Return which native encryption fits ``data`` (``pdf``, ``office``) or None."""
    if data[:1024].lstrip().startswith(b"%PDF-"):
        return PDF
    if data.startswith(b"PK") and Path(name).suffix.lower() in OFFICE_SUFFIXES:
        return OFFICE
    return None


def natively_encrypted(data: bytes) -> str | None:
    """Return the kind of a file already under native password encryption, or None."""
    if data.startswith(OLE_MAGIC):
        with contextlib.suppress(Exception):  # not an Office file after all
            if msoffcrypto.OfficeFile(io.BytesIO(data)).is_encrypted():
                return OFFICE
        return None
    if native_kind("", data) == PDF and b"/Encrypt" in data:
        try:
            pikepdf.open(io.BytesIO(data)).close()
        except pikepdf.PasswordError:
            return PDF
        except pikepdf.PdfError:
            return None
    return None


def encrypt_native(src: Path, dst: Path, kind: str, password: str) -> None:
    """Write ``src`` to ``dst`` under its format's own password encryption."""
    if kind == PDF:
        encrypt_pdf(src, dst, password)
    else:
        encrypt_office(src, dst, password)


def decrypt_native(src: Path, dst: Path, kind: str, password: str) -> None:
    """Write an unencrypted copy of the natively encrypted ``src`` to ``dst``."""
    if kind == PDF:
        decrypt_pdf(src, dst, password)
    else:
        decrypt_office(src, dst, password)


def verify_native(encrypted: Path, original: bytes, kind: str, password: str) -> None:
    """Raise :class:`FileCipherError` unless ``encrypted`` is right.

    It must not open without the password, and must open with it to the
    original: the same bytes for Office files; for a PDF (which pikepdf writes
    its own way) the same pages, each with the same content streams.
    """
    data = encrypted.read_bytes()
    if natively_encrypted(data) != kind:
        raise FileCipherError("the encrypted file opens without the password")
    with tempfile.TemporaryDirectory(dir=encrypted.parent, prefix=".dgtmp-") as tmp:
        plain = Path(tmp) / "plain"
        decrypt_native(encrypted, plain, kind, password)
        if kind == OFFICE:
            same = plain.read_bytes() == original
        else:
            same = _pages(plain.read_bytes()) == _pages(original)
    if not same:
        raise FileCipherError("the encrypted file does not open to the original")


def _pages(data: bytes) -> list[bytes]:
    with pikepdf.open(io.BytesIO(data)) as pdf:
        return [
            b"".join(
                stream.read_bytes() for stream in _streams(page.obj.get("/Contents"))
            )
            for page in pdf.pages
        ]


def _streams(contents: object) -> list[pikepdf.Stream]:
    if isinstance(contents, pikepdf.Stream):
        return [contents]
    if isinstance(contents, pikepdf.Array):
        return [item for item in contents if isinstance(item, pikepdf.Stream)]
    return []


def file_digest(path: Path) -> str:
    """Return the SHA-256 of a file, read in chunks."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while block := handle.read(CHUNK):
            digest.update(block)
    return digest.hexdigest()


__all__ = [
    "CHUNK",
    "NATIVE_LABELS",
    "OFFICE",
    "PASSWORD_ENV",
    "PASSWORD_FILE_ENV",
    "PDF",
    "SUFFIX",
    "TEMP_MARK",
    "FileCipherError",
    "decrypt_file",
    "decrypt_native",
    "decrypt_office",
    "decrypt_pdf",
    "decrypt_stream",
    "decrypted_name",
    "derive_password",
    "encrypt_file",
    "encrypt_native",
    "encrypt_office",
    "encrypt_pdf",
    "encrypt_stream",
    "encrypted_name",
    "file_digest",
    "is_encrypted_file",
    "load_file_password",
    "native_kind",
    "natively_encrypted",
    "verify_native",
]
