"""``districtguard scan``: find statutory personal information in files."""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import importlib.resources
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from rich.console import Console

from districtguard.cli.common import (
    EXIT_FINDINGS,
    EXIT_OK,
    EXIT_PARTIAL,
    UsageError,
    open_report,
)
from districtguard.pii.cluster import ClusterError, open_cluster, scan_paths_on_cluster
from districtguard.pii.config import (
    ConfigError,
    ScanSettings,
    default_config_path,
    load_settings,
)
from districtguard.pii.databases import scan_database
from districtguard.pii.elements import Element
from districtguard.pii.fingerprint import FingerprintKeyError, load_key
from districtguard.pii.options import DetectOptions
from districtguard.pii.reports import FORMATS, TextSink, make_writer
from districtguard.pii.reports.base import StdoutSink
from districtguard.pii.reports.progress import ScanProgress
from districtguard.pii.reports.summary import print_summary
from districtguard.pii.results import FileResult, ScanSummary
from districtguard.pii.rules import RULE_SETS, resolve_rules
from districtguard.pii.scanner import ScanConfig, scan_paths

SCAN_EPILOG = """\
exit codes:
  0  the scan completed (with or without findings, unless --fail-on-findings)
  1  the scan completed and --fail-on-findings matched a finding
  2  usage error: bad arguments, a missing path, a bad fingerprint key
  3  partial: some file failed or was read only in part; takes precedence
     over 1, because an incomplete scan cannot vouch for anything
  130 interrupted; 141 the reader of the output went away (like SIGPIPE)

environment:
  DISTRICTGUARD_FINGERPRINT_KEY       fingerprint key (hex or base64)
  DISTRICTGUARD_FINGERPRINT_KEY_FILE  file holding the key
  DISTRICTGUARD_HOME                  data folder (fingerprint.key, config.toml)
  DISTRICTGUARD_CONFIG                settings file (see docs/configuration.md)
"""
_T = TypeVar("_T")
DEMO_HINT = (
    "Next: scan a folder of your own with `districtguard scan PATH`, or get one "
    "JSON line per finding with `--format jsonl`."
)


def _elements(text: str) -> frozenset[Element]:
    names = [name.strip().upper() for name in text.split(",") if name.strip()]
    unknown = [name for name in names if name not in Element.__members__]
    if unknown or not names:
        known = ", ".join(Element)
        raise argparse.ArgumentTypeError(f"unknown element(s) {unknown}; use {known}")
    return frozenset(Element(name) for name in names)


def _confidence(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not 0.0 <= value <= 1.0:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number from 0 to 1")
    return value


def _state(text: str) -> str:
    if text.lower() == "none":
        return ""
    if len(text) != 2 or not text.isalpha():
        raise argparse.ArgumentTypeError(f"{text!r} is not a two-letter state code")
    return text.upper()


def _workers(text: str) -> int:
    if not text.isdigit():
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number")
    return int(text) or os.cpu_count() or 1


def _sample_rows(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number above 0")
    return int(text)


def add_parser(commands: Any) -> None:
    """Add ``scan`` to the subcommands."""
    parser = commands.add_parser(
        "scan",
        help="find statutory personal information in files",
        description="Find statutory personal information (a name linked to an\n"
        "SSN, driver license, card or account number...) in files and folders.",
        epilog=SCAN_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    add = parser.add_argument
    add("paths", nargs="*", metavar="PATH", help="files and folders to scan")
    add(
        "--include",
        action="append",
        default=[],
        metavar="GLOB",
        help="scan only files whose relative path or name matches (repeatable)",
    )
    add(
        "--exclude",
        action="append",
        default=[],
        metavar="GLOB",
        help="skip files and folders whose relative path or name matches (repeatable)",
    )
    add(
        "--workers",
        type=_workers,
        default=1,
        metavar="N",
        help="scan in N processes (0: one per CPU; default 1)",
    )
    add(
        "--cluster",
        metavar="ADDRESS",
        help="scan on the Dask cluster whose scheduler is at ADDRESS "
        "(tcp://host:8786), or on N local worker processes (local:N); "
        "see docs/cluster.md",
    )
    add(
        "--format",
        choices=list(FORMATS),
        default="table",
        help="output format (default table)",
    )
    add("--output", type=Path, metavar="FILE", help="write the output to FILE")
    add(
        "--rules",
        choices=["auto", *RULE_SETS],
        default=None,
        help="rule set (default auto: the one in force today)",
    )
    add(
        "--elements",
        type=_elements,
        default=frozenset(Element),
        metavar="LIST",
        help="comma-separated elements to look for (default all)",
    )
    add(
        "--min-confidence",
        type=_confidence,
        default=None,
        metavar="X",
        help="report findings at least this confident, 0 to 1 (default 0.5)",
    )
    add(
        "--home-state",
        type=_state,
        default=None,
        metavar="XX",
        help="state whose license formats need no label (default OK; 'none' "
        "for no home state)",
    )
    add(
        "--config",
        type=Path,
        metavar="FILE",
        help="district settings file (default: $DISTRICTGUARD_CONFIG, or "
        "config.toml in the data folder if it exists)",
    )
    add(
        "--follow-symlinks",
        action="store_true",
        help="follow symbolic links (each folder is scanned once)",
    )
    add(
        "--fail-on-findings",
        choices=["any", "statutory"],
        help="exit 1 when the scan finds anything, or anything statutory",
    )
    add(
        "--database",
        action="append",
        default=[],
        metavar="URL",
        help="also scan the database at URL (postgresql://user@host/db, "
        "mysql://..., sqlite:///file.db; repeatable); see docs/databases.md",
    )
    add(
        "--sample-rows",
        type=_sample_rows,
        default=10_000,
        metavar="N",
        help="read at most N rows of each database table (default 10000)",
    )
    add("--no-progress", action="store_true", help="never show the progress bar")
    add("--demo", action="store_true", help="scan the bundled synthetic sample share")
    parser.set_defaults(run=run)


def _demo_path() -> Path:
    folder = Path(str(importlib.resources.files("districtguard"))) / "samples"
    folder = folder / "demo-share"
    if not folder.is_dir():
        raise UsageError(
            f"the bundled sample folder is missing ({folder}); reinstall "
            "DistrictGuard, or scan a folder of your own: districtguard scan PATH"
        )
    relative = Path(os.path.relpath(folder))
    return relative if len(str(relative)) < len(str(folder)) else folder


def _first(*values: _T | None) -> _T:
    """Return the first value given: command line, then file, then default."""
    return next(value for value in values if value is not None)


def _settings(named: Path | None) -> ScanSettings:
    path = named or default_config_path()
    if path is None:
        return ScanSettings()
    try:
        return load_settings(path)
    except ConfigError as exc:
        raise UsageError(str(exc)) from None


def _scan_config(args: argparse.Namespace) -> ScanConfig:
    if args.demo and args.paths:
        raise UsageError("--demo scans the bundled samples; give no PATH with it")
    paths = [_demo_path()] if args.demo else [Path(path) for path in args.paths]
    if not paths and not args.database:
        raise UsageError("give at least one PATH to scan (or --demo, or --database)")
    for path in paths:
        if not path.exists():
            raise UsageError(f"{path}: no such file or folder")
    try:
        key = load_key()
    except FingerprintKeyError as exc:
        raise UsageError(f"fingerprint key: {exc}") from None
    settings = _settings(args.config)
    today = dt.datetime.now(dt.UTC).astimezone().date()
    rules = _first(args.rules, settings.rules, "auto")
    home_state = _first(args.home_state, settings.home_state, "OK")
    try:
        rule_set = resolve_rules(rules, today)
    except ValueError as exc:
        raise UsageError(f"{settings.source}: {exc}") from None
    options = DetectOptions(
        fingerprint_key=key,
        rules=rule_set,
        elements=args.elements,
        min_confidence=_first(args.min_confidence, settings.min_confidence, 0.5),
        home_state=home_state or None,
        government_ids=settings.government_ids,
        today=today,
    )
    return ScanConfig(
        paths=tuple(paths),
        options=options,
        include=tuple(args.include),
        exclude=tuple(args.exclude),
        workers=args.workers,
        follow_symlinks=args.follow_symlinks,
    )


def _scan(
    config: ScanConfig,
    cluster: str | None,
    on_result: Callable[[FileResult], None],
) -> ScanSummary:
    if cluster is None:
        return scan_paths(config, on_result)
    try:
        with open_cluster(cluster) as address:
            return scan_paths_on_cluster(config, address, on_result)
    except ClusterError as exc:
        raise UsageError(f"--cluster: {exc}") from None


def _scan_databases(
    args: argparse.Namespace,
    options: DetectOptions,
    summary: ScanSummary,
    on_result: Callable[[FileResult], None],
) -> None:
    """Scan each ``--database``: every table is reported like a file."""
    for url in args.database:
        database = scan_database(url, options, sample_rows=args.sample_rows)
        results = [table.as_file_result() for table in database.tables]
        if database.error:
            results.append(FileResult(database.url, "failed", database.error))
        for result in results:
            summary.add(result)
            on_result(result)
        summary.duration += database.duration


def _exit_code(summary: ScanSummary, fail_on: str | None) -> int:
    if summary.partial:
        return EXIT_PARTIAL
    if fail_on == "any" and summary.findings_total:
        return EXIT_FINDINGS
    if fail_on == "statutory" and summary.statutory_findings:
        return EXIT_FINDINGS
    return EXIT_OK


def run(args: argparse.Namespace) -> int:
    """Scan, write the chosen format, print the summary, return the exit code."""
    config = _scan_config(args)
    errors = Console(stderr=True)
    output = open_report(args.output)
    if output is not None:
        config = dataclasses.replace(config, ignore=(args.output,))
    sink: TextSink = output if output is not None else StdoutSink()
    try:
        writer = make_writer(args.format, sink)
        show = sys.stderr.isatty() and not args.no_progress
        on_terminal = output is None and sys.stdout.isatty()
        with ScanProgress(errors if show else None, redirect_stdout=on_terminal) as bar:

            def on_result(result: FileResult) -> None:
                writer.add(result)
                bar.update(result)

            summary = _scan(config, args.cluster, on_result)
            _scan_databases(args, config.options, summary, on_result)
        writer.finish(summary)
    finally:
        if output is not None:
            output.close()
    if args.format != "table" or output is not None:
        print_summary(errors, summary)
    if args.demo:
        errors.print(DEMO_HINT, markup=False, highlight=False, soft_wrap=True)
    return _exit_code(summary, args.fail_on_findings)
