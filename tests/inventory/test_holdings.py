"""What named stores hold, for an incident: elements, protection, distinct people."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from districtguard.inventory import jobs
from districtguard.inventory.holdings import holdings_of
from districtguard.inventory.models import DataStore
from districtguard.inventory.services import queue_scan
from tests.inventory.conftest import staff_record

pytestmark = pytest.mark.django_db


def test_a_person_in_two_stores_counts_once(
    tmp_path: Path, make_store: Callable[..., DataStore]
) -> None:
    shared, _ = staff_record()
    only_a, _ = staff_record()
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    (tmp_path / "a" / "staff.txt").write_text(shared + only_a)
    (tmp_path / "b" / "copy.txt").write_text(shared)
    stores = [make_store(tmp_path / "a"), make_store(tmp_path / "b")]
    for store in stores:
        jobs.run_scan(queue_scan(store, actor=None).pk)
        store.refresh_from_db()
    never = make_store(tmp_path / "c", name="Never scanned")
    held = holdings_of([*stores, never])
    assert held.elements["SSN"] == 3
    assert held.unprotected_statutory == 3
    assert held.people == 2
    assert not held.protected_only
    assert held.never_scanned == ("Never scanned",)
