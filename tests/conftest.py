"""Fixtures shared by the command-line tests: a small share and a clean folder."""

from __future__ import annotations

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
