"""The ``districtguard`` command line: parse, call the library, format, exit.

One module per subcommand, each with ``add_parser(commands)`` that adds its
parser and sets ``run`` (a function from the parsed arguments to an exit code);
list it in :data:`COMMANDS`.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
from collections.abc import Callable
from typing import Any

from districtguard import __version__
from districtguard.cli import (
    audit,
    keys,
    manage,
    protect,
    scan,
    unprotect,
    up,
    worker,
)
from districtguard.cli.common import (
    EXIT_BROKEN_PIPE,
    EXIT_FINDINGS,
    EXIT_INTERRUPTED,
    EXIT_OK,
    EXIT_PARTIAL,
    EXIT_USAGE,
    UsageError,
)
from districtguard.pii import detector_build

COMMANDS: tuple[Callable[[Any], None], ...] = (
    scan.add_parser,
    up.add_parser,
    worker.add_parser,
    manage.add_parser,
    keys.add_parser,
    protect.add_parser,
    unprotect.add_parser,
    audit.add_parser,
)


def build_parser() -> argparse.ArgumentParser:
    """Return the parser for every subcommand."""
    parser = argparse.ArgumentParser(
        prog="districtguard",
        description="Run a school district's cybersecurity policy as software.",
    )
    version = f"{__version__} (detector: {detector_build()})"
    parser.add_argument("--version", action="version", version=version)
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for add in COMMANDS:
        add(commands)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the command line and return its exit code."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else EXIT_USAGE
    try:
        code: int = args.run(args)
    except UsageError as exc:
        sys.stderr.write(f"districtguard {args.command}: error: {exc}\n")
        return EXIT_USAGE
    except KeyboardInterrupt:
        sys.stderr.write("districtguard: interrupted; the results are incomplete\n")
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        # Whoever read the output stopped (``| head``); stop too, quietly, and
        # keep Python from complaining when it flushes stdout at exit.
        with contextlib.suppress(OSError, ValueError):
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_BROKEN_PIPE
    return code


__all__ = [
    "COMMANDS",
    "EXIT_BROKEN_PIPE",
    "EXIT_FINDINGS",
    "EXIT_INTERRUPTED",
    "EXIT_OK",
    "EXIT_PARTIAL",
    "EXIT_USAGE",
    "UsageError",
    "build_parser",
    "main",
]
