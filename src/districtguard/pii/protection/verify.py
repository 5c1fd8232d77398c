"""Check a protected copy before it replaces the original.

Three checks, all on the copy as written to disk:

1. it reads back: the scan's own reader opens it without failing (for formats
   a library writes; a text-like copy is the text just checked byte for byte);
2. nothing to protect is left: planning the same run over the copy finds no
   value it would protect (values skipped for a stated reason may remain). This
   is the one detection pass over the copy: the read-back check only reads.
3. in encrypt mode, unprotect gives the original back: the same bytes for
   text-like formats, the same text, cell for cell and paragraph for
   paragraph, for formats a library writes its own way (XLSX, DOCX, mail, ZIP).
"""

from __future__ import annotations

import io
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from districtguard.pii.documents import file_source, read_source
from districtguard.pii.documents.base import (
    DocumentError,
    ReadContext,
    SkippedDocument,
    Source,
)
from districtguard.pii.protection.base import ProtectionError
from districtguard.pii.protection.edits import Job
from districtguard.pii.protection.journal import digest
from districtguard.pii.protection.keys import KeyRing
from districtguard.pii.protection.rewrite import (
    Restoration,
    format_for,
    protect_document,
    restore_document,
)
from districtguard.pii.protection.tokens import TOKEN_RE
from districtguard.pii.protection.wholefile import decrypt_file
from districtguard.pii.walk import describe_os_error

if TYPE_CHECKING:  # the pipeline imports this module
    from districtguard.pii.protection.pipeline import Services


class VerifyError(ProtectionError):
    """A protected copy failed a check; the original is left as it was."""


def describe(exc: BaseException) -> str:
    """Return a short reason for an unexpected failure, never its message."""
    if isinstance(exc, ProtectionError | DocumentError | SkippedDocument):
        return str(exc)  # written for people, never quoting data
    if isinstance(exc, OSError):
        return describe_os_error(exc)
    return f"internal error ({type(exc).__name__})"


def _texts(name: str, data: bytes) -> list[str]:
    source = Source(name, lambda: io.BytesIO(data), len(data))
    return [unit.text for unit in read_source(source, ReadContext())]


def _unreadable(path: Path, context: ReadContext) -> str | None:
    """Return why the scan's reader cannot read ``path`` through, or None."""
    try:
        for _ in read_source(file_source(path), context):
            pass
    except (SkippedDocument, DocumentError) as exc:
        return str(exc)
    except OSError as exc:
        return describe_os_error(exc)
    except Exception as exc:  # reported by type: a message may quote the data
        return f"internal error ({type(exc).__name__})"
    return None


def verify_rewrite(
    temp: Path, name: str, original: bytes, new: bytes, job: Job, services: Services
) -> None:
    """Raise :class:`VerifyError` unless the copy at ``temp`` passes every check."""
    if temp.read_bytes() != new:
        raise VerifyError("the protected copy did not reach the disk intact")
    rewriter = format_for(name, new)
    if not rewriter.exact:
        reason = _unreadable(temp, ReadContext(job.policy.limits))
        if reason is not None:
            raise VerifyError(f"the protected copy does not read back: {reason}")
    again = Job(job.policy, job.protector, job.path, TOKEN_RE, dry_run=True)
    try:
        protect_document(name, new, again)
    except ProtectionError as exc:
        raise VerifyError(f"the protected copy cannot be checked: {exc}") from None
    if again.protected:
        raise VerifyError(
            f"{again.protected} values are still unprotected in the protected copy"
        )
    if job.mode != "encrypt":
        return
    if services.restorer is None:
        raise VerifyError("encryption cannot be verified without the restorer")
    restored = restore_document(name, new, Restoration(services.restorer, TOKEN_RE))
    if restored is None:
        raise VerifyError("the protected copy holds no tokens to restore")
    same = (
        restored == original
        if rewriter.exact
        else _texts(name, restored) == (_texts(name, original))
    )
    if not same:
        raise VerifyError("unprotecting the copy does not give back the original")


def decrypts_to(encrypted: Path, data: bytes, ring: KeyRing) -> bool:
    """Return whether ``encrypted`` decrypts to exactly ``data``."""
    with tempfile.TemporaryDirectory(dir=encrypted.parent, prefix=".dgtmp-") as tmp:
        out = Path(tmp) / "check"
        try:
            decrypt_file(encrypted, out, ring)
        except ProtectionError:
            return False
        return digest(out.read_bytes()) == digest(data)


__all__ = ["VerifyError", "decrypts_to", "describe", "verify_rewrite"]
