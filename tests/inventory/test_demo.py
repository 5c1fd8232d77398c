"""The demo district's data stores: copied, registered, scanned, counted once."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from django.core.management import call_command
from pytest_django.fixtures import Settings

from districtguard.inventory import demo
from districtguard.inventory.models import DataStore, FileState, ScanRun

pytestmark = pytest.mark.django_db


def test_the_demo_registers_and_scans_a_share_and_a_payroll_database(
    tmp_path: Path, settings: Settings
) -> None:
    settings.HOME = tmp_path
    call_command("load_demo")
    share = DataStore.objects.get(name=demo.SHARE_NAME)
    payroll = DataStore.objects.get(name=demo.PAYROLL_NAME)
    assert not ScanRun.objects.exclude(status=ScanRun.Status.FINISHED).exists()
    # The share is a copy in the data folder: protecting it never edits the package.
    assert Path(share.location).is_relative_to(tmp_path)
    assert share.files > 5 and share.unprotected_statutory > 0
    tables = dict(FileState.objects.filter(store=payroll).values_list("path", "counts"))
    employees = next(c for p, c in tables.items() if p.endswith("#employees"))
    deposits = next(c for p, c in tables.items() if p.endswith("#direct_deposit"))
    assert employees["SSN"] == demo.PAYROLL_ROWS
    # Every generated routing number passes the checksum, so every one is found.
    assert (
        deposits["ROUTING_NUMBER"] == deposits["BANK_ACCOUNT"] == demo.PAYROLL_ROWS // 2
    )
    # One person per employee row, though each row holds two name columns.
    assert payroll.people == demo.PAYROLL_ROWS


def test_loading_the_demo_twice_adds_no_second_store(
    tmp_path: Path, settings: Settings
) -> None:
    settings.HOME = tmp_path
    call_command("load_demo")
    call_command("load_demo")
    assert DataStore.objects.count() == 2
    assert ScanRun.objects.count() == 2


def test_the_payroll_database_holds_only_synthetic_rows_in_the_form_asked(
    tmp_path: Path,
) -> None:
    path = tmp_path / "payroll.sqlite3"
    demo.write_payroll(path, rows=6)
    with sqlite3.connect(path) as db:
        ssns = [row[0] for row in db.execute("SELECT ssn FROM employees")]
    assert len(ssns) == 6
    assert all(200 <= int(ssn[:3]) <= 665 for ssn in ssns)
