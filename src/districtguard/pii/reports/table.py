"""The human format: a table of findings, then the summary panel.

Paths in the table are shown below the folder they all share, named in the title;
the machine formats always carry the full path.
"""

from __future__ import annotations

import os
from pathlib import PurePath

from rich.console import Console
from rich.table import Table
from rich.text import Text

from districtguard.pii.findings import Finding
from districtguard.pii.reports.base import TextSink
from districtguard.pii.reports.summary import print_summary
from districtguard.pii.results import FileResult, ScanSummary

# Rows kept for the table; past this a share is better read as jsonl or csv.
MAX_ROWS = 2_000
FILE_WIDTH = 160


def _common_folder(paths: list[str]) -> str:
    """Return the folder every path is under, so the path column can be short."""
    try:
        folder = os.path.commonpath([str(PurePath(path).parent) for path in paths])
    except ValueError:  # absolute and relative paths mixed
        return ""
    if folder in (".", "/") or not all(p.startswith(folder + "/") for p in paths):
        return ""
    return folder


class TableWriter:
    """Keep up to :data:`MAX_ROWS` findings and print them when the scan ends."""

    def __init__(self, sink: TextSink, *, max_rows: int = MAX_ROWS) -> None:
        # A file or a pipe has no width; wide rows keep locations on one line.
        isatty = getattr(sink, "isatty", None)
        width = None if isatty is not None and isatty() else FILE_WIDTH
        self._console = Console(file=sink, width=width)  # type: ignore[arg-type]
        self._max_rows = max_rows
        self._rows: list[Finding] = []
        self._left_out = 0

    def add(self, result: FileResult) -> None:
        """Keep this file's findings for the table."""
        room = self._max_rows - len(self._rows)
        self._rows.extend(result.findings[:room])
        self._left_out += max(0, len(result.findings) - room)

    def finish(self, summary: ScanSummary) -> None:
        """Print the findings table and the summary."""
        console = self._console
        if self._rows:
            folder = _common_folder([finding.path for finding in self._rows])
            title = "Personal information found"
            if folder:
                title += f" under {folder}/"
            table = Table(title=title, title_justify="left")
            table.add_column("path", overflow="fold")
            table.add_column("location", overflow="fold")
            table.add_column("element")
            table.add_column("masked", no_wrap=True)
            table.add_column("confidence", justify="right")
            table.add_column("statutory")
            for finding in self._rows:
                table.add_row(
                    Text(finding.path[len(folder) + 1 :] if folder else finding.path),
                    Text(finding.location),
                    str(finding.element),
                    Text(finding.masked),
                    f"{finding.confidence:.2f}",
                    Text("yes", style="bold red") if finding.statutory else "no",
                )
            console.print(table)
        else:
            console.print("No personal information found.")
        if self._left_out:
            console.print(
                f"{self._left_out:,} more findings not shown; "
                "use --format jsonl or csv for all of them."
            )
        print_summary(console, summary)
        self._console.file.flush()
