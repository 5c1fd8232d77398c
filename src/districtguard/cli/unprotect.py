"""``districtguard unprotect``: restore the values that encryption sealed."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from rich.console import Console

from districtguard.cli.common import EXIT_OK, EXIT_PARTIAL, UsageError
from districtguard.pii.protection.base import ProtectionError
from districtguard.pii.protection.unprotect import FAILED, unprotect_file
from districtguard.pii.results import FileResult
from districtguard.pii.walk import Filter, walk

UNPROTECT_EPILOG = """\
Every use is written to the unprotect log in the data folder (who, when,
which file, how many values) before the file is restored.

exit codes:
  0  every file was restored or had nothing to restore
  2  usage error: a missing path, a missing or wrong key
  3  some file could not be restored (each is listed with the reason)
"""


def add_parser(commands: Any) -> None:
    """Add ``unprotect`` to the subcommands."""
    parser = commands.add_parser(
        "unprotect",
        help="restore values that protect --mode encrypt sealed",
        description="Restore the original values in files protected with\n"
        "`districtguard protect --mode encrypt`, and decrypt whole-file-encrypted\n"
        "(.dgenc) files. Needs the key; each use is logged.",
        epilog=UNPROTECT_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    add = parser.add_argument
    add("paths", nargs="+", metavar="PATH", help="files and folders to restore")
    add(
        "--format",
        choices=["table", "jsonl"],
        default="table",
        help="a line per file for people, or JSON lines (default table)",
    )
    add("--user", help="who is restoring, for the log (default: the login name)")
    add("--no-progress", action="store_true", help="accepted for symmetry with scan")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Restore every file under the paths; return the exit code."""
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
    errors = Console(stderr=True)
    failed = restored = values = 0
    for item in walk(paths, Filter(exclude=("*.dgtmp-*",))):
        if isinstance(item, FileResult):
            continue
        result = unprotect_file(item, cipher, args.user)
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
        f"Unprotect: {restored:,} files restored, {values:,} values, {failed:,} failed",
        markup=False,
        highlight=False,
    )
    return EXIT_PARTIAL if failed else EXIT_OK
