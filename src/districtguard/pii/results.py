"""What a scan reports: one result per file, and a running summary of them all."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Literal

from districtguard.pii.findings import Finding

Status = Literal["scanned", "skipped", "failed"]

# Skip reasons are counted by text; a hostile share must not grow this without end.
MAX_SKIP_REASONS = 50


@dataclass(frozen=True, slots=True)
class FileResult:
    """What happened to one file.

    A ``scanned`` file with ``problems`` was read only in part (a damaged sheet, an
    unreadable archive member): its findings are real but it cannot vouch for the
    rest, so it makes the scan partial. A ``failed`` file may still carry the
    findings made before it failed.
    """

    path: str
    status: Status
    reason: str = ""
    size: int = 0
    findings: tuple[Finding, ...] = ()
    problems: tuple[str, ...] = ()
    skipped_members: int = 0
    protected: int = 0  # protection tokens seen: values already encrypted
    # (element, "encrypted" | "redacted", values): see districtguard.pii.protected
    protected_kinds: tuple[tuple[str, str, int], ...] = ()

    @property
    def partial(self) -> bool:
        """Return whether this file was not read completely."""
        return self.status == "failed" or bool(self.problems)


@dataclass(frozen=True, slots=True)
class Failure:
    """A file the scan could not read, or read only in part."""

    path: str
    reason: str
    kind: Literal["failed", "partial"]

    def to_dict(self) -> dict[str, str]:
        """Return the JSON-ready form."""
        return {"path": self.path, "kind": self.kind, "reason": self.reason}


@dataclass
class ScanSummary:
    """Counts over a whole scan; findings themselves are not kept."""

    files_scanned: int = 0
    files_skipped: int = 0
    files_failed: int = 0
    bytes_scanned: int = 0
    findings: Counter[str] = field(default_factory=Counter)
    statutory_findings: int = 0
    statutory_records: int = 0
    files_with_findings: int = 0
    skipped_members: int = 0
    protected_values: int = 0
    files_with_protected: int = 0
    skip_reasons: Counter[str] = field(default_factory=Counter)
    failures: list[Failure] = field(default_factory=list)
    duration: float = 0.0

    def add(self, result: FileResult) -> None:
        """Count one file's result."""
        if result.status == "scanned":
            self.files_scanned += 1
            self.bytes_scanned += result.size
        elif result.status == "skipped":
            self.files_skipped += 1
            reason = result.reason
            if reason in self.skip_reasons or len(self.skip_reasons) < MAX_SKIP_REASONS:
                self.skip_reasons[reason] += 1
            else:
                self.skip_reasons["other reasons"] += 1
        else:
            self.files_failed += 1
            self.failures.append(Failure(result.path, result.reason, "failed"))
        self.failures.extend(
            Failure(result.path, problem, "partial") for problem in result.problems
        )
        self.skipped_members += result.skipped_members
        if result.protected:
            self.protected_values += result.protected
            self.files_with_protected += 1
        if not result.findings:
            return
        self.files_with_findings += 1
        self.findings.update(str(finding.element) for finding in result.findings)
        statutory = [finding for finding in result.findings if finding.statutory]
        self.statutory_findings += len(statutory)
        # Paths differ between files, so distinct records per file add up to
        # distinct (path, record) pairs over the scan.
        self.statutory_records += len({finding.record for finding in statutory})

    @property
    def files_total(self) -> int:
        """Return how many files the scan looked at."""
        return self.files_scanned + self.files_skipped + self.files_failed

    @property
    def findings_total(self) -> int:
        """Return the number of findings of every element."""
        return sum(self.findings.values())

    @property
    def rate(self) -> float:
        """Return files looked at per second."""
        return self.files_total / self.duration if self.duration > 0 else 0.0

    @property
    def partial(self) -> bool:
        """Return whether some file failed or was read only in part."""
        return bool(self.failures)

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON-ready form used by the json and sarif outputs."""
        return {
            "files_scanned": self.files_scanned,
            "files_skipped": self.files_skipped,
            "files_failed": self.files_failed,
            "bytes_scanned": self.bytes_scanned,
            "findings": dict(sorted(self.findings.items())),
            "findings_total": self.findings_total,
            "statutory_findings": self.statutory_findings,
            "statutory_records": self.statutory_records,
            "files_with_findings": self.files_with_findings,
            "skipped_members": self.skipped_members,
            "protected_values": self.protected_values,
            "files_with_protected": self.files_with_protected,
            "skip_reasons": dict(sorted(self.skip_reasons.items())),
            "duration_seconds": round(self.duration, 3),
            "files_per_second": round(self.rate, 1),
            "partial": self.partial,
        }
