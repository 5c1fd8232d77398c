"""``districtguard unprotect``: restore the values that encryption sealed.

``unprotect --verify-log`` checks the unprotect log's hash chain instead.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path
from typing import Any

from rich.console import Console

from districtguard.cli.common import EXIT_FINDINGS, EXIT_OK, EXIT_PARTIAL, UsageError
from districtguard.cli.databases import (
    add_database_options,
    check_database_arguments,
    run_databases,
)
from districtguard.pii.protection.base import ProtectionError
from districtguard.pii.protection.unprotect import FAILED, unprotect_file
from districtguard.pii.protection.wholefile import load_file_password
from districtguard.pii.results import FileResult
from districtguard.pii.walk import Filter, walk

UNPROTECT_EPILOG = """\
Every use is written to the unprotect log in the data folder (who, when,
which file, how many values) before the file is restored.

exit codes:
  0  every file was restored or had nothing to restore
     (--verify-log: the log's chain is intact, and matches the note if given)
  1  --verify-log only: the chain is broken, or does not match the note
  2  usage error: a missing path, a missing or wrong key, a bad hash
  3  some file could not be restored (each is listed with the reason)

environment:
  DISTRICTGUARD_HOME      data folder: keys, unprotect-log.jsonl
  DISTRICTGUARD_KEK       key-encryption key (or DISTRICTGUARD_KEK_FILE)
  DISTRICTGUARD_FILE_PASSWORD  password of PDF and Office files that
                          protect --whole-file native encrypted
                          (or DISTRICTGUARD_FILE_PASSWORD_FILE)
"""

_HASH = re.compile(r"[0-9a-f]{64}")


def add_parser(commands: Any) -> None:
    """Add ``unprotect`` to the subcommands."""
    parser = commands.add_parser(
        "unprotect",
        help="restore values that protect --mode encrypt sealed",
        description="Restore the original values in files protected with\n"
        "`districtguard protect --mode encrypt`, and decrypt files encrypted whole\n"
        "(.dgenc files; PDF and Office files with the file password). Needs the\n"
        "key; each use is logged. With --verify-log, check that log instead.",
        epilog=UNPROTECT_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    add = parser.add_argument
    add("paths", nargs="*", metavar="PATH", help="files and folders to restore")
    add(
        "--format",
        choices=["table", "jsonl", "json"],
        default="table",
        help="a line per file for people, or JSON lines (default table; json "
        "only with --database)",
    )
    add("--user", help="who is restoring, for the log (default: the login name)")
    add("--no-progress", action="store_true", help="accepted for symmetry with scan")
    add(
        "--verify-log",
        action="store_true",
        help="restore nothing: check that every line of the unprotect log links "
        "to the one before it; print the line count and head hash to note down",
    )
    add(
        "--expect-head",
        metavar="HASH",
        help="with --verify-log: a head hash noted earlier; it must still be a "
        "line of the log (catches removed newest lines or an edited last line)",
    )
    add_database_options(add, "restore")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Restore every file under the paths, or check the log; return the exit code."""
    if args.verify_log:
        if args.paths or args.database:
            raise UsageError("--verify-log takes no PATH or --database")
        return verify_log(args.expect_head, args.format)
    if args.expect_head is not None:
        raise UsageError("--expect-head goes with --verify-log")
    check_database_arguments(args)
    if args.database:
        return restore_databases(args)
    if args.format == "json":
        raise UsageError("--format json goes with --database; use jsonl for files")
    if not args.paths:
        raise UsageError(
            "give at least one PATH to restore (or --database, or --verify-log)"
        )
    return restore(args)


def restore_databases(args: argparse.Namespace) -> int:
    """Decrypt the tokens in each ``--database``, each batch logged before commit."""
    from districtguard.pii.databases import unprotect_database
    from districtguard.pii.protection.cipher import ValueCipher
    from districtguard.pii.protection.keys import KeyRing

    try:
        cipher = ValueCipher(KeyRing.load())
    except ProtectionError as exc:
        raise UsageError(f"keys: {exc}") from None
    return run_databases(
        args,
        lambda url, on_progress: unprotect_database(
            url,
            cipher,
            user=args.user,
            include=args.table,
            exclude=args.skip_table,
        ),
    )


def verify_log(expect_head: str | None, form: str) -> int:
    """Check the unprotect log's chain (and a noted head); return the exit code."""
    from districtguard.pii.protection.accesslog import (
        AccessLogError,
        line_digests,
        log_path,
        verify,
    )

    if expect_head is not None and not _HASH.fullmatch(expect_head):
        raise UsageError("--expect-head: not a SHA-256 in lowercase hex")
    try:
        check = verify()
        problems = [] if check.ok else [f"line {check.broken_at}: {check.reason}"]
        if expect_head is not None and expect_head not in line_digests():
            problems.append(
                "the noted head is no longer a line of the log: lines were "
                "removed or edited since it was noted"
            )
    except AccessLogError as exc:
        raise UsageError(str(exc)) from None
    if form == "jsonl":
        report = {
            "log": str(log_path()),
            "ok": not problems,
            "entries": check.entries,
            "head": check.head,
            "broken_at": check.broken_at,
            "problems": problems,
        }
        sys.stdout.write(json.dumps(report) + "\n")
    else:
        out = sys.stdout.write
        plural = "" if check.entries == 1 else "s"
        out(f"Unprotect log {log_path()}: {check.entries:,} line{plural}\n")
        for problem in problems:
            out(f"  broken: {problem}\n")
        if not problems:
            out(f"  chain intact; head {check.head}\n")
            out("  note the line count and head outside this server to check later\n")
    return EXIT_FINDINGS if problems else EXIT_OK


def restore(args: argparse.Namespace) -> int:
    """Restore every file under ``args.paths``; return the exit code."""
    from districtguard.pii.protection.cipher import ValueCipher
    from districtguard.pii.protection.keys import KeyRing

    paths = [Path(path) for path in args.paths]
    for path in paths:
        if not path.exists():
            raise UsageError(f"{path}: no such file or folder")
    try:
        cipher = ValueCipher(KeyRing.load())
    except ProtectionError as exc:
        raise UsageError(f"keys: {exc}") from None
    try:
        password = load_file_password()
    except ProtectionError as exc:
        raise UsageError(str(exc)) from None
    errors = Console(stderr=True)
    failed = restored = values = 0
    for item in walk(paths, Filter(exclude=("*.dgtmp-*",))):
        if isinstance(item, FileResult):
            continue
        result = unprotect_file(item, cipher, args.user, password)
        failed += result.outcome == FAILED
        restored += result.values > 0
        values += result.values
        if args.format == "jsonl":
            sys.stdout.write(json.dumps(result.to_dict()) + "\n")
        elif result.outcome == FAILED:
            errors.print(f"  {result.path}: failed: {result.reason}", soft_wrap=True)
        elif result.values:
            sys.stdout.write(f"{result.outcome}: {result.path} ({result.values})\n")
    errors.print(
        f"Unprotect: {restored:,} file{'' if restored == 1 else 's'} restored, "
        f"{values:,} value{'' if values == 1 else 's'}, {failed:,} failed",
        markup=False,
        highlight=False,
    )
    return EXIT_PARTIAL if failed else EXIT_OK
