"""A scan killed with SIGKILL half-way: what it wrote stays, the next scan resumes.

Each step runs in its own Python process on a throwaway SQLite database, so the
kill is a real one: no ``finally`` block, no rollback of batches already written.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

from tests.inventory.conftest import write_records

ROOT = Path(__file__).resolve().parents[2]

SETUP = """
import django
from django.core.management import call_command
django.setup()
call_command("migrate", verbosity=0)
from districtguard.accounts.models import User
from districtguard.inventory.models import DataStore
owner = User.objects.create_user("owner@district.example", None, role="director")
DataStore.objects.create(name="Share", location=SHARE, owner=owner)
"""

SCAN = """
import datetime as dt, json
import django
django.setup()
from django.utils import timezone
from districtguard.inventory import jobs
from districtguard.inventory.models import DataStore, FileState, ScanRun
from districtguard.inventory.services import queue_scan
store = DataStore.objects.get()
# A killed run stops reporting; pretend its 15 silent minutes have passed.
ScanRun.objects.filter(status="running").update(
    heartbeat_at=timezone.now() - dt.timedelta(hours=1)
)
run = queue_scan(store, actor=None)
print(json.dumps({"files": FileState.objects.count()}), flush=True)
jobs.run_scan(run.pk)
run.refresh_from_db()
store.refresh_from_db()
print(json.dumps({
    "status": run.status, "scanned": run.files_scanned,
    "unchanged": run.files_unchanged, "records": store.statutory_records,
    "files": FileState.objects.count(),
    "killed": list(
        ScanRun.objects.filter(status="failed").values_list("error", flat=True)
    ),
}))
"""


def _run(code: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", code],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_sigkill_mid_scan_keeps_written_batches_and_the_next_scan_resumes(
    tmp_path: Path,
) -> None:
    share = tmp_path / "share"
    for index in range(1200):
        path = share / f"d{index // 100:02d}" / f"f{index:04d}.txt"
        if index % 100 == 0:
            write_records(path, 1)
        else:
            path.write_text(f"Minutes of meeting {index}.\n")
    env = {
        **os.environ,
        "DISTRICTGUARD_HOME": str(tmp_path / "home"),
        "DJANGO_SETTINGS_MODULE": "districtguard.web.settings",
        "DISTRICTGUARD_HTTPS": "false",
        "DISTRICTGUARD_FINGERPRINT_KEY": "ef" * 32,
    }
    env.pop("DATABASE_URL", None)
    setup = _run(f"SHARE = {str(share)!r}\n" + SETUP, env)
    assert setup.returncode == 0, setup.stderr[-2000:]

    killed = _run(SCAN, env | {"DISTRICTGUARD_INVENTORY_CRASH_AFTER": "2"})
    assert killed.returncode == -signal.SIGKILL, killed.stderr[-2000:]

    resumed = _run(SCAN, env)
    assert resumed.returncode == 0, resumed.stderr[-2000:]
    before, after = (json.loads(line) for line in resumed.stdout.splitlines()[-2:])
    # Two batches (500 files, or a second's worth) survived the kill.
    kept = before["files"]
    assert 0 < kept < 1200
    assert after["status"] == "finished"
    assert (after["unchanged"], after["scanned"]) == (kept, 1200 - kept)
    assert after["files"] == 1200
    assert after["records"] == 12
    assert after["killed"] and "carries on" in after["killed"][0]
