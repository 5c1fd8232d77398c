"""``districtguard manage``: Django's management commands for this installation."""

from __future__ import annotations

import argparse
import os
from typing import Any

SETTINGS_MODULE = "districtguard.web.settings"


def setup_django() -> None:
    """Load the web settings (unless another module is named) and set Django up."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", SETTINGS_MODULE)
    import django

    django.setup()


def add_parser(commands: Any) -> None:
    """Add ``manage`` to the command line."""
    parser = commands.add_parser(
        "manage",
        help="run a Django management command (migrate, createsuperuser, ...)",
        description="Run one of Django's management commands against this "
        "installation's settings (DJANGO_SETTINGS_MODULE, default "
        f"{SETTINGS_MODULE}). `districtguard manage help` lists them.",
        add_help=False,
        # Every argument, options included, belongs to the Django command.
        prefix_chars="+",
    )
    parser.add_argument("arguments", nargs=argparse.REMAINDER, metavar="COMMAND ...")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Run the management command and return its exit code."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", SETTINGS_MODULE)
    from django.core.management import execute_from_command_line

    arguments: list[str] = list(args.arguments) or ["help"]
    try:
        execute_from_command_line(["districtguard manage", *arguments])
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else 1
    return 0
