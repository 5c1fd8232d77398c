"""Inventory speed: an unchanged rescan of a big tree, and page times at 1M results.

``rescan`` builds a tree of small synthetic files, scans it once as a folder
store, then scans it again unchanged and reports both times (target: the
unchanged rescan of 100,000 files under 30 s). ``pages`` fills the inventory
with synthetic file results, starts the real web server (gunicorn) on
loopback, signs in an auditor, and times each page (target: p95 under 200 ms
with 1,000,000 results). Both use a throwaway data home; with
``--database-url postgres://...`` the database named there is created afresh.
"""

from __future__ import annotations

import argparse
import http.client
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]


def set_up_django(database_url: str, home: Path) -> None:
    """Point the settings at a fresh database and data home, then migrate."""
    os.environ["DISTRICTGUARD_HOME"] = str(home)
    os.environ["DISTRICTGUARD_HTTPS"] = "false"
    os.environ["DISTRICTGUARD_ALLOWED_HOSTS"] = "127.0.0.1,localhost"
    os.environ["DISTRICTGUARD_FINGERPRINT_KEY"] = "cd" * 32
    os.environ["DJANGO_SETTINGS_MODULE"] = "districtguard.web.settings"
    if database_url.startswith("postgres"):
        _recreate_postgres(database_url)
        os.environ["DATABASE_URL"] = database_url
    else:
        os.environ.pop("DATABASE_URL", None)
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)


def _recreate_postgres(url: str) -> None:
    import psycopg

    base, _, name = url.rpartition("/")
    with psycopg.connect(f"{base}/postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.execute(f'CREATE DATABASE "{name}"')


def _director() -> Any:
    from districtguard.accounts.models import User
    from districtguard.accounts.roles import Role

    return User.objects.create_user(
        "bench.director@district.example", None, role=Role.DIRECTOR
    )


def _record(rng: random.Random) -> str:
    ssn = f"{rng.randint(200, 665)}-{rng.randint(10, 99)}-{rng.randint(1000, 9999)}"
    return f"Employee: Maria Lopez, SSN {ssn}\n\n"


def make_tree(root: Path, files: int, seed: int = 6) -> None:
    """Write ``files`` small files, 100 a folder, one in a hundred with a record."""
    rng = random.Random(seed)
    for index in range(files):
        folder = root / f"d{index // 100:05d}"
        if index % 100 == 0:
            folder.mkdir(parents=True, exist_ok=True)
        text = f"Minutes of meeting {index}: the board approved the budget.\n"
        if index % 100 == 7:
            text += _record(rng)
        (folder / f"f{index:06d}.txt").write_text(text)


def rescan(args: argparse.Namespace) -> None:
    """Time a first scan and an unchanged rescan of a tree of small files."""
    with tempfile.TemporaryDirectory(prefix="dg-inventory-bench-") as temp:
        home = Path(temp)
        set_up_django(args.database_url, home / "home")
        from districtguard.inventory import jobs
        from districtguard.inventory.models import DataStore, ScanRun
        from districtguard.inventory.services import queue_scan

        tree = home / "share"
        started = time.monotonic()
        make_tree(tree, args.files)
        took = time.monotonic() - started
        print(f"tree of {args.files:,} files written in {took:.1f} s")
        store = DataStore.objects.create(
            name="Bench share", location=str(tree), owner=_director()
        )
        for label in ("first scan", "unchanged rescan"):
            run = queue_scan(store, actor=None)
            started = time.monotonic()
            jobs.run_scan(run.pk)
            elapsed = time.monotonic() - started
            run = ScanRun.objects.get(pk=run.pk)
            print(
                f"{label}: {elapsed:.1f} s, {run.files_seen:,} files "
                f"({run.files_scanned:,} read, {run.files_unchanged:,} unchanged), "
                f"{run.files_seen / elapsed:,.0f} files/s, status {run.status}"
            )
        store.refresh_from_db()
        print(f"unprotected statutory records: {store.unprotected_statutory:,}")


def fill(rows: int, stores: int) -> tuple[int, int, str]:
    """Store ``rows`` synthetic file results over ``stores`` stores; return ids.

    The first store holds most of them (the worst case for its page). Returns
    the big store's id, one of its files' ids, and a page key half-way down.
    """
    import datetime as dt

    from django.utils import timezone

    from districtguard.inventory.models import DataStore, FileState, ScanRun, Snapshot
    from districtguard.inventory.totals import refresh_totals

    owner = _director()
    made = [
        DataStore.objects.create(
            name=f"Share {n:02d}", location=f"/srv/share{n:02d}", owner=owner
        )
        for n in range(stores)
    ]
    big = rows - (stores - 1) * 1000
    masked = [
        {
            "element": "SSN",
            "location": "line 1",
            "masked": "***-**-1234",
            "fingerprint": "0" * 32,
            "record": "p1",
            "statutory": True,
        }
    ]
    started = time.monotonic()
    for store, count in zip(made, [big] + [1000] * (stores - 1), strict=True):
        for start in range(0, count, 10_000):
            FileState.objects.bulk_create(
                FileState(
                    store=store,
                    path=f"{store.location}/d{i // 100:05d}/f{i:07d}.txt",
                    size=200,
                    mtime_ns=i,
                    content_hash=f"{i:064x}",
                    counts={"SSN": 1} if i % 100 == 7 else {},
                    findings_total=1 if i % 100 == 7 else 0,
                    statutory_records=1 if i % 100 == 7 else 0,
                    unprotected_statutory=(i % 5) if i % 100 == 7 else 0,
                    masked=masked if i % 100 == 7 else [],
                )
                for i in range(start, min(start + 10_000, count))
            )
        refresh_totals(store)
        now = timezone.now()
        for day in range(180):
            run = ScanRun.objects.create(store=store, status="finished")
            Snapshot.objects.create(
                store=store,
                run=run,
                taken_at=now - dt.timedelta(days=day),
                unprotected_statutory=store.unprotected_statutory + day,
            )
    print(f"{rows:,} file results stored in {time.monotonic() - started:.0f} s")
    first = FileState.objects.filter(store=made[0], findings_total=1).first()
    middle = FileState.objects.filter(store=made[0]).order_by("id")[big // 2]
    if first is None:
        raise SystemExit("no file with findings was stored")
    return made[0].pk, first.pk, f"0.{middle.pk}"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _wait_for(port: int, server: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit("the web server stopped while starting")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("the web server did not start within 60 s")


def _session_cookie() -> str:
    from django.conf import settings
    from django.test import Client

    from districtguard.accounts.models import User
    from districtguard.accounts.roles import Role

    auditor = User.objects.create_user(
        "bench.auditor@district.example", None, role=Role.AUDITOR
    )
    client = Client()
    client.force_login(auditor)
    name = settings.SESSION_COOKIE_NAME
    return f"{name}={client.cookies[name].value}"


def _time_page(port: int, path: str, cookie: str, count: int) -> list[float]:
    times = []
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    for _ in range(count):
        started = time.perf_counter()
        connection.request("GET", path, headers={"Cookie": cookie})
        response = connection.getresponse()
        response.read()
        times.append((time.perf_counter() - started) * 1000)
        if response.status != 200:
            raise SystemExit(f"{path}: HTTP {response.status}")
    connection.close()
    return times


def pages(args: argparse.Namespace) -> None:
    """Time the inventory's pages against the real server on loopback."""
    with tempfile.TemporaryDirectory(prefix="dg-inventory-bench-") as temp:
        set_up_django(args.database_url, Path(temp) / "home")
        store, file, middle = fill(args.rows, args.stores)
        cookie = _session_cookie()
        from districtguard.worker.supervisor import gunicorn_argv

        port = _free_port()
        server = subprocess.Popen(
            gunicorn_argv("127.0.0.1", port, args.workers),
            env=os.environ.copy(),
            stdout=subprocess.DEVNULL,  # one access-log line per request
            stderr=subprocess.DEVNULL,
        )
        try:
            _wait_for(port, server)
            paths = [
                "/",
                "/inventory/",
                f"/inventory/{store}/",
                f"/inventory/{store}/?after={middle}",
                f"/inventory/files/{file}/",
                "/inventory/trends/",
                "/inventory/exceptions/",
            ]
            every: list[float] = []
            print(f"{'page':40} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}")
            for path in paths:
                _time_page(port, path, cookie, 3)  # warm up
                times = _time_page(port, path, cookie, args.requests)
                every += times
                p95 = statistics.quantiles(times, n=20)[-1]
                print(
                    f"{path:40} {statistics.median(times):8.1f} {p95:8.1f} "
                    f"{max(times):8.1f}"
                )
            p95 = statistics.quantiles(every, n=20)[-1]
            print(f"all pages: {len(every)} requests, p95 {p95:.1f} ms")
        finally:
            server.terminate()
            server.wait(timeout=30)


def main() -> None:
    """Parse the arguments and run one benchmark."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database-url", default="sqlite")
    sub = parser.add_subparsers(dest="command", required=True)
    one = sub.add_parser("rescan")
    one.add_argument("--files", type=int, default=100_000)
    one.set_defaults(run=rescan)
    two = sub.add_parser("pages")
    two.add_argument("--rows", type=int, default=1_000_000)
    two.add_argument("--stores", type=int, default=10)
    two.add_argument("--requests", type=int, default=50)
    two.add_argument("--workers", type=int, default=2)
    two.set_defaults(run=pages)
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT / "src"))
    args.run(args)


if __name__ == "__main__":
    main()
