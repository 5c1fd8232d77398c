"""Fixtures for tests that run DistrictGuard as real processes.

A test module imports the ``*_fixture`` functions (pytest finds fixtures
imported into a test module) and asks for them by their short names.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.harness import Installation, Template


@pytest.fixture(scope="session", name="installation_template")
def installation_template_fixture(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[Template]:
    """Migrate one installation per test session for the others to copy."""
    template = Template(tmp_path_factory.mktemp("installations"))
    yield template
    template.close()


@pytest.fixture(name="installation")
def installation_fixture(
    installation_template: Template, tmp_path: Path
) -> Iterator[Installation]:
    """Return a migrated installation of this test's own."""
    made = installation_template.copy(tmp_path / "home")
    yield made
    installation_template.drop(made)
