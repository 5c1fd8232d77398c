"""Protect a file or a whole folder store from the web app: preview, then apply.

Both steps run :func:`districtguard.pii.protection.pipeline.protect_paths`, the
same pipeline as ``districtguard protect``: the preview as a dry run that
changes nothing, the real run with a journal so an interrupted run resumes.
"""

from __future__ import annotations

from pathlib import Path

from districtguard.inventory.models import ProtectionRun
from districtguard.inventory.scanning import detect_options
from districtguard.pii.fingerprint import data_home
from districtguard.pii.protection.edits import PROTECTABLE, Policy
from districtguard.pii.protection.journal import journal_path
from districtguard.pii.protection.pipeline import (
    ProtectConfig,
    ProtectSummary,
    Services,
    protect_paths,
)


def _services(mode: str, paths: list[Path]) -> Services:
    from districtguard.pii.protection.redaction import Redactor

    if mode == ProtectionRun.Mode.REDACT:
        return Services(Redactor())
    from districtguard.pii.protection.cipher import ValueCipher
    from districtguard.pii.protection.keys import KeyRing

    cipher = ValueCipher(KeyRing.load(protected=paths))
    return Services(cipher, cipher, cipher.ring)


def protect(run: ProtectionRun, *, dry_run: bool) -> ProtectSummary:
    """Run the protection ``run`` describes; raise ``ProtectionError`` on bad keys."""
    options = detect_options()
    paths = (Path(run.path),)
    if not paths[0].exists():
        raise FileNotFoundError(f"{run.path} no longer exists")
    policy = Policy(options, options.rules.linked_elements & PROTECTABLE)
    journal = None if dry_run else journal_path(data_home(), run.mode, paths)
    config = ProtectConfig(paths=paths, policy=policy, dry_run=dry_run, journal=journal)
    return protect_paths(config, _services(run.mode, list(paths)))


def counts(summary: ProtectSummary) -> dict[str, object]:
    """Return what the page and the audit log show of a run: counts only."""
    return {
        "files": summary.scan.files_total,
        "outcomes": dict(sorted(summary.outcomes.items())),
        "values": dict(sorted(summary.values.items())),
        "failed": summary.scan.files_failed,
        "partial": summary.partial,
    }
