"""Replace a file with new content so that a crash leaves the old or the new.

The new content goes to a temporary file in the same directory (so the rename
is atomic: same filesystem), is flushed to disk, and only then renamed over the
original; the directory is flushed too, so the rename itself survives a power
cut. Permissions and, where the process may, the owner are copied from the
original. The modification time is the time of protection, on purpose: backup
and sync tools decide what to copy by it, and must copy the protected version.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import stat
from pathlib import Path

TEMP_MARK = ".dgtmp-"


def temp_path(path: Path) -> Path:
    """Return a fresh temporary name beside ``path`` (hidden, recognisable)."""
    return path.with_name(f".{path.name}{TEMP_MARK}{secrets.token_hex(4)}")


def is_temp(name: str) -> bool:
    """Return whether ``name`` is one of our temporary files."""
    return name.startswith(".") and TEMP_MARK in name


def fsync_dir(directory: Path) -> None:
    """Flush a directory's entries to disk (a no-op where unsupported)."""
    with contextlib.suppress(OSError):
        fd = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def write_temp(
    path: Path, data: bytes, like: os.stat_result, *, temp: Path | None = None
) -> Path:
    """Write ``data`` to a new temporary file beside ``path``, flushed, and return it.

    The file gets the permissions (and, if allowed, the owner) of ``like``.
    ``temp`` names it when the caller chose the name (to journal it first).
    """
    temp = temp or temp_path(path)
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fchmod(handle.fileno(), stat.S_IMODE(like.st_mode))
            with contextlib.suppress(PermissionError):
                os.fchown(handle.fileno(), like.st_uid, like.st_gid)
            os.fsync(handle.fileno())
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    return temp


def replace(temp: Path, path: Path) -> None:
    """Rename ``temp`` over ``path`` and flush the directory."""
    temp.replace(path)
    fsync_dir(path.parent)


__all__ = ["TEMP_MARK", "fsync_dir", "is_temp", "replace", "temp_path", "write_temp"]
