"""Fixtures shared by the command-line tests: a small share and a clean folder."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

LINKED = "Employee: Maria Lopez, SSN 234-56-7891\n"


@pytest.fixture
def share(tmp_path: Path) -> Path:
    folder = tmp_path / "share"
    (folder / "hr").mkdir(parents=True)
    (folder / "hr" / "staff.txt").write_text(LINKED)
    (folder / "notes.txt").write_text("Lunch menu for Tuesday.\n")
    return folder


@pytest.fixture
def clean(tmp_path: Path) -> Path:
    folder = tmp_path / "clean"
    folder.mkdir()
    (folder / "notes.txt").write_text("Lunch menu for Tuesday.\n")
    return folder


_triggers_lifted = False


def _transactional(request: pytest.FixtureRequest) -> bool:
    marker = request.node.get_closest_marker("django_db")
    if marker is not None and marker.kwargs.get("transaction"):
        return True
    return bool(set(request.fixturenames) & {"transactional_db", "live_server"})


def _uses_database(request: pytest.FixtureRequest) -> bool:
    if request.node.get_closest_marker("django_db") is not None:
        return True
    return bool(set(request.fixturenames) & {"db", "transactional_db", "live_server"})


@pytest.fixture(autouse=True)
def _audit_log_survives_flush(request: pytest.FixtureRequest) -> Iterator[None]:
    """Let transactional tests empty the append-only audit table between tests.

    pytest-django flushes the database after a transactional test, which the
    audit log's triggers refuse; so the triggers are lifted just before the
    flush and put back when the next test that uses the database starts.
    """
    global _triggers_lifted
    transactional = _transactional(request)
    if _triggers_lifted and _uses_database(request):
        from django.db import connection

        from districtguard.accounts import audit_triggers

        audit_triggers.install(connection)
        # Inside a test's transaction the install is rolled back at its end.
        _triggers_lifted = not transactional
    yield
    if transactional:
        from django.db import connection

        from districtguard.accounts import audit_triggers

        audit_triggers.remove(connection)
        _triggers_lifted = True
