"""Command-line unprotect uses reach the web app's audit log, once each."""

from __future__ import annotations

from pathlib import Path

import pytest

from districtguard.accounts.audit import verify_chain
from districtguard.accounts.models import AuditEntry
from districtguard.accounts.unprotect_log import import_unprotect_log
from districtguard.pii.protection.accesslog import log_path, record_unprotect

pytestmark = pytest.mark.django_db


def test_each_unprotect_use_is_imported_once(tmp_path: Path) -> None:
    record_unprotect("/srv/hr/staff.csv", 12, "jdoe", home=tmp_path)
    record_unprotect("/srv/hr/payroll.xlsx", 3, "jdoe", home=tmp_path)
    assert import_unprotect_log(tmp_path) == 2
    assert import_unprotect_log(tmp_path) == 0
    record_unprotect("/srv/hr/letters.docx", 1, "asmith", home=tmp_path)
    assert import_unprotect_log(tmp_path) == 1
    entries = AuditEntry.objects.filter(action="pii.unprotected").order_by("seq")
    assert [e.object_label for e in entries] == [
        "/srv/hr/staff.csv",
        "/srv/hr/payroll.xlsx",
        "/srv/hr/letters.docx",
    ]
    assert entries[0].actor_label == "jdoe (command line)"
    assert entries[0].detail["values"] == 12
    assert verify_chain() == []


def test_an_edited_local_log_is_recorded_as_broken_once(tmp_path: Path) -> None:
    record_unprotect("/srv/a.csv", 5, "jdoe", home=tmp_path)
    record_unprotect("/srv/b.csv", 5, "jdoe", home=tmp_path)
    path = log_path(tmp_path)
    path.write_bytes(path.read_bytes().replace(b'"values": 5', b'"values": 1', 1))
    import_unprotect_log(tmp_path)
    import_unprotect_log(tmp_path)
    broken = AuditEntry.objects.filter(action="pii.unprotect_log_broken")
    assert broken.count() == 1 and broken.get().detail["line"] == 2


def test_no_log_means_nothing_to_import(tmp_path: Path) -> None:
    assert import_unprotect_log(tmp_path) == 0
