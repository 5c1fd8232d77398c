"""Demo data stores for the PII inventory: the sample share and a payroll database.

Called by ``load_demo`` with the demo district's people. It copies the
synthetic sample share bundled with DistrictGuard into the data folder (so
protecting it from the web app never touches the installed package), writes a
small SQLite payroll database of synthetic staff, registers both as data stores
and scans them once, so the inventory pages have something to show. Every
value is generated at random; none belongs to a real person.
"""

from __future__ import annotations

import random
import shutil
import sqlite3
from importlib.resources import as_file, files
from pathlib import Path

from django.conf import settings
from django.utils import timezone
from faker import Faker

from districtguard.accounts.models import User
from districtguard.accounts.roles import Role
from districtguard.inventory import scanning
from districtguard.inventory.databases import DatabaseScan
from districtguard.inventory.models import DataStore, ScanRun
from districtguard.pii.fingerprint import FingerprintKeyError

SEED = 4242
SHARE_NAME = "District office share (demo)"
PAYROLL_NAME = "Payroll database (demo)"
PAYROLL_ROWS = 40


def _owner(people: list[User]) -> User:
    return User.objects.filter(role=Role.DIRECTOR, is_active=True).first() or next(
        p for p in people if p.role == Role.TECH_STAFF
    )


def _copy_share(target: Path) -> bool:
    """Copy the bundled sample share to ``target``; return False when it is missing."""
    if target.exists():
        return True
    with as_file(files("districtguard.samples") / "demo-share") as bundled:
        if not bundled.is_dir():
            return False
        shutil.copytree(bundled, target)
    return True


def _ssn(rng: random.Random) -> str:
    """Return a made-up SSN in the form the SSA assigns (area 200-665)."""
    area, group, serial = (
        rng.randint(200, 665),
        rng.randint(10, 99),
        rng.randint(1000, 9999),
    )
    return f"{area:03d}-{group:02d}-{serial:04d}"


def _routing(rng: random.Random) -> str:
    """Return a made-up routing number: a Federal Reserve prefix and the checksum."""
    prefix = rng.choice([*range(1, 13), *range(21, 33)])
    digits = [prefix // 10, prefix % 10, *(rng.randint(0, 9) for _ in range(6))]
    weights = (3, 7, 1, 3, 7, 1, 3, 7)
    check = -sum(d * w for d, w in zip(digits, weights, strict=True)) % 10
    return "".join(map(str, digits)) + str(check)


def write_payroll(path: Path, rows: int = PAYROLL_ROWS) -> None:
    """Write a SQLite payroll database of ``rows`` synthetic staff to ``path``."""
    fake = Faker("en_US")
    fake.seed_instance(SEED)
    rng = random.Random(SEED)  # noqa: S311 - synthetic demo data, not secrets
    path.parent.mkdir(parents=True, exist_ok=True)
    with sqlite3.connect(path) as db:
        db.execute(
            "CREATE TABLE employees (employee_id TEXT PRIMARY KEY, first_name TEXT,"
            " last_name TEXT, ssn TEXT, position TEXT)"
        )
        db.execute(
            "CREATE TABLE direct_deposit (employee_id TEXT PRIMARY KEY,"
            " account_holder TEXT, routing_number TEXT, account_number TEXT)"
        )
        db.execute(
            "CREATE TABLE pay_periods (id INTEGER PRIMARY KEY, starts_on TEXT,"
            " ends_on TEXT, paid_on TEXT)"
        )
        for n in range(rows):
            first, last = fake.first_name(), fake.last_name()
            employee = f"E{20000 + n}"
            db.execute(
                "INSERT INTO employees VALUES (?, ?, ?, ?, ?)",
                (employee, first, last, _ssn(rng), fake.job()[:60]),
            )
            if n % 2 == 0:
                db.execute(
                    "INSERT INTO direct_deposit VALUES (?, ?, ?, ?)",
                    (
                        employee,
                        f"{first} {last}",
                        _routing(rng),
                        str(rng.randint(10**9, 10**12 - 1)),
                    ),
                )
        for n in range(12):
            db.execute(
                "INSERT INTO pay_periods VALUES (?, ?, ?, ?)",
                (
                    n + 1,
                    f"2026-{n + 1:02d}-01",
                    f"2026-{n + 1:02d}-28",
                    f"2026-{n + 1:02d}-28",
                ),
            )


def _scan(store: DataStore, owner: User) -> None:
    """Scan ``store`` now, in this process, as the worker would."""
    now = timezone.now()
    run = ScanRun.objects.create(
        store=store,
        requested_by=owner,
        status=ScanRun.Status.RUNNING,
        started_at=now,
        heartbeat_at=now,
    )
    kind = (
        DatabaseScan if store.kind == DataStore.Kind.DATABASE else scanning.FolderScan
    )
    try:
        kind(run).execute()
    except (OSError, FingerprintKeyError) as exc:
        # The store stays registered with the failure on its page, as any scan's.
        run.status, run.error, run.finished_at = ScanRun.Status.FAILED, str(exc), now
        run.save(update_fields=["status", "error", "finished_at"])
        return
    scanning.finish(run)


def load(people: list[User]) -> None:
    """Register and scan the demo stores, unless the inventory has stores already."""
    if DataStore.objects.exists():
        return
    owner = _owner(people)
    home = Path(settings.HOME) / "demo"
    stores = []
    share = home / "district-office-share"
    if _copy_share(share):
        stores.append(
            DataStore.objects.create(
                kind=DataStore.Kind.FOLDER,
                name=SHARE_NAME,
                location=str(share),
                owner=owner,
                description=(
                    "Synthetic copy of a district office share: HR, finance, "
                    "student information exports, help desk tickets."
                ),
                holds_students=True,
                holds_staff=True,
                holds_families=True,
                schedule=DataStore.Schedule.WEEKLY,
            )
        )
    payroll = home / "payroll.sqlite3"
    if not payroll.exists():
        write_payroll(payroll)
    stores.append(
        DataStore.objects.create(
            kind=DataStore.Kind.DATABASE,
            name=PAYROLL_NAME,
            location=f"sqlite:///{payroll}",
            owner=owner,
            description="Synthetic payroll system: employees and direct deposit.",
            holds_staff=True,
            schedule=DataStore.Schedule.DAILY,
        )
    )
    for store in stores:
        _scan(store, owner)
