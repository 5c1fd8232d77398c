"""The end-of-scan summary people read: counts, findings per element, failures."""

from __future__ import annotations

from rich.console import Console, RenderableType
from rich.filesize import decimal
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from districtguard.pii.results import ScanSummary


def _counts(pairs: list[tuple[str, int]]) -> str:
    return " · ".join(f"{name} {count:,}" for name, count in pairs) or "none"


def render_summary(summary: ScanSummary) -> RenderableType:
    """Return the counts as a panel (failures are printed by :func:`print_summary`)."""
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold")
    grid.add_column()
    grid.add_row(
        "Files",
        f"{summary.files_scanned:,} scanned · {summary.files_skipped:,} skipped · "
        f"{summary.files_failed:,} failed",
    )
    grid.add_row(
        "Read",
        f"{decimal(summary.bytes_scanned)} in {summary.duration:.1f} s "
        f"({summary.rate:,.0f} files/s)",
    )
    grid.add_row("Findings", _counts(sorted(summary.findings.items())))
    grid.add_row(
        "Statutory records",
        f"{summary.statutory_records:,} (a name linked to an element)",
    )
    grid.add_row("Files with findings", f"{summary.files_with_findings:,}")
    if summary.protected_values:
        grid.add_row(
            "Already protected",
            f"{summary.protected_values:,} encrypted values in "
            f"{summary.files_with_protected:,} files",
        )
    if summary.skip_reasons:
        grid.add_row("Skipped", _counts(summary.skip_reasons.most_common()))
    if summary.skipped_members:
        grid.add_row("Skipped members", f"{summary.skipped_members:,} inside archives")
    style = "red" if summary.partial else ("yellow" if summary.findings else "green")
    return Panel(grid, title="Scan summary", border_style=style, expand=False)


def print_summary(console: Console, summary: ScanSummary) -> None:
    """Print the summary panel, then one unwrapped line per failed or partial file.

    The failure lines are never wrapped, so a log can be searched for a path.
    """
    console.print(render_summary(summary))
    if summary.failures:
        console.print("Not scanned completely:", style="bold red")
    for failure in summary.failures:
        label = "failed" if failure.kind == "failed" else "read in part"
        line = Text(f"  {failure.path}: {label}: {failure.reason}")
        console.print(line, soft_wrap=True)
