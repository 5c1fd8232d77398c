"""The journal: what a protect run did to each file, written before it matters.

One JSON line per step, appended and flushed to disk before the step it
announces is taken, so after a crash the journal says which temporary files may
be left and which files are done. Steps for one file, in order:

- ``begin``: a protected copy is about to be written at ``temp``;
- ``ready``: the copy is written and verified; the original is about to be replaced;
- ``done``: the original was replaced (``after`` is the new content's SHA-256);
  a later run that finds that content unchanged writes the step again with
  ``sig``, its stat signature, once the file has settled (see below);
- ``clean``: the file had nothing to protect (``sig`` is its stat signature:
  device, inode, size, modification and change times; journals written before
  carry ``sha``, its SHA-256, instead).

The journal lives in the data home (``journal/``), never in the tree being
protected, and is named after the run's mode and paths, so running the same
command again finds it: files ``done`` or ``clean`` whose content has not
changed since are passed over, and temporary files of an interrupted step are
removed. A clean file is known by its stat signature, as Git's index knows an
unchanged file: it is not read, let alone hashed, to be passed over, and the
first run need not hash it either. (Its change time moves with every write and cannot
be set back, so a file rewritten to the same size and modification time is still
seen as changed; a file changed moments before it was read is not recorded this
way, see ``RACY_NS``.) A protected file is known by the SHA-256 of
what was written: its signature cannot be trusted at once, since its change
time is that of the rename that put it in place, moments before. The next run
reads and hashes it once and, the content unchanged, records its signature,
which the runs after use as for a clean file. Only paths, signatures and digests
are written, never data.

Several processes may append to one journal (``protect --workers N``): each
line is one locked, flushed write, and all the steps of one file come from the
process protecting it, so each path's steps stay in order.
"""

from __future__ import annotations

import contextlib
import fcntl
import glob
import hashlib
import json
import os
import signal
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

CRASH_ENV = "DISTRICTGUARD_PROTECT_CRASH_AT"
# A file changed this recently is not recorded by its signature: a second write
# within the same clock tick as the first (timestamps are kept in ticks of a few
# milliseconds) would leave its times as they were. Git's index has the same rule
# for "racily clean" files. Such a file is simply read again next time.
RACY_NS = 2_000_000_000
_steps = [0]


def crash_point() -> None:
    """Kill this process at the step ``$DISTRICTGUARD_PROTECT_CRASH_AT`` names.

    A test hook for proving crash safety; without the variable it does nothing.
    """
    wanted = os.environ.get(CRASH_ENV)
    if not wanted:
        return
    _steps[0] += 1
    if _steps[0] == int(wanted):
        os.kill(os.getpid(), signal.SIGKILL)


def journal_path(home: Path, mode: str, roots: Sequence[Path]) -> Path:
    """Return the journal of a run over ``roots`` in ``mode``."""
    key = "\0".join([mode, *sorted(str(root.resolve()) for root in roots)])
    digest = hashlib.sha256(key.encode()).hexdigest()[:16]
    return home / "journal" / f"{mode}-{digest}.jsonl"


def digest(data: bytes) -> str:
    """Return the SHA-256 of ``data`` in hex."""
    return hashlib.sha256(data).hexdigest()


def signature(info: os.stat_result) -> str:
    """Return a file's stat signature: it changes whenever the file is written."""
    return (
        f"{info.st_dev}:{info.st_ino}:{info.st_size}:"
        f"{info.st_mtime_ns}:{info.st_ctime_ns}"
    )


def settled(info: os.stat_result) -> bool:
    """Return whether a file last changed long enough ago (``RACY_NS``) for
    its signature to tell any later write."""
    return time.time_ns() - info.st_ctime_ns >= RACY_NS


class Journal:
    """An append-only, crash-safe log of one run's steps."""

    def __init__(self, path: Path) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        self.last: dict[str, dict[str, Any]] = {}
        if path.exists():
            self._read()
        self._fd = os.open(path, os.O_RDWR | os.O_APPEND | os.O_CREAT, 0o600)
        with self._locked():
            self._end_torn_line()

    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        fcntl.flock(self._fd, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(self._fd, fcntl.LOCK_UN)

    def _end_torn_line(self) -> None:
        # A line cut by a kill must not swallow the next one written after it.
        size = os.fstat(self._fd).st_size
        if size and os.pread(self._fd, 1, size - 1) != b"\n":
            os.write(self._fd, b"\n")

    def _read(self) -> None:
        with self.path.open("rb") as handle:
            for line in handle:
                try:
                    entry = json.loads(line)
                except ValueError:
                    continue  # a line torn by a crash: its step was not taken
                if isinstance(entry, dict) and isinstance(entry.get("path"), str):
                    self.last[entry["path"]] = entry

    def append(self, op: str, path: str, *, sync: bool = True, **fields: Any) -> None:
        """Write one step and, unless ``sync`` is false, flush it to disk first.

        A ``clean`` step needs no flush: it announces nothing to be done, and if
        a crash loses it the next run only reads that file again.
        """
        entry = {"op": op, "path": path, **fields}
        line = (json.dumps(entry, ensure_ascii=False) + "\n").encode()
        with self._locked():
            os.write(self._fd, line)
            if sync:
                os.fsync(self._fd)
        self.last[path] = entry
        crash_point()

    def unchanged_since(self, path: str, sig: str) -> bool:
        """Return whether ``path`` was clean or done and its stat signature is
        still the ``sig`` recorded then."""
        entry = self.last.get(path)
        return (
            entry is not None
            and entry["op"] in ("clean", "done")
            and entry.get("sig") == sig
        )

    def wants_digest(self, path: str) -> bool:
        """Return whether :meth:`finished` needs the content's SHA-256 for ``path``."""
        entry = self.last.get(path)
        if entry is None:
            return False
        return entry["op"] == "done" or (entry["op"] == "clean" and "sha" in entry)

    def finished(self, path: str, sha: str) -> bool:
        """Return whether ``path`` is done or clean and still has content ``sha``."""
        entry = self.last.get(path)
        if entry is None:
            return False
        return (entry["op"] == "done" and entry.get("after") == sha) or (
            entry["op"] == "clean" and entry.get("sha") == sha
        )

    def interrupted(self) -> list[dict[str, Any]]:
        """Return the steps a crash cut short (``begin`` or ``ready`` last)."""
        return [e for e in self.last.values() if e["op"] in ("begin", "ready")]

    def recover(self) -> int:
        """Remove the temporary files of interrupted steps; return how many steps.

        Whatever the step, the original path holds the original or the protected
        version (the rename is atomic), so removing the temporary copy loses
        nothing: the file is simply protected again, or found already protected.
        """
        steps = self.interrupted()
        for entry in steps:
            temp = entry.get("temp")
            if isinstance(temp, str):
                Path(temp).unlink(missing_ok=True)
                _remove_partial(Path(temp))
            target = entry.get("target")
            if isinstance(target, str) and entry["op"] == "begin":
                _remove_partial(Path(target))
            self.append("abandoned", entry["path"])
        return len(steps)

    def close(self) -> None:
        """Close the journal file."""
        os.close(self._fd)


def _remove_partial(target: Path) -> None:
    """Remove what a whole-file encryption cut short left beside ``target``.

    An encrypted file appears only by a rename once complete, but its own
    temporary file (``.name.dgtmp-XXXX``) may be left.
    """
    with contextlib.suppress(OSError):
        for leftover in target.parent.glob(f".{glob.escape(target.name)}.dgtmp-*"):
            leftover.unlink(missing_ok=True)


__all__ = [
    "CRASH_ENV",
    "RACY_NS",
    "Journal",
    "crash_point",
    "digest",
    "journal_path",
    "settled",
    "signature",
]
