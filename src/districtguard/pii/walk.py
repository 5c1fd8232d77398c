"""Walk the paths a scan was given, yielding files to read and what was passed over.

Entries are visited in name order so two scans of the same tree report in the
same order. Globs are matched (case-sensitively, ``fnmatch`` style, where ``*``
also crosses ``/``) against the path relative to the root it was found under and
against the bare name; an excluded directory is not entered. A path named
explicitly is always scanned: globs filter only what a walk finds. Nothing is
excluded by default, not even ``.git``: personal information can hide anywhere.

Symbolic links found during a walk are reported as skipped unless links are
followed; then every directory is entered at most once, keyed by its device and
inode, so loops and duplicate links end instead of repeating.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from fnmatch import fnmatchcase
from pathlib import Path

from districtguard.pii.results import FileResult

NOT_FOLLOWED = "symbolic link (not followed; use --follow-symlinks)"
LOOP = "symbolic link loop (directory already being scanned)"
DUPLICATE = "directory already scanned through another link"


@dataclass(frozen=True, slots=True)
class Filter:
    """Which files and directories a walk keeps."""

    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    # (device, inode) of files never to scan, such as the report being written.
    ignore: frozenset[tuple[int, int]] = frozenset()

    def excluded(self, relative: str, name: str) -> bool:
        """Return whether an exclude glob matches the relative path or the name."""
        return _matches(self.exclude, relative, name)

    def wanted(self, relative: str, name: str) -> bool:
        """Return whether a file found by the walk should be scanned."""
        if self.excluded(relative, name):
            return False
        return not self.include or _matches(self.include, relative, name)

    def ignored(self, entry: os.DirEntry[str]) -> bool:
        """Return whether ``entry`` is one of the files never to scan."""
        if not self.ignore or entry.inode() not in {ino for _, ino in self.ignore}:
            return False  # the inode comes free with the listing; stat only on a hit
        try:
            return _key(entry.stat(follow_symlinks=False)) in self.ignore
        except OSError:
            return False


def _matches(globs: Sequence[str], relative: str, name: str) -> bool:
    return any(fnmatchcase(relative, g) or fnmatchcase(name, g) for g in globs)


def _is_dir(entry: os.DirEntry[str], follow: bool) -> bool:
    try:
        return entry.is_dir(follow_symlinks=follow)
    except OSError:
        return False  # a link loop: scanned as a file, which reports why it fails


def _key(stat: os.stat_result) -> tuple[int, int]:
    return (stat.st_dev, stat.st_ino)


def walk(
    roots: Sequence[Path], rules: Filter, *, follow_symlinks: bool = False
) -> Iterator[Path | FileResult]:
    """Yield each file to scan as a path, and each thing passed over as a result."""
    seen: set[tuple[int, int]] = set()
    for root in roots:
        try:
            stat = root.stat()
        except FileNotFoundError:
            reason = "broken symbolic link" if root.is_symlink() else "does not exist"
            yield FileResult(str(root), "failed", reason)
            continue
        except OSError as exc:
            yield FileResult(str(root), "failed", describe_os_error(exc))
            continue
        if not root.is_dir():
            yield root
            continue
        if _key(stat) in seen:
            yield FileResult(str(root), "skipped", DUPLICATE)
            continue
        seen.add(_key(stat))
        yield from _walk_tree(root, _key(stat), rules, follow_symlinks, seen)


def _walk_tree(
    root: Path,
    root_key: tuple[int, int],
    rules: Filter,
    follow: bool,
    seen: set[tuple[int, int]],
) -> Iterator[Path | FileResult]:
    # A stack of (directory, its path relative to root, the keys of its ancestors).
    stack: list[tuple[Path, str, frozenset[tuple[int, int]]]] = [
        (root, "", frozenset({root_key}))
    ]
    while stack:
        directory, prefix, ancestors = stack.pop()
        try:
            with os.scandir(directory) as listing:
                entries = sorted(listing, key=lambda entry: entry.name)
        except OSError as exc:
            reason = f"cannot list directory: {describe_os_error(exc)}"
            yield FileResult(str(directory), "failed", reason)
            continue
        subdirectories = []
        for entry in entries:
            relative = prefix + entry.name
            path = directory / entry.name
            if _is_dir(entry, follow):
                if rules.excluded(relative, entry.name):
                    continue
                try:
                    key = _key(entry.stat(follow_symlinks=follow))
                except OSError as exc:
                    yield FileResult(str(path), "failed", describe_os_error(exc))
                    continue
                if key in seen:
                    reason = LOOP if key in ancestors else DUPLICATE
                    yield FileResult(str(path), "skipped", reason)
                    continue
                seen.add(key)
                subdirectories.append((path, relative + "/", ancestors | {key}))
            elif not rules.wanted(relative, entry.name) or rules.ignored(entry):
                continue
            elif entry.is_symlink() and not follow:
                yield FileResult(str(path), "skipped", NOT_FOLLOWED)
            else:
                yield path
        # Reversed, so the stack pops subdirectories in name order.
        stack.extend(reversed(subdirectories))


def describe_os_error(exc: OSError) -> str:
    """Return a short reason for an operating-system error, without the path."""
    if isinstance(exc, PermissionError):
        return "permission denied"
    if isinstance(exc, FileNotFoundError):
        return "disappeared during the scan"
    if exc.errno is not None:
        return os.strerror(exc.errno).lower()
    return type(exc).__name__
