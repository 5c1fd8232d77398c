"""A keyring in a temporary data home, for the protection core's tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from districtguard.pii.protection.keys import KEK_ENV, KEK_FILE_ENV, KeyRing


def isolate_home(monkeypatch: pytest.MonkeyPatch, home: Path) -> Path:
    """Point the data home at ``home`` and clear any KEK from the environment."""
    monkeypatch.setenv("DISTRICTGUARD_HOME", str(home))
    monkeypatch.delenv(KEK_ENV, raising=False)
    monkeypatch.delenv(KEK_FILE_ENV, raising=False)
    return home


def make_ring(monkeypatch: pytest.MonkeyPatch, home: Path) -> KeyRing:
    """Return a fresh keyring (and KEK file) in ``home``."""
    isolate_home(monkeypatch, home)
    return KeyRing.create()
