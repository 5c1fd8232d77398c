"""Scan data stores now, in the foreground: named ones, or every enabled one."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from districtguard.inventory import jobs
from districtguard.inventory.models import DataStore, ScanRun
from districtguard.inventory.services import queue_scan


class Command(BaseCommand):
    """``scan_data_stores [NAME ...]``: scan without waiting for the worker."""

    help = "Scan the named data stores (default: every enabled one) now."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("names", nargs="*", metavar="NAME", help="store names")

    def handle(self, *args: Any, **options: Any) -> None:
        names: list[str] = options["names"]
        stores = list(
            DataStore.objects.filter(name__in=names)
            if names
            else DataStore.objects.filter(enabled=True)
        )
        missing = sorted(set(names) - {store.name for store in stores})
        if missing:
            raise CommandError(f"no data store named {', '.join(missing)}")
        failed = 0
        for store in sorted(stores, key=lambda s: s.name):
            run = queue_scan(store, actor=None)
            outcome = jobs.run_scan(run.pk)
            run.refresh_from_db()
            if run.status == ScanRun.Status.FAILED:
                failed += 1
                self.stderr.write(f"{store.name}: {run.error}")
            else:
                self.stdout.write(f"{store.name}: {outcome}")
        if failed:
            raise CommandError(f"{failed} of {len(stores)} scans failed")
