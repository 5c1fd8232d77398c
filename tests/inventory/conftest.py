"""Fixtures for the inventory: a fingerprint key, folder stores of synthetic records."""

from __future__ import annotations

import random
from collections.abc import Callable
from pathlib import Path

import pytest
from faker import Faker

from districtguard.accounts.models import User
from districtguard.accounts.roles import Role
from districtguard.inventory.models import DataStore
from districtguard.pii import DetectOptions, scan_text
from districtguard.pii.fingerprint import KEY_ENV
from tests.web.conftest import (  # noqa: F401  (fixtures used by these tests)
    _empty_cache,
    client_for,
    make_person,
)

fake = Faker()
_random = random.Random(6)


@pytest.fixture(autouse=True)
def _fingerprint_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(KEY_ENV, "ab" * 32)


def synthetic_ssn() -> str:
    """Return a valid-looking SSN the SSA would assign (area 200-665, no zeros)."""
    area = _random.randint(200, 665)
    group = _random.randint(10, 99)
    serial = _random.randint(1000, 9999)
    return f"{area:03d}-{group:02d}-{serial:04d}"


_OPTIONS = DetectOptions(fingerprint_key=b"k" * 32)


def _name() -> str:
    """Return a synthetic name the detector links (name detection is tested apart)."""
    while True:
        name = f"{fake.first_name()} {fake.last_name()}"
        found = scan_text(f"Employee: {name}, SSN 234-56-7891", _OPTIONS)
        if any(finding.statutory for finding in found):
            return name


def staff_record() -> tuple[str, str]:
    """Return a line naming a synthetic person with their SSN, and the SSN."""
    ssn = synthetic_ssn()
    return f"Employee: {_name()}, SSN {ssn}\n\n", ssn


def write_records(path: Path, count: int) -> list[str]:
    """Write ``count`` linked name+SSN records to ``path``; return the SSNs."""
    lines, numbers = [], []
    for _ in range(count):
        line, ssn = staff_record()
        lines.append(line)
        numbers.append(ssn)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(lines))
    return numbers


@pytest.fixture
def director(db: None) -> User:
    """Return a Director with MFA set up."""
    return make_person(Role.DIRECTOR)


@pytest.fixture
def make_store(director: User) -> Callable[..., DataStore]:
    """Return ``make_store(folder, **fields)``: a folder store owned by the Director."""

    def make(folder: Path, **fields: object) -> DataStore:
        defaults: dict[str, object] = {
            "name": f"Share {fake.unique.word()}",
            "location": str(folder),
            "owner": director,
            "holds_staff": True,
        }
        return DataStore.objects.create(**(defaults | fields))

    return make
