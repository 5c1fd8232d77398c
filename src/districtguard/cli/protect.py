"""``districtguard protect``: redact or encrypt the statutory values a scan finds."""

from __future__ import annotations

import argparse
import dataclasses
import sys
from pathlib import Path
from typing import Any

from rich.console import Console

from districtguard.cli.common import EXIT_OK, EXIT_PARTIAL, UsageError, open_report
from districtguard.cli.databases import (
    add_database_options,
    check_database_arguments,
    run_databases,
)
from districtguard.cli.scan import (
    _confidence,
    _elements,
    _scan_config,
    _state,
    _workers,
)
from districtguard.pii.elements import Element
from districtguard.pii.fingerprint import data_home
from districtguard.pii.protection.base import ProtectionError
from districtguard.pii.protection.edits import PROTECTABLE, Policy
from districtguard.pii.protection.journal import journal_path
from districtguard.pii.protection.pipeline import (
    DGENC,
    NATIVE,
    ProtectConfig,
    ProtectResult,
    ProtectSummary,
    Services,
    protect_paths,
)
from districtguard.pii.protection.report import FORMATS, print_protect_summary
from districtguard.pii.protection.wholefile import (
    PASSWORD_ENV,
    PASSWORD_FILE_ENV,
    load_file_password,
)
from districtguard.pii.reports.base import StdoutSink, TextSink
from districtguard.pii.reports.progress import ScanProgress
from districtguard.pii.rules import RULE_SETS

PROTECT_EPILOG = """\
exit codes:
  0  every file was protected, had nothing to protect, or would be (--dry-run)
  2  usage error: bad arguments, a missing path, a missing or wrong key
  3  partial: some file failed, or holds values that could not be protected
     in place (each is listed with the reason); run again after fixing it
  130 interrupted: run the same command again to resume

environment:
  DISTRICTGUARD_HOME      data folder: keys, journal (journal/), unprotect log
  DISTRICTGUARD_KEK       key-encryption key (or DISTRICTGUARD_KEK_FILE)
  DISTRICTGUARD_FINGERPRINT_KEY  as for scan
  DISTRICTGUARD_FILE_PASSWORD    password for --whole-file native
  DISTRICTGUARD_FILE_PASSWORD_FILE  file holding it (mode 0600), instead
"""


def add_parser(commands: Any) -> None:
    """Add ``protect`` to the subcommands."""
    parser = commands.add_parser(
        "protect",
        help="redact or encrypt statutory personal information in files",
        description="Redact or encrypt the statutory values (SSN, driver license,\n"
        "card and account numbers...) that a scan finds, in place, in each file's\n"
        "own format. Each file is rewritten beside the original, verified, then\n"
        "swapped in atomically; an interrupted run resumes where it stopped.",
        epilog=PROTECT_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    add = parser.add_argument
    add("paths", nargs="*", metavar="PATH", help="files and folders to protect")
    add(
        "--mode",
        choices=["redact", "encrypt"],
        required=True,
        help="redact (irreversible, keeps the last 4 digits) or encrypt (reversible "
        "with the key)",
    )
    add("--dry-run", action="store_true", help="show what would change; write nothing")
    add(
        "--all-records",
        action="store_true",
        help="protect the elements wherever found, not only in statutory records",
    )
    add(
        "--backup-dir",
        type=Path,
        metavar="DIR",
        help="keep a whole-file-encrypted copy of each original in DIR",
    )
    add(
        "--keep-unknown",
        action="store_true",
        help="in encrypt mode, leave files in no supported format as they are "
        "(default: encrypt them whole)",
    )
    add(
        "--whole-file",
        choices=[DGENC, NATIVE],
        default=DGENC,
        help="in encrypt mode, how files that cannot be protected value by value "
        "are encrypted whole: dgenc (default; any file, beside it as NAME.dgenc, "
        "opened with the keys) or native (PDF and Office files keep their name and "
        "open in ordinary software with the password in "
        "$DISTRICTGUARD_FILE_PASSWORD; other files still get dgenc)",
    )
    add(
        "--format",
        choices=list(FORMATS),
        default="table",
        help="output format (default table)",
    )
    add("--output", type=Path, metavar="FILE", help="write the output to FILE")
    add(
        "--elements",
        type=_elements,
        default=None,
        metavar="LIST",
        help="comma-separated elements to protect (default: those of the rule "
        "set; names are never protected)",
    )
    add_database_options(add, "protect")
    _add_scan_options(add)
    parser.set_defaults(run=run, demo=False, fail_on_findings=None)


def _add_scan_options(add: Any) -> None:
    """Add the options that choose files and shape detection, as for scan."""
    for flag, what in (("--include", "protect only"), ("--exclude", "skip")):
        add(
            flag,
            action="append",
            default=[],
            metavar="GLOB",
            help=f"{what} files whose relative path or name matches (repeatable)",
        )
    add(
        "--workers",
        type=_workers,
        default=1,
        metavar="N",
        help="protect files in N processes (default 1; 0 means one per CPU); "
        "the report keeps folder order",
    )
    add(
        "--rules",
        choices=["auto", *RULE_SETS],
        default=None,
        help="rule set (default auto: the one in force today)",
    )
    add(
        "--min-confidence",
        type=_confidence,
        default=None,
        metavar="X",
        help="protect findings at least this confident, 0 to 1 (default 0.5)",
    )
    add(
        "--home-state",
        type=_state,
        default=None,
        metavar="XX",
        help="state whose license formats need no label (default OK; none)",
    )
    add("--config", type=Path, metavar="FILE", help="district settings file")
    add("--follow-symlinks", action="store_true", help="follow symbolic links")
    add("--no-progress", action="store_true", help="never show the progress bar")


def _services(args: argparse.Namespace, paths: list[Path]) -> Services:
    if args.mode == "redact" and args.backup_dir is None:
        from districtguard.pii.protection.redaction import Redactor

        return Services(Redactor())
    from districtguard.pii.protection.cipher import ValueCipher
    from districtguard.pii.protection.keys import KeyRing

    try:
        ring = KeyRing.load(protected=paths)
    except ProtectionError as exc:
        hint = "" if "keys create" in str(exc) else " (`districtguard keys create`)"
        raise UsageError(f"keys: {exc}{hint}") from None
    cipher = ValueCipher(ring)
    if args.mode == "redact":
        from districtguard.pii.protection.redaction import Redactor

        return Services(Redactor(), ring=ring)
    return Services(cipher, cipher, ring, _file_password(args))


def _file_password(args: argparse.Namespace) -> str | None:
    if args.whole_file != NATIVE:
        return None
    try:
        password = load_file_password()
    except ProtectionError as exc:
        raise UsageError(f"--whole-file native: {exc}") from None
    if password is None:
        raise UsageError(
            f"--whole-file native needs the password PDF and Office files will "
            f"open with: set {PASSWORD_ENV}, or {PASSWORD_FILE_ENV} to a file "
            "(mode 0600) holding it; it is never taken from the command line"
        )
    return password


def protect_config(args: argparse.Namespace) -> tuple[ProtectConfig, Services]:
    """Return the run and the services the arguments ask for."""
    elements = args.elements
    args.elements = frozenset(Element)  # detect everything: linking needs names
    scan = _scan_config(args)
    rules = scan.options.rules
    targets = (elements or rules.linked_elements) & PROTECTABLE
    if not targets:
        raise UsageError("--elements: names are never protected; choose an element")
    if args.whole_file == NATIVE and args.mode != "encrypt":
        raise UsageError("--whole-file native goes with --mode encrypt")
    if args.database and (args.backup_dir is not None or args.whole_file == NATIVE):
        raise UsageError(
            "--backup-dir and --whole-file native are for files; back a database "
            "up with its own tools before protecting it"
        )
    if args.backup_dir is not None:
        for path in scan.paths:
            if args.backup_dir.resolve().is_relative_to(path.resolve()):
                raise UsageError("--backup-dir must lie outside the paths protected")
    policy = Policy(scan.options, targets, args.all_records, scan.limits)
    journal = None if args.dry_run else journal_path(data_home(), args.mode, scan.paths)
    services = _services(args, list(scan.paths))
    config = ProtectConfig(
        paths=scan.paths,
        policy=policy,
        dry_run=args.dry_run,
        backup_dir=args.backup_dir,
        journal=journal,
        include=scan.include,
        exclude=scan.exclude,
        follow_symlinks=scan.follow_symlinks,
        keep_unknown=args.keep_unknown,
        workers=args.workers,
        whole_file=args.whole_file,
    )
    return config, services


def run(args: argparse.Namespace) -> int:
    """Protect, write the chosen format, print the summary, return the exit code."""
    check_database_arguments(args)
    if not args.paths and not args.database:
        raise UsageError("give at least one PATH to protect (or --database URL)")
    config, services = protect_config(args)
    if args.database:
        return _protect_databases(args, config, services)
    errors = Console(stderr=True)
    output = open_report(args.output)
    if output is not None:
        config = dataclasses.replace(config, ignore=(args.output,))
    sink: TextSink = output if output is not None else StdoutSink()
    try:
        writer = FORMATS[args.format](sink)
        show = sys.stderr.isatty() and not args.no_progress
        on_terminal = output is None and sys.stdout.isatty()
        with ScanProgress(errors if show else None, redirect_stdout=on_terminal) as bar:

            def on_result(result: ProtectResult) -> None:
                writer.add(result)
                bar.update(result.file)

            summary = protect_paths(config, services, on_result)
        writer.finish(summary)
    finally:
        if output is not None:
            output.close()
    if args.format != "table" or output is not None:
        print_protect_summary(errors, summary)
    return _exit_code(summary)


def _protect_databases(
    args: argparse.Namespace, config: ProtectConfig, services: Services
) -> int:
    """Protect the tables of each ``--database``: every row, in verified batches."""
    from districtguard.pii.databases import protect_database

    return run_databases(
        args,
        lambda url, on_progress: protect_database(
            url,
            config.policy,
            services.protector,
            restorer=services.restorer,
            dry_run=config.dry_run,
            include=args.table,
            exclude=args.skip_table,
            on_progress=on_progress,
        ),
    )


def _exit_code(summary: ProtectSummary) -> int:
    return EXIT_PARTIAL if summary.partial else EXIT_OK


__all__ = ["add_parser", "protect_config", "run"]
