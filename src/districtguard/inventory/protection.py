"""Protect a file, a folder store or a database store from the web app.

Preview, then apply. A folder or a file goes through
:func:`districtguard.pii.protection.pipeline.protect_paths`, the same pipeline
as ``districtguard protect``: the preview as a dry run that changes nothing, the
real run with a journal so an interrupted run resumes. A database store goes
through :func:`districtguard.pii.databases.protect.protect_database`: one table
or all of them, every row, in verified batches; its dry run opens only a
read-only session.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from districtguard.inventory.databases import ALL_TABLES, store_password
from districtguard.inventory.models import DataStore, ProtectionRun
from districtguard.inventory.scanning import detect_options
from districtguard.pii.databases.outcomes import DatabaseProtection, ProtectProgress
from districtguard.pii.databases.protect import ProgressCallback, protect_database
from districtguard.pii.fingerprint import data_home
from districtguard.pii.protection.edits import PROTECTABLE, Policy
from districtguard.pii.protection.journal import journal_path
from districtguard.pii.protection.pipeline import (
    ProtectConfig,
    ProtectSummary,
    Services,
    protect_paths,
)

# How many tables a page or an audit entry lists one by one.
MAX_TABLES_LISTED = 200
PROGRESS_EVERY = 1.0  # seconds between progress writes of a database run


def _services(mode: str, paths: list[Path]) -> Services:
    from districtguard.pii.protection.redaction import Redactor

    if mode == ProtectionRun.Mode.REDACT:
        return Services(Redactor())
    from districtguard.pii.protection.cipher import ValueCipher
    from districtguard.pii.protection.keys import KeyRing

    cipher = ValueCipher(KeyRing.load(protected=paths))
    return Services(cipher, cipher, cipher.ring)


def protect(
    run: ProtectionRun, *, dry_run: bool
) -> ProtectSummary | DatabaseProtection:
    """Run the protection ``run`` describes.

    Raise ``ProtectionError`` on bad keys and ``OSError`` when the file, the
    folder, the database or the table cannot be reached. A database run shows
    its progress on the page (under ``progress`` in the preview or the result).
    """
    options = detect_options()
    policy = Policy(options, options.rules.linked_elements & PROTECTABLE)
    if run.store.kind == DataStore.Kind.DATABASE:
        field = "preview" if dry_run else "result"
        return _protect_database(
            run, policy, dry_run=dry_run, on_progress=progress_saver(run, field)
        )
    paths = (Path(run.path),)
    if not paths[0].exists():
        raise FileNotFoundError(f"{run.path} no longer exists")
    journal = None if dry_run else journal_path(data_home(), run.mode, paths)
    config = ProtectConfig(paths=paths, policy=policy, dry_run=dry_run, journal=journal)
    return protect_paths(config, _services(run.mode, list(paths)))


def progress_saver(run: ProtectionRun, field: str) -> ProgressCallback:
    """Return a callback that writes a run's progress at most once a second."""
    last = [-PROGRESS_EVERY]

    def save(progress: ProtectProgress) -> None:
        now = time.monotonic()
        if now - last[0] < PROGRESS_EVERY:
            return
        last[0] = now
        shown = {
            "table_number": progress.tables_done + 1,
            "tables_total": progress.tables_total,
            "table": progress.table,
            "phase": progress.phase,
            "rows": progress.rows,
        }
        fields: dict[str, object] = {field: {"progress": shown}}
        ProtectionRun.objects.filter(pk=run.pk).update(**fields)

    return save


def _protect_database(
    run: ProtectionRun,
    policy: Policy,
    *,
    dry_run: bool,
    on_progress: Callable[[ProtectProgress], None] | None = None,
) -> DatabaseProtection:
    services = _services(run.mode, [])
    include = () if run.path == ALL_TABLES else (run.path,)
    result = protect_database(
        run.store.location,
        policy,
        services.protector,
        restorer=services.restorer,
        dry_run=dry_run,
        include=include,
        password=store_password(run.store),
        on_progress=on_progress,
    )
    if result.error:
        raise OSError(result.error)
    if include and not result.tables:
        raise FileNotFoundError(f"the table {run.path} no longer exists")
    return result


def counts(summary: ProtectSummary | DatabaseProtection) -> dict[str, object]:
    """Return what the page and the audit log show of a run: counts only."""
    if isinstance(summary, DatabaseProtection):
        return _database_counts(summary)
    return {
        "files": summary.scan.files_total,
        "outcomes": dict(sorted(summary.outcomes.items())),
        "values": dict(sorted(summary.values.items())),
        "failed": summary.scan.files_failed,
        "partial": summary.partial,
    }


def _database_counts(result: DatabaseProtection) -> dict[str, object]:
    """Return tables by outcome, values by element, and each table's reason."""
    failed = sum(1 for table in result.tables if table.outcome == "failed")
    return {
        "tables": len(result.tables),
        "outcomes": dict(sorted(result.outcomes.items())),
        "values": dict(sorted(result.values.items())),
        "failed": failed,
        "partial": result.partial,
        "per_table": [
            {
                "table": table.table,
                "outcome": table.outcome,
                "reason": table.reason,
                "rows_read": table.rows_read,
                "rows_changed": table.rows_changed,
                "values": dict(sorted(table.elements.items())),
                "problems": list(table.problems[:5]),
            }
            for table in result.tables[:MAX_TABLES_LISTED]
        ],
    }
