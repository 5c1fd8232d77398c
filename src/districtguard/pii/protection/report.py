"""What ``protect`` writes: the scan's report contract plus the action per finding.

``jsonl`` is one JSON object per finding per line, with the scan's keys
(:data:`~districtguard.pii.reports.base.FINDING_FIELDS`) and ``action`` last:
``redacted``, ``encrypted``, ``would-redact``, ``would-encrypt`` or
``skipped:<reason>``. ``json`` is one document: every file with its outcome and
findings, then the summary. ``table`` is a table per file for people. The
summary and any failures go to stderr for the machine formats, as for ``scan``.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable
from typing import Protocol

from rich.console import Console
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from districtguard.pii.protection.pipeline import ProtectResult, ProtectSummary
from districtguard.pii.reports.base import TextSink
from districtguard.pii.reports.summary import print_summary

MAX_ROWS = 2_000
FILE_WIDTH = 160


class ProtectWriter(Protocol):
    """A format: takes results one by one, then the summary."""

    def add(self, result: ProtectResult) -> None:
        """Write (or keep) one file's result."""
        ...

    def finish(self, summary: ProtectSummary) -> None:
        """Write what comes after the last result."""
        ...


class JsonLinesWriter:
    """One line per finding, as soon as its file is done."""

    def __init__(self, sink: TextSink) -> None:
        self._sink = sink

    def add(self, result: ProtectResult) -> None:
        """Write one line per finding, with its action."""
        for action in result.actions:
            line = json.dumps(action.to_dict(), ensure_ascii=False)
            self._sink.write(line + "\n")

    def finish(self, summary: ProtectSummary) -> None:
        """Flush; the summary is not part of this format."""
        self._sink.flush()


class JsonDocumentWriter:
    """One JSON document: files, then the summary; findings streamed as they come."""

    def __init__(self, sink: TextSink) -> None:
        self._sink = sink
        self._first = True
        sink.write('{"files": [')

    def add(self, result: ProtectResult) -> None:
        """Write one file's entry."""
        entry = {
            "path": result.path,
            "outcome": result.outcome,
            "reason": result.file.reason,
            "problems": list(result.file.problems),
            "findings": [action.to_dict() for action in result.actions],
        }
        self._sink.write(("\n" if self._first else ",\n") + json.dumps(entry))
        self._first = False

    def finish(self, summary: ProtectSummary) -> None:
        """Close the file list and write the summary."""
        self._sink.write(f'\n], "summary": {json.dumps(summary.to_dict())}}}\n')
        self._sink.flush()


def _values(result: ProtectResult) -> str:
    counts = Counter(
        str(action.finding.element)
        for action in result.actions
        if not action.action.startswith("skipped")
    )
    return ", ".join(f"{name} {count}" for name, count in sorted(counts.items()))


class TableWriter:
    """A row per file that had something to protect, or went wrong."""

    def __init__(self, sink: TextSink, *, max_rows: int = MAX_ROWS) -> None:
        isatty = getattr(sink, "isatty", None)
        width = None if isatty is not None and isatty() else FILE_WIDTH
        self._console = Console(file=sink, width=width)  # type: ignore[arg-type]
        self._rows: list[ProtectResult] = []
        self._max_rows = max_rows
        self._left_out = 0

    def add(self, result: ProtectResult) -> None:
        """Keep the row if the file had values, or a reason worth showing."""
        if not result.actions and not result.file.reason:
            return
        if len(self._rows) < self._max_rows:
            self._rows.append(result)
        else:
            self._left_out += 1

    def finish(self, summary: ProtectSummary) -> None:
        """Print the table and the summary."""
        console = self._console
        if self._rows:
            table = Table(title="Protection", title_justify="left")
            table.add_column("path", overflow="fold")
            table.add_column("outcome")
            table.add_column("values", overflow="fold")
            table.add_column("why", overflow="fold")
            for result in self._rows:
                reason = result.file.reason or "; ".join(result.file.problems)
                table.add_row(
                    Text(result.path), result.outcome, _values(result), Text(reason)
                )
            console.print(table)
        else:
            console.print("Nothing to protect.")
        if self._left_out:
            console.print(
                f"{self._left_out:,} more files not shown; use --format jsonl"
            )
        print_protect_summary(console, summary)
        console.file.flush()


def print_protect_summary(console: Console, summary: ProtectSummary) -> None:
    """Print the scan summary, then what protection did."""
    print_summary(console, summary.scan)
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold")
    grid.add_column()
    outcomes = " · ".join(f"{k} {v:,}" for k, v in sorted(summary.outcomes.items()))
    grid.add_row("Files", outcomes or "none")
    values = " · ".join(f"{k} {v:,}" for k, v in sorted(summary.values.items()))
    grid.add_row("Values", values or "none")
    skipped = {k: v for k, v in summary.actions.items() if k.startswith("skipped")}
    if skipped:
        text = " · ".join(
            f"{k.removeprefix('skipped:')} {v:,}" for k, v in sorted(skipped.items())
        )
        grid.add_row("Left alone", text)
    if summary.recovered:
        grid.add_row("Resumed", f"{summary.recovered:,} interrupted steps cleaned up")
    style = "red" if summary.partial else "green"
    console.print(Panel(grid, title="Protection", border_style=style, expand=False))


FORMATS: dict[str, Callable[[TextSink], ProtectWriter]] = {
    "table": TableWriter,
    "jsonl": JsonLinesWriter,
    "json": JsonDocumentWriter,
}

__all__ = ["FORMATS", "ProtectWriter", "print_protect_summary"]
