"""The progress bar a person watches on a terminal while a scan runs."""

from __future__ import annotations

import time
from types import TracebackType

from rich.console import Console
from rich.filesize import decimal
from rich.progress import (
    BarColumn,
    Progress,
    SpinnerColumn,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)

from districtguard.pii.results import FileResult

# Redrawing costs far more than counting, so counts reach the bar at most this often.
UPDATE_SECONDS = 0.1


class ScanProgress:
    """Show files, bytes, findings and rate on ``console``; do nothing without one.

    The total is unknown (the walk and the scan run together), so the bar pulses.
    ``redirect_stdout`` keeps output written to a terminal stdout above the bar.
    """

    def __init__(self, console: Console | None, *, redirect_stdout: bool = False):
        self._progress: Progress | None = None
        if console is not None:
            self._progress = Progress(
                SpinnerColumn(),
                TextColumn("[bold]Scanning"),
                BarColumn(),
                TextColumn("{task.completed:,} files"),
                TextColumn("{task.fields[size]}"),
                TextColumn("{task.fields[findings]:,} findings"),
                TextColumn("{task.fields[rate]:,.0f} files/s"),
                TimeElapsedColumn(),
                console=console,
                transient=True,
                redirect_stdout=redirect_stdout,
                redirect_stderr=False,
            )
        self._task = TaskID(0)
        self._files = 0
        self._bytes = 0
        self._findings = 0
        self._started = self._shown = time.monotonic()

    def __enter__(self) -> ScanProgress:
        if self._progress is not None:
            self._progress.start()
            self._task = self._progress.add_task(
                "scan", total=None, size=decimal(0), findings=0, rate=0.0
            )
        self._started = time.monotonic()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        if self._progress is not None:
            self._progress.stop()

    def update(self, result: FileResult) -> None:
        """Count one result; redraw at most every :data:`UPDATE_SECONDS`."""
        self._files += 1
        self._bytes += result.size
        self._findings += len(result.findings)
        now = time.monotonic()
        if self._progress is None or now - self._shown < UPDATE_SECONDS:
            return
        self._shown = now
        elapsed = max(now - self._started, 1e-9)
        self._progress.update(
            self._task,
            completed=self._files,
            size=decimal(self._bytes),
            findings=self._findings,
            rate=self._files / elapsed,
        )
