"""``manage scan_data_stores``: scan now; a failure is reported, the rest go on."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from districtguard.inventory.models import DataStore
from tests.inventory.conftest import write_records

pytestmark = pytest.mark.django_db


def test_scans_every_store_and_reports_the_one_that_failed(
    tmp_path: Path, make_store: Callable[..., DataStore]
) -> None:
    write_records(tmp_path / "ok" / "staff.txt", 2)
    good = make_store(tmp_path / "ok", name="A share")
    make_store(tmp_path / "missing", name="B share")
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError, match="1 of 2 scans failed"):
        call_command("scan_data_stores", stdout=out, stderr=err)
    assert "A share: 1 files, 1 scanned" in out.getvalue()
    assert "B share: cannot reach the folder" in err.getvalue()
    good.refresh_from_db()
    assert good.unprotected_statutory == 2


def test_an_unknown_name_is_refused(make_store: Callable[..., DataStore]) -> None:
    with pytest.raises(CommandError, match="no data store named Nope"):
        call_command("scan_data_stores", "Nope")
