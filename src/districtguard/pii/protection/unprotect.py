"""Put the original values back: tokens restored, whole-file encryption undone.

Each use is written to the unprotect log (who, when, which file, how many
values) *before* the restored file replaces the protected one, so no
decryption happens unrecorded. Files are replaced the same way protection
replaces them: beside, flushed, renamed. A wrong key or an altered token is a
clear error for that file and nothing is written. PDF and Office files that
``protect --whole-file native`` encrypted with their own format's encryption
are decrypted in place with the file password.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

from districtguard.pii.protection import atomic
from districtguard.pii.protection.accesslog import record_unprotect
from districtguard.pii.protection.base import ProtectionError
from districtguard.pii.protection.cipher import ValueCipher
from districtguard.pii.protection.journal import digest
from districtguard.pii.protection.rewrite import Restoration, restore_document
from districtguard.pii.protection.tokens import TOKEN_RE
from districtguard.pii.protection.verify import describe
from districtguard.pii.protection.wholefile import (
    NATIVE_LABELS,
    PASSWORD_ENV,
    PASSWORD_FILE_ENV,
    SUFFIX,
    decrypt_file,
    decrypt_native,
    is_encrypted_file,
    natively_encrypted,
)

RESTORED = "restored"
DECRYPTED_WHOLE = "decrypted-whole-file"
NOTHING = "nothing-to-restore"
FAILED = "failed"


@dataclass(frozen=True, slots=True)
class UnprotectResult:
    """What unprotect did to one file."""

    path: str
    outcome: str
    values: int = 0
    reason: str = ""

    def to_dict(self) -> dict[str, object]:
        """Return the JSON-ready form."""
        return {
            "path": self.path,
            "outcome": self.outcome,
            "values": self.values,
            "reason": self.reason,
        }


def unprotect_file(
    path: Path,
    cipher: ValueCipher,
    user: str | None = None,
    password: str | None = None,
) -> UnprotectResult:
    """Restore one file; never raise for a bad file.

    ``password`` opens files under native PDF or Office encryption.
    """
    try:
        if is_encrypted_file(path):
            return _whole(path, cipher, user)
        kind = natively_encrypted(path.read_bytes())
        if kind is not None:
            return _native(path, kind, password, user)
        return _values(path, cipher, user)
    except (ProtectionError, OSError) as exc:
        return UnprotectResult(str(path), FAILED, reason=describe(exc))
    except Exception as exc:  # one bad file must not stop the run
        return UnprotectResult(str(path), FAILED, reason=describe(exc))


def _values(path: Path, cipher: ValueCipher, user: str | None) -> UnprotectResult:
    data = path.read_bytes()
    info = path.stat()
    job = Restoration(cipher, TOKEN_RE)
    restored = restore_document(path.name, data, job)
    if restored is None:
        return UnprotectResult(str(path), NOTHING)
    temp = atomic.write_temp(path, restored, info)
    try:
        record_unprotect(path, job.count, user)
        atomic.replace(temp, path)
    finally:
        temp.unlink(missing_ok=True)
    return UnprotectResult(str(path), RESTORED, job.count)


def _whole(path: Path, cipher: ValueCipher, user: str | None) -> UnprotectResult:
    if not path.name.endswith(SUFFIX) or len(path.name) == len(SUFFIX):
        raise ProtectionError(
            f"an encrypted file whose name does not end in {SUFFIX}; rename it "
            "to its original name plus that suffix"
        )
    target = path.with_name(path.name[: -len(SUFFIX)])
    info = path.stat()
    with tempfile.TemporaryDirectory(dir=path.parent, prefix=".dgtmp-") as folder:
        plain = Path(folder) / "plain"
        decrypt_file(path, plain, cipher.ring)
        if target.exists() and digest(target.read_bytes()) != digest(
            plain.read_bytes()
        ):
            raise ProtectionError(
                f"{target.name} already exists with other content; move it away first"
            )
        plain.chmod(info.st_mode & 0o7777)
        record_unprotect(target, 1, user)
        atomic.replace(plain, target)
    path.unlink()
    atomic.fsync_dir(path.parent)
    return UnprotectResult(str(path), DECRYPTED_WHOLE, 1)


def _native(
    path: Path, kind: str, password: str | None, user: str | None
) -> UnprotectResult:
    if password is None:
        raise ProtectionError(
            f"opens only with a password ({NATIVE_LABELS[kind]}): set "
            f"{PASSWORD_ENV} or {PASSWORD_FILE_ENV} to decrypt it"
        )
    info = path.stat()
    with tempfile.TemporaryDirectory(dir=path.parent, prefix=".dgtmp-") as folder:
        plain = Path(folder) / "plain"
        decrypt_native(path, plain, kind, password)
        plain.chmod(info.st_mode & 0o7777)
        record_unprotect(path, 1, user)
        atomic.replace(plain, path)
    return UnprotectResult(str(path), DECRYPTED_WHOLE, 1)


__all__ = ["UnprotectResult", "unprotect_file"]
