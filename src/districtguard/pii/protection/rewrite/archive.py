"""Rewrite ZIP archives: each member rewritten in its own format, the rest copied.

Members keep their names, order, dates, permissions, comments and compression
method; a member with nothing to protect keeps its content exactly (it is
compressed again, so its compressed bytes may differ). An archive with an
encrypted member, or one the scan refuses to expand, is not rewritten: the
member could not be copied without its password, or expanding it is unsafe.
"""

from __future__ import annotations

import io
import zipfile

from districtguard.pii.documents.archive import (
    ZIP_FAILURES,
    describe_failure,
    display_name,
    open_zip,
)
from districtguard.pii.documents.base import DocumentError, ReadContext
from districtguard.pii.protection.base import ProtectionError
from districtguard.pii.protection.edits import Job
from districtguard.pii.protection.rewrite import (
    Restoration,
    protect_document,
    restore_document,
)

KIND = "ZIP archive"


def _members(
    data: bytes, limits_job: Job | None
) -> list[tuple[zipfile.ZipInfo, bytes]]:
    """Return every member with its bytes, refusing what cannot be rewritten."""
    limits = limits_job.policy.limits if limits_job else ReadContext().limits
    members: list[tuple[zipfile.ZipInfo, bytes]] = []
    total = 0
    with open_zip(io.BytesIO(data), KIND) as archive:
        for info in archive.infolist():
            where = f"member {display_name(info.filename)}"
            if info.flag_bits & 0x1:
                raise ProtectionError(f"{where} is encrypted and cannot be copied")
            total += info.file_size
            if info.file_size > limits.max_member_size or (
                total > limits.max_archive_total
            ):
                raise ProtectionError(f"{where} expands beyond the size limits")
            try:
                content = archive.read(info) if not info.is_dir() else b""
            except (*ZIP_FAILURES, NotImplementedError) as exc:
                raise DocumentError(f"{where}: {describe_failure(exc)}") from None
            members.append((info, content))
    return members


def _write(data: bytes, members: list[tuple[zipfile.ZipInfo, bytes]]) -> bytes:
    with open_zip(io.BytesIO(data), KIND) as original:
        comment = original.comment
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.comment = comment
        for info, content in members:
            archive.writestr(info, content, compress_type=info.compress_type)
    return out.getvalue()


class ArchiveFormat:
    """ZIP archives."""

    exact = False

    def protect(self, name: str, data: bytes, job: Job) -> bytes | None:
        """Return the archive with its members protected, or None."""
        members = _members(data, job)
        changed = False
        for number, (info, content) in enumerate(members):
            if info.is_dir():
                continue
            child = job.nested(f"member {display_name(info.filename)}")
            try:
                new = protect_document(info.filename, content, child)
            except (ProtectionError, DocumentError) as exc:
                job.problems.append(f"{child.where}: {exc}")
                continue
            if child.whole_file:
                job.whole_file = f"{child.where}: {child.whole_file}"
            if new is not None:
                members[number] = (info, new)
                changed = True
        if not changed or job.dry_run:
            return None
        return _write(data, members)

    def restore(self, name: str, data: bytes, job: Restoration) -> bytes | None:
        """Return the archive with its members' tokens restored, or None."""
        members = _members(data, None)
        changed = False
        for number, (info, content) in enumerate(members):
            if info.is_dir():
                continue
            new = restore_document(info.filename, content, job.nested())
            if new is not None:
                members[number] = (info, new)
                changed = True
        return _write(data, members) if changed else None


FORMAT = ArchiveFormat()
