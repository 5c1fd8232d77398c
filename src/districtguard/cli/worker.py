"""``districtguard worker``: run scheduled and queued jobs (a django-q2 cluster)."""

from __future__ import annotations

import argparse
from typing import Any

from districtguard.cli.common import EXIT_OK
from districtguard.cli.manage import setup_django


def add_parser(commands: Any) -> None:
    """Add ``worker`` to the command line."""
    parser = commands.add_parser(
        "worker",
        help="run the background worker (scheduled and queued jobs)",
        description="Register the scheduled jobs, then run queued and scheduled "
        "jobs until stopped with Ctrl-C or SIGTERM. `districtguard up` starts "
        "one for you; run it yourself when the web server runs elsewhere.",
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Run the worker until it is told to stop."""
    setup_django()
    from django.core.management import call_command
    from django.db import connections

    from districtguard.worker.schedules import register_schedules

    for name in register_schedules():
        print(f"districtguard worker: scheduled {name!r}", flush=True)  # noqa: T201
    connections.close_all()
    call_command("qcluster")
    return EXIT_OK
