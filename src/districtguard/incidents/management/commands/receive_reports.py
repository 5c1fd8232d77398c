"""Listen for emailed incident reports on a local SMTP port."""

from __future__ import annotations

import os
import signal
import threading
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from districtguard.incidents.mailin import serve


class Command(BaseCommand):
    """``receive_reports``: file mail sent to the report address as reports."""

    help = "Run an SMTP listener that turns mail to the report address into reports."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=2525)
        parser.add_argument(
            "--address",
            default=os.environ.get("DISTRICTGUARD_REPORT_ADDRESS", ""),
            help="The address staff send reports to (DISTRICTGUARD_REPORT_ADDRESS).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        address = options["address"]
        if "@" not in address:
            raise CommandError(
                "give the report address: --address or DISTRICTGUARD_REPORT_ADDRESS"
            )
        controller = serve(options["host"], options["port"], address)
        self.stdout.write(
            f"Filing mail to {address} as reports; listening on "
            f"{options['host']}:{options['port']}. Ctrl-C stops."
        )
        stop = threading.Event()
        signal.signal(signal.SIGTERM, lambda *_: stop.set())
        try:
            stop.wait()
        except KeyboardInterrupt:
            pass
        finally:
            controller.stop()
