"""Scan a database store: each table becomes one result row, like a file.

Tables are sampled (the store says how many rows per table); the sample is
shown with each table's result. A table that fails keeps its earlier result,
marked failed with the reason; a database that cannot be reached fails the run
and keeps every earlier result.
"""

from __future__ import annotations

import dataclasses
import time

from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone

from districtguard.inventory.models import DataStore
from districtguard.inventory.scanning import NO_STAT, FolderScan
from districtguard.pii.databases import Progress, TableResult, scan_database
from districtguard.pii.databases.outcomes import all_rows_read
from districtguard.web.env import env_secret

ALL_TABLES = "all tables"  # what a protection run of a whole database names


def store_password(store: DataStore) -> str | None:
    """Return the database password from the variable the store names, if any.

    The variable holds the password, or ``<variable>_FILE`` names a secrets
    file holding it (as systemd credentials and container secrets are mounted).
    Raise ``OSError`` when the worker has neither, or the file cannot be read.
    """
    if not store.password_env:
        return None
    try:
        password = env_secret(store.password_env)
    except ImproperlyConfigured as exc:
        raise OSError(str(exc)) from None
    if not password:
        raise OSError(
            f"the environment variable {store.password_env} that holds "
            f"the database password (or {store.password_env}_FILE naming a file "
            "that holds it) is not set for the worker"
        )
    return password


def table_name(path: str) -> str:
    """Return the table a database result's path names (``schema.table``)."""
    return path.rpartition("#")[2]


def _reason(table: TableResult) -> str:
    if table.reason:
        return table.reason
    if not table.sampled:
        return all_rows_read(table.rows_scanned)
    estimate = f"about {table.rows_estimated:,}" if table.rows_estimated else "more"
    return f"sampled {table.rows_scanned:,} of {estimate} rows ({table.order})"


class DatabaseScan(FolderScan):
    """One run over one database store."""

    def execute(self) -> None:
        """Scan the database's tables and write one result per table."""
        store = self.store
        password = store_password(store)
        self._load_known()
        result = scan_database(
            store.location,
            self.options,
            sample_rows=store.sample_rows,
            password=password,
            on_progress=self._on_progress,
        )
        if result.error:
            raise OSError(result.error)
        for table in result.tables:
            self.seen.add(table.path)
            self.run.files_seen += 1
            file_result = table.as_file_result()
            if table.status == "scanned":
                self.run.files_scanned += 1
            elif table.status == "failed":
                self.run.files_failed += 1
            self.run.findings += len(table.findings)
            file_result = dataclasses.replace(
                file_result, reason=_reason(table)[:300], size=table.rows_scanned
            )
            # No digest: a failed table keeps its earlier counts.
            digest = "" if table.status == "failed" else "table"
            self.batch.results.append((file_result, NO_STAT, digest))
        self._flush()
        self._forget_deleted()

    def _on_progress(self, progress: Progress) -> None:
        if time.monotonic() - self.flushed < 1.0:
            return
        self.run.files_seen = progress.tables_done
        self.run.files_expected = progress.tables_total
        self.run.findings = progress.findings
        self._progress(timezone.now())
        self.flushed = time.monotonic()
        self.run.files_seen = 0
        self.run.findings = 0
