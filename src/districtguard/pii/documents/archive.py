"""Read ZIP archives member by member, refusing zip bombs before they expand.

Also home to what the other ZIP-based readers (XLSX, DOCX) and the email reader
share: container size checks, failure descriptions and location prefixes.
"""

from __future__ import annotations

import contextlib
import io
import tempfile
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import IO
from xml.etree.ElementTree import ParseError

from districtguard.pii.documents import read_source
from districtguard.pii.documents.base import (
    DocumentError,
    ReadContext,
    SkippedDocument,
    Source,
    TextUnit,
    join_location,
)

# Members this small cannot exhaust anything, however well they compress.
RATIO_CHECK_FROM = 1 << 20
SPOOL_IN_MEMORY = 8 << 20
CHUNK = 1 << 16
ZIP_FAILURES = (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError)


def describe_failure(exc: BaseException) -> str:
    """Return a short reason for a parser failure, never the exception's text."""
    if isinstance(exc, zipfile.BadZipFile | EOFError | zlib.error):
        return "damaged or truncated ZIP data"
    if isinstance(exc, KeyError):
        return "a required part is missing"
    if isinstance(exc, ParseError) or type(exc).__name__ == "XMLSyntaxError":
        return "malformed XML"
    if isinstance(exc, NotImplementedError):
        return "unsupported compression method"
    return f"unexpected content ({type(exc).__name__})"


def open_zip(handle: IO[bytes], kind: str) -> zipfile.ZipFile:
    """Open ``handle`` as a ZIP container or raise a DocumentError naming ``kind``."""
    try:
        return zipfile.ZipFile(handle)
    except zipfile.BadZipFile:
        reason = "not a ZIP container, or cut short"
    except ZIP_FAILURES as exc:
        reason = describe_failure(exc)
    raise DocumentError(f"not a readable {kind}: {reason}")


def check_container(handle: IO[bytes], context: ReadContext, kind: str) -> None:
    """Refuse a ZIP-based document whose parts would expand beyond the limits."""
    limits = context.limits
    with open_zip(handle, kind) as container:
        sizes = [info.file_size for info in container.infolist()]
    if max(sizes, default=0) > limits.max_member_size or (
        sum(sizes) > limits.max_archive_total
    ):
        raise DocumentError(f"not a readable {kind}: expands beyond the size limits")
    handle.seek(0)


def prefix_locations(unit: TextUnit, prefix: str) -> TextUnit:
    """Return ``unit`` placed inside ``prefix`` (an archive member, an attachment).

    Record and cell locations are relative to the unit's, so only it changes.
    """
    return replace(unit, location=join_location(prefix, unit.location))


def claim_problems(context: ReadContext, since: int, prefix: str) -> None:
    """Put ``prefix`` in front of the problems a nested document reported."""
    problems = context.problems
    problems[since:] = [join_location(prefix, problem) for problem in problems[since:]]


def read_bounded(raw: IO[bytes], limit: int) -> Iterator[bytes]:
    """Yield the bytes of ``raw`` in chunks; past ``limit`` bytes raise DocumentError.

    Declared sizes can lie, so the actual bytes are counted.
    """
    count = 0
    while chunk := raw.read(min(CHUNK, limit - count + 1)):
        count += len(chunk)
        if count > limit:
            raise DocumentError(f"member expands beyond {limit} bytes")
        yield chunk


def display_name(name: str) -> str:
    """Return a member or attachment name safe to show on one line."""
    return "".join(char if char.isprintable() else "?" for char in name)


@dataclass(frozen=True, slots=True)
class ArchiveReader:
    """ZIP archives: each member read by the reader its name and content choose."""

    name: str = "archive"
    suffixes: tuple[str, ...] = (".zip",)

    def read(self, source: Source, context: ReadContext) -> Iterator[TextUnit]:
        """Yield the units of every member that is safe to expand."""
        limits = context.limits
        with source.open() as handle, open_zip(handle, "ZIP archive") as archive:
            total = 0
            for info in archive.infolist():
                if info.is_dir():
                    continue
                where = f"member {display_name(info.filename)}"
                refusal = _refusal(info, context)
                if refusal:
                    context.warn(f"{where}: {refusal}")
                    continue
                total += info.file_size
                if total > limits.max_archive_total:
                    context.warn(
                        f"archive expands beyond {limits.max_archive_total} bytes;"
                        " the remaining members are not read"
                    )
                    return
                yield from _read_member(archive, info, context, where)


def _refusal(info: zipfile.ZipInfo, context: ReadContext) -> str | None:
    limits = context.limits
    if info.flag_bits & 0x1:
        return "encrypted member, cannot read"
    if info.file_size > limits.max_member_size:
        return f"larger than {limits.max_member_size} bytes, not read"
    ratio = info.file_size / max(info.compress_size, 1)
    if info.file_size >= RATIO_CHECK_FROM and ratio > limits.max_compression_ratio:
        return f"compressed {ratio:.0f} to 1 (possible zip bomb), not read"
    return None


def _read_member(
    archive: zipfile.ZipFile, info: zipfile.ZipInfo, context: ReadContext, where: str
) -> Iterator[TextUnit]:
    limit = min(info.file_size, context.limits.max_member_size)
    try:
        child = context.nested()
        member, spill = _expand(archive, info, limit)
    except DocumentError as exc:
        context.warn(f"{where}: {exc}")
        return
    except (*ZIP_FAILURES, NotImplementedError) as exc:
        context.warn(f"{where}: {describe_failure(exc)}")
        return
    before = len(context.problems)
    try:
        try:
            for unit in read_source(member, child):
                yield prefix_locations(unit, where)
        finally:
            claim_problems(context, before, where)
            context.skipped_members += child.skipped_members
            if spill is not None:
                spill.unlink(missing_ok=True)
    except SkippedDocument:
        context.skipped_members += 1
    except DocumentError as exc:
        context.warn(f"{where}: {exc}")


def _expand(
    archive: zipfile.ZipFile, info: zipfile.ZipInfo, limit: int
) -> tuple[Source, Path | None]:
    """Expand a member once, in memory or on disk, so readers can seek in it."""
    buffer = bytearray()
    spill: Path | None = None
    try:
        with archive.open(info) as raw, contextlib.ExitStack() as stack:
            out: IO[bytes] | None = None
            for chunk in read_bounded(raw, limit):
                if out is None and len(buffer) + len(chunk) > SPOOL_IN_MEMORY:
                    out = stack.enter_context(
                        tempfile.NamedTemporaryFile(prefix="dg-", delete=False)
                    )
                    spill = Path(out.name)
                    out.write(buffer)
                    buffer.clear()
                if out is None:
                    buffer += chunk
                else:
                    out.write(chunk)
    except BaseException:
        if spill is not None:
            spill.unlink(missing_ok=True)
        raise
    if spill is None:
        data = bytes(buffer)
        return Source(info.filename, lambda: io.BytesIO(data), len(data)), None
    path = spill
    return Source(info.filename, lambda: path.open("rb"), info.file_size), spill


READER = ArchiveReader()
