"""Protect files, never losing one: rewrite beside, verify, then replace.

For each file, in order (``docs/protection.md`` explains it to districts):

1. pass over what is not a regular file, our own temporary files, and files
   the journal says are done and that have not changed since;
2. rewrite the file's bytes in its own format (:mod:`.rewrite`), or, in encrypt
   mode, mark it for whole-file encryption when it cannot be edited value by
   value;
3. write the protected version to a temporary file beside the original;
4. verify it (:mod:`.verify`): it reads back, nothing to protect is left, and in
   encrypt mode unprotect gives back the original;
5. keep an encrypted backup of the original if asked;
6. rename the temporary file over the original, and flush the directory.

Each step is announced in the journal first, so an interrupted run resumes:
the original path always holds the original or its protected version.
"""

from __future__ import annotations

import contextlib
import os
import stat
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from districtguard.pii.allocator import prepare_for_scanning
from districtguard.pii.documents import SNIFF_BYTES
from districtguard.pii.documents.base import OLE_MAGIC, SkippedDocument, Source
from districtguard.pii.protection import atomic, verify
from districtguard.pii.protection.base import (
    Mode,
    ProtectionError,
    TokenRestorer,
    ValueProtector,
)
from districtguard.pii.protection.edits import Action, Edit, Job, Policy
from districtguard.pii.protection.journal import (
    Journal,
    crash_point,
    digest,
    settled,
    signature,
)
from districtguard.pii.protection.keys import KeyRing
from districtguard.pii.protection.rewrite import (
    UNKNOWN,
    format_for,
    protect_document,
)
from districtguard.pii.protection.rewrite.text import TextFormat, source_edits
from districtguard.pii.protection.tokens import TOKEN_RE
from districtguard.pii.protection.wholefile import (
    NATIVE_LABELS,
    encrypt_file,
    encrypt_native,
    encrypted_name,
    file_digest,
    is_encrypted_file,
    native_kind,
    natively_encrypted,
    verify_native,
)
from districtguard.pii.results import FileResult, ScanSummary, Status
from districtguard.pii.walk import Filter, walk

# Outcomes: what happened to a file, as the report and the summary name it.
PROTECTED = "protected"
PROTECTED_IN_PART = "protected-in-part"
ENCRYPTED_WHOLE = "encrypted-whole-file"
UNCHANGED = "unchanged"
EARLIER = "done in an earlier run"  # the reason given for a file passed over
CHANGED = "changed while it was being protected; run the command again"
ALREADY = "already-protected"
WOULD_PROTECT = "would-protect"
WOULD_ENCRYPT_WHOLE = "would-encrypt-whole-file"
NOT_PROTECTED = "not-protected"
SKIPPED = "skipped"
FAILED = "failed"

# How files that cannot be protected value by value are encrypted whole.
DGENC = "dgenc"  # DistrictGuard's own format, beside: name.pdf.dgenc
NATIVE = "native"  # PDF and Office files: their own password encryption, in place

_STATUS: dict[str, Status] = {NOT_PROTECTED: "failed", FAILED: "failed"}
_STATUS[SKIPPED] = "skipped"


@dataclass(frozen=True, slots=True)
class Services:
    """What protection needs from the keys: a protector, and for encryption more.

    ``restorer`` (the cipher itself in encrypt mode) proves each round trip;
    ``ring`` encrypts whole files and backups; ``password`` opens PDF and
    Office files encrypted with their own format's encryption.
    """

    protector: ValueProtector
    restorer: TokenRestorer | None = None
    ring: KeyRing | None = None
    password: str | None = field(default=None, repr=False)


@dataclass(frozen=True, slots=True)
class ProtectConfig:
    """A protect run: what, how, and where its journal and backups go."""

    paths: tuple[Path, ...]
    policy: Policy
    dry_run: bool = False
    backup_dir: Path | None = None
    journal: Path | None = None
    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    follow_symlinks: bool = False
    keep_unknown: bool = False
    ignore: tuple[Path, ...] = ()
    workers: int = 1
    whole_file: str = DGENC


@dataclass(frozen=True, slots=True)
class ProtectResult:
    """What happened to one file: its outcome and one action per finding."""

    file: FileResult
    outcome: str
    actions: tuple[Action, ...] = ()

    @property
    def path(self) -> str:
        """Return the file's path."""
        return self.file.path


@dataclass
class ProtectSummary:
    """Counts over a whole run: the scan's, plus outcomes and protected values."""

    scan: ScanSummary = field(default_factory=ScanSummary)
    outcomes: Counter[str] = field(default_factory=Counter)
    actions: Counter[str] = field(default_factory=Counter)
    values: Counter[str] = field(default_factory=Counter)
    recovered: int = 0

    def add(self, result: ProtectResult) -> None:
        """Count one file's result."""
        self.scan.add(result.file)
        self.outcomes[result.outcome] += 1
        for action in result.actions:
            self.actions[action.action] += 1
            if not action.action.startswith("skipped"):
                self.values[str(action.finding.element)] += 1

    @property
    def partial(self) -> bool:
        """Return whether some file failed or could not be protected completely."""
        return self.scan.partial

    def to_dict(self) -> dict[str, object]:
        """Return the JSON-ready form."""
        return {
            **self.scan.to_dict(),
            "outcomes": dict(sorted(self.outcomes.items())),
            "actions": dict(sorted(self.actions.items())),
            "values_protected": dict(sorted(self.values.items())),
            "interrupted_steps_recovered": self.recovered,
        }


def _result(
    path: Path,
    outcome: str,
    reason: str = "",
    *,
    size: int = 0,
    job: Job | None = None,
) -> ProtectResult:
    actions = tuple(job.actions) if job else ()
    problems = tuple(job.problems) if job else ()
    status = _STATUS.get(outcome, "scanned")
    findings = tuple(action.finding for action in actions)
    file = FileResult(str(path), status, reason, size, findings, problems)
    return ProtectResult(file, outcome, actions)


def _plan_in_stream(
    path: Path, info: os.stat_result, job: Job
) -> tuple[TextFormat, list[Edit]] | None:
    """Plan a text, CSV or JSON file as the scan reads it, without holding it.

    Return its rewriter and its edits, or None for any other format, and for
    content under another format's magic (a PDF or an Office container named
    ``.txt``), which the in-memory path judges.
    """
    with path.open("rb") as handle:
        head = handle.read(SNIFF_BYTES)
    if head.startswith(OLE_MAGIC) or native_kind(path.name, head) is not None:
        return None
    try:
        rewriter = format_for(path.name, head)
    except SkippedDocument:
        return None
    if not isinstance(rewriter, TextFormat):
        return None
    source = Source(path.name, lambda: path.open("rb"), info.st_size)
    return rewriter, source_edits(rewriter.reader, source, job)


def _left_alone(job: Job) -> list[Action]:
    """Return the actions a format could not take (not the policy's choices)."""
    return [
        action
        for action in job.actions
        if action.action.startswith("skipped:")
        and action.finding.element in job.policy.targets
        and action.action not in _POLICY_SKIPS
    ]


_POLICY_SKIPS = frozenset(
    {"skipped:names-are-kept", "skipped:element-not-selected", "skipped:not-statutory"}
)


class Protector:
    """Protect files one by one under one configuration and one journal."""

    def __init__(
        self, config: ProtectConfig, services: Services, journal: Journal | None
    ) -> None:
        self.config = config
        self.services = services
        self.journal = journal
        prepare_for_scanning()  # each file reuses the buffers of the one before

    def _step(
        self, op: str, path: Path, *, sync: bool = True, **fields: object
    ) -> None:
        if self.journal is not None:
            self.journal.append(op, str(path.absolute()), sync=sync, **fields)

    def protect(self, path: Path) -> ProtectResult:
        """Protect one file; never raise for a bad file."""
        try:
            return self._protect(path)
        except Exception as exc:  # one bad file must not stop the run
            return _result(path, FAILED, verify.describe(exc))

    def _protect(self, path: Path) -> ProtectResult:
        config = self.config
        try:
            info = path.stat()
        except FileNotFoundError:
            return _result(path, FAILED, "disappeared before it was protected")
        if not stat.S_ISREG(info.st_mode):
            return _result(path, SKIPPED, "not a regular file")
        if atomic.is_temp(path.name):
            return _result(path, SKIPPED, "temporary file of an interrupted run")
        journal, where = self.journal, str(path.absolute())
        sig = signature(info)
        if journal is not None and journal.unchanged_since(where, sig):
            return _result(path, UNCHANGED, EARLIER, size=info.st_size)
        if is_encrypted_file(path):
            return _result(path, ALREADY, "encrypted whole", size=info.st_size)
        limit = config.policy.limits.max_member_size
        too_large = f"larger than {limit} bytes; too large to rewrite in memory"
        data: bytes | None = None
        if journal is not None and journal.wants_digest(where):
            if info.st_size > limit:
                return _result(path, FAILED, too_large, size=info.st_size)
            data = path.read_bytes()
            sha = digest(data)
            if journal.finished(where, sha):
                self._settle(journal, path, info, sha)
                return _result(path, UNCHANGED, EARLIER, size=len(data))
        job = Job(
            config.policy,
            self.services.protector,
            str(path),
            TOKEN_RE,
            dry_run=config.dry_run,
        )
        new: bytes | None = None
        planned = None
        if data is None:
            # A text, CSV or JSON file is planned as the scan reads it, and read
            # whole only to be rewritten: a clean one is never held in memory (and
            # may be larger than what can be rewritten).
            try:
                planned = _plan_in_stream(path, info, job)
                if planned is not None and planned[1]:
                    rewriter, edits = planned
                    if info.st_size > limit:
                        return _result(
                            path, FAILED, too_large, size=info.st_size, job=job
                        )
                    data = path.read_bytes()
                    if not self._same(path, sig):
                        return _result(path, FAILED, CHANGED, size=len(data), job=job)
                    new = rewriter.apply(data, job, edits)
            except ProtectionError as exc:
                reason = f"cannot be protected in place: {exc}"
                return _result(path, NOT_PROTECTED, reason, size=info.st_size, job=job)
            except Exception as exc:
                reason = verify.describe(exc)
                return _result(path, FAILED, reason, size=info.st_size, job=job)
        if planned is None:
            if data is None and info.st_size > limit:
                return _result(path, FAILED, too_large, size=info.st_size)
            data = path.read_bytes() if data is None else data
            kind = natively_encrypted(data)
            if kind is not None:
                reason = f"{NATIVE_LABELS[kind]}: opens only with its password"
                return _result(path, ALREADY, reason, size=len(data))
            try:
                new = protect_document(path.name, data, job)
            except ProtectionError as exc:
                reason = f"cannot be protected in place: {exc}"
                if kind := self._native_kind(path, data, job):
                    return self._native(path, info, data, job, reason, kind)
                return _result(path, NOT_PROTECTED, reason, size=len(data), job=job)
            except Exception as exc:
                reason = verify.describe(exc)
                return _result(path, FAILED, reason, size=len(data), job=job)
        if data is None:  # planned from the stream, and nothing to change
            return self._unchanged(path, info, job, info.st_size)
        if job.whole_file and (kind := self._native_kind(path, data, job)):
            return self._native(path, info, data, job, job.whole_file, kind)
        if job.whole_file:
            return self._whole(path, data, job)
        left = _left_alone(job)
        if left and (kind := self._native_kind(path, data, job)):
            reason = f"{len(left)} values cannot be protected in place " + (
                f"({left[0].action.removeprefix('skipped:')})"
            )
            return self._native(path, info, data, job, reason, kind)
        if new is None and not (config.dry_run and job.protected):
            return self._unchanged(path, info, job, len(data))
        if config.dry_run or new is None:
            return _result(path, WOULD_PROTECT, size=len(data), job=job)
        self._replace(path, info, data, new, job)
        if left:
            job.problems.append(
                f"{len(left)} values not protected: "
                f"{left[0].action.removeprefix('skipped:')}"
            )
            return _result(path, PROTECTED_IN_PART, size=len(data), job=job)
        return _result(path, PROTECTED, size=len(data), job=job)

    def _unchanged(
        self, path: Path, info: os.stat_result, job: Job, size: int
    ) -> ProtectResult:
        """Return the result of a file left as it was, and journal it if clean."""
        left = _left_alone(job)
        if left:
            reason = f"{len(left)} values cannot be protected in place " + (
                f"({left[0].action.removeprefix('skipped:')})"
            )
            return _result(path, NOT_PROTECTED, reason, size=size, job=job)
        if self.journal is not None and not job.problems:
            self._record_signature(path, info, "clean")
        return _result(path, UNCHANGED, size=size, job=job)

    def _settle(
        self, journal: Journal, path: Path, info: os.stat_result, sha: str
    ) -> None:
        """Record the signature of a file found done or clean by its digest, so
        that the next run passes over it without reading it.

        A file the run before protected may not have settled yet (its change
        time is that of the rename that put it in place): it is hashed again
        next time.
        """
        if journal.last[str(path.absolute())]["op"] == "done":
            self._record_signature(path, info, "done", after=sha)
        else:
            self._record_signature(path, info, "clean")

    def _record_signature(
        self, path: Path, info: os.stat_result, op: str, **fields: object
    ) -> None:
        """Journal ``op`` with the file's stat signature, unflushed (a lost line
        only means reading the file again), if the file has settled and is
        still as it was when read."""
        sig = signature(info)
        if settled(info) and self._same(path, sig):
            self._step(op, path, sync=False, sig=sig, **fields)

    @staticmethod
    def _same(path: Path, sig: str) -> bool:
        """Return whether ``path`` still has signature ``sig``: what was read is
        what is there, so a later run may pass it over by its signature."""
        try:
            return signature(path.stat()) == sig
        except OSError:
            return False

    def _replace(
        self, path: Path, info: os.stat_result, data: bytes, new: bytes, job: Job
    ) -> None:
        def write(temp: Path) -> str:
            atomic.write_temp(path, new, info, temp=temp)
            crash_point()
            verify.verify_rewrite(temp, path.name, data, new, job, self.services)
            return digest(new)

        self._swap_in(path, data, write)

    def _swap_in(self, path: Path, data: bytes, write: Callable[[Path], str]) -> None:
        """Replace ``path`` with what ``write`` puts in a temporary file beside it.

        ``write`` makes and verifies the new version in the temporary file and
        returns its digest. Journaled begin, ready and done: a run killed at
        any point leaves the original or the new version, and the next run
        removes a temporary file an interrupted one left.
        """
        temp = atomic.temp_path(path).absolute()
        self._step("begin", path, temp=str(temp), before=digest(data))
        try:
            after = write(temp)
            self._backup(path, data)
            self._step("ready", path, temp=str(temp), after=after)
            atomic.replace(temp, path)
            crash_point()
        except BaseException:
            with contextlib.suppress(OSError):
                temp.unlink(missing_ok=True)
            self._step("abandoned", path)
            raise
        self._step("done", path, after=after)

    def _native_kind(self, path: Path, data: bytes, job: Job) -> str | None:
        """Return the native encryption this file gets instead, if any."""
        if self.config.whole_file != NATIVE or job.mode != "encrypt":
            return None
        return native_kind(path.name, data)

    def _native(
        self,
        path: Path,
        info: os.stat_result,
        data: bytes,
        job: Job,
        why: str,
        kind: str,
    ) -> ProtectResult:
        """Encrypt a PDF or Office file whole with its own password encryption.

        The same steps as a rewrite: beside, verified, renamed over the original.
        """
        reason = f"{why}; {NATIVE_LABELS[kind]}"
        size = len(data)
        if self.config.dry_run:
            return _result(path, WOULD_ENCRYPT_WHOLE, reason, size=size, job=job)
        password = self.services.password
        if not password:
            raise ProtectionError("native encryption needs the file password")

        def write(temp: Path) -> str:
            encrypt_native(path, temp, kind, password)
            temp.chmod(stat.S_IMODE(info.st_mode))
            with contextlib.suppress(PermissionError):
                os.chown(temp, info.st_uid, info.st_gid)
            crash_point()
            verify_native(temp, data, kind, password)
            return file_digest(temp)

        self._swap_in(path, data, write)
        return _result(path, ENCRYPTED_WHOLE, reason, size=size, job=job)

    def _whole(self, path: Path, data: bytes, job: Job) -> ProtectResult:
        size = len(data)
        if job.mode == "redact" or (
            job.whole_file == UNKNOWN and self.config.keep_unknown
        ):
            return _result(path, SKIPPED, job.whole_file, size=size, job=job)
        if self.config.dry_run:
            return _result(
                path, WOULD_ENCRYPT_WHOLE, job.whole_file, size=size, job=job
            )
        ring = self.services.ring
        if ring is None:
            raise ProtectionError("whole-file encryption needs the keyring")
        target = encrypted_name(path).absolute()
        if target.exists() and not verify.decrypts_to(target, data, ring):
            raise ProtectionError(
                f"{target.name} already exists and holds other content; "
                "move it away, then protect again"
            )
        self._step("begin", path, target=str(target), before=digest(data))
        encrypt_file(path, target, ring)
        crash_point()
        if not verify.decrypts_to(target, data, ring):
            target.unlink(missing_ok=True)
            self._step("abandoned", path)
            raise verify.VerifyError(
                "the encrypted file does not decrypt to the original"
            )
        self._backup(path, data)
        self._step("ready", path, target=str(target))
        path.unlink()
        atomic.fsync_dir(path.parent)
        crash_point()
        self._step("done", path, target=str(target))
        return _result(path, ENCRYPTED_WHOLE, job.whole_file, size=size, job=job)

    def _backup(self, path: Path, data: bytes) -> None:
        folder = self.config.backup_dir
        if folder is None:
            return
        ring = self.services.ring
        if ring is None:
            raise ProtectionError("backups are encrypted: they need the keyring")
        relative = str(path.resolve()).lstrip(os.sep)
        target = folder / f"{relative}.{digest(data)[:12]}.dgenc"
        if target.exists():
            return  # the same content was backed up before
        target.parent.mkdir(parents=True, exist_ok=True)
        encrypt_file(path, target, ring)


def _walk(config: ProtectConfig) -> Iterator[Path | FileResult]:
    exclude = (*config.exclude, f"*{atomic.TEMP_MARK}*")
    ignore = set()
    for path in config.ignore:
        with contextlib.suppress(OSError):
            info = path.stat()
            ignore.add((info.st_dev, info.st_ino))
    rules = Filter(tuple(config.include), exclude, frozenset(ignore))
    return walk(config.paths, rules, follow_symlinks=config.follow_symlinks)


def failed_result(path: Path, reason: str) -> ProtectResult:
    """Return the result of a file that failed for ``reason``."""
    return _result(path, FAILED, reason)


def walk_result(item: FileResult) -> ProtectResult:
    """Return the result of a path the walk itself skipped or failed."""
    return ProtectResult(item, SKIPPED if item.status == "skipped" else FAILED)


def _protect_here(
    items: Iterator[Path | FileResult], protector: Protector
) -> Iterator[ProtectResult]:
    for item in items:
        if isinstance(item, FileResult):
            yield walk_result(item)
        else:
            yield protector.protect(item)


def protect_paths(
    config: ProtectConfig,
    services: Services,
    on_result: Callable[[ProtectResult], None] | None = None,
) -> ProtectSummary:
    """Protect every file under ``config.paths``, passing each result on.

    Results come in walk order, with one worker or several.
    """
    started = time.monotonic()
    summary = ProtectSummary()
    journal = None
    if config.journal is not None and not config.dry_run:
        journal = Journal(config.journal)
        summary.recovered = journal.recover()
    try:
        if config.workers > 1:
            from districtguard.pii.protection.parallel import protect_in_pool

            results = protect_in_pool(_walk(config), config, services, summary)
        else:
            results = _protect_here(_walk(config), Protector(config, services, journal))
        for result in results:
            summary.add(result)
            if on_result is not None:
                on_result(result)
    finally:
        if journal is not None:
            journal.close()
    summary.scan.duration = time.monotonic() - started
    return summary


__all__ = [
    "ALREADY",
    "DGENC",
    "ENCRYPTED_WHOLE",
    "FAILED",
    "NATIVE",
    "NOT_PROTECTED",
    "PROTECTED",
    "PROTECTED_IN_PART",
    "SKIPPED",
    "UNCHANGED",
    "WOULD_ENCRYPT_WHOLE",
    "WOULD_PROTECT",
    "Mode",
    "ProtectConfig",
    "ProtectResult",
    "ProtectSummary",
    "Services",
    "protect_paths",
]
