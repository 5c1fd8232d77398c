"""``protect --database`` and ``unprotect --database``: tables instead of files.

The work is :func:`districtguard.pii.databases.protect_database` and
:func:`~districtguard.pii.databases.unprotect_database`; this module chooses
the tables from the command line, shows progress on a terminal and reports
each table's outcome as a table for people or as JSON.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from rich.console import Console
from rich.table import Table

from districtguard.cli.common import EXIT_OK, EXIT_PARTIAL, UsageError, open_report
from districtguard.pii.databases.outcomes import DatabaseProtection, ProtectProgress
from districtguard.pii.reports.base import StdoutSink, TextSink


def add_database_options(add: Any, verb: str) -> None:
    """Add ``--database``, ``--table`` and ``--skip-table``."""
    add(
        "--database",
        action="append",
        default=[],
        metavar="URL",
        help=f"{verb} the tables of the database at URL instead of files "
        "(postgresql://user@host/db, mysql://..., sqlite:///file.db; repeatable; "
        "password from the URL or $DISTRICTGUARD_DATABASE_PASSWORD); see "
        "docs/databases.md",
    )
    add(
        "--table",
        action="append",
        default=[],
        metavar="GLOB",
        help=f"with --database: {verb} only tables whose schema.table or name "
        "matches (repeatable)",
    )
    add(
        "--skip-table",
        action="append",
        default=[],
        metavar="GLOB",
        help="with --database: leave tables whose schema.table or name matches "
        "(repeatable)",
    )


def check_database_arguments(args: argparse.Namespace) -> None:
    """Refuse what does not go with ``--database``, or table options without it."""
    if not args.database:
        if args.table or args.skip_table:
            raise UsageError("--table and --skip-table go with --database")
        return
    if args.paths:
        raise UsageError(
            "give PATHs or --database, not both: files and databases are "
            "protected by separate runs"
        )


@contextmanager
def _progress(show: bool) -> Iterator[Callable[[ProtectProgress], None]]:
    """Yield a progress callback: a status line on a terminal, else nothing."""
    if not show:
        yield lambda progress: None
        return
    console = Console(stderr=True)
    with console.status("Opening the database...") as status:

        def update(progress: ProtectProgress) -> None:
            verb = "reading" if progress.phase == "plan" else "rewriting"
            status.update(
                f"table {progress.tables_done + 1} of {progress.tables_total}: "
                f"{progress.table}, {verb}, {progress.rows:,} rows"
            )

        yield update


def run_databases(
    args: argparse.Namespace,
    work: Callable[[str, Callable[[ProtectProgress], None]], DatabaseProtection],
) -> int:
    """Run ``work`` on each ``--database``, report, and return the exit code."""
    output = open_report(args.output) if hasattr(args, "output") else None
    sink: TextSink = output if output is not None else StdoutSink()
    show = sys.stderr.isatty() and not args.no_progress
    results = []
    try:
        for url in args.database:
            with _progress(show) as on_progress:
                results.append(work(url, on_progress))
        _write(sink, args.format, results)
    finally:
        if output is not None:
            output.close()
    if args.format != "table" or output is not None:
        _print_summary(Console(stderr=True), results)
    return EXIT_PARTIAL if any(result.partial for result in results) else EXIT_OK


def _write(sink: TextSink, form: str, results: list[DatabaseProtection]) -> None:
    if form == "json":
        sink.write(json.dumps({"databases": [r.to_dict() for r in results]}, indent=2))
        sink.write("\n")
        return
    if form == "jsonl":
        for result in results:
            for table in result.tables:
                line = {"database": result.url, **table.to_dict()}
                sink.write(json.dumps(line) + "\n")
            summary = {k: v for k, v in result.to_dict().items() if k != "tables"}
            sink.write(json.dumps({"summary": summary}) + "\n")
        return
    console = Console(file=sink, soft_wrap=True)  # type: ignore[arg-type]
    for result in results:
        _print_table(console, result)
        _print_summary(console, [result])


def _print_table(console: Console, result: DatabaseProtection) -> None:
    what = "would change" if result.dry_run else "changed"
    table = Table(title=f"{result.url} ({result.dialect or 'not opened'})")
    for header in ("table", "outcome", "rows read", f"rows {what}", "values", "reason"):
        table.add_column(header, overflow="fold")
    for row in result.tables:
        values = " · ".join(f"{e} {n}" for e, n in sorted(row.elements.items()))
        table.add_row(
            row.table,
            row.outcome,
            f"{row.rows_read:,}",
            f"{row.rows_changed:,}",
            values,
            row.reason,
        )
    console.print(table)


def _print_summary(console: Console, results: list[DatabaseProtection]) -> None:
    for result in results:
        if result.error:
            console.print(f"{result.url}: {result.error}", markup=False)
            continue
        outcomes = ", ".join(f"{k} {v}" for k, v in sorted(result.outcomes.items()))
        values = ", ".join(f"{k} {v}" for k, v in sorted(result.values.items()))
        console.print(
            f"{result.url}: {len(result.tables)} tables ({outcomes or 'none'}); "
            f"values {values or 'none'}; {result.duration:.1f} s",
            markup=False,
            highlight=False,
        )
