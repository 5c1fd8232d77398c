from __future__ import annotations

import datetime as dt
import os

import pytest

from districtguard.pii import DetectOptions

KEY = b"k" * 32


@pytest.fixture
def options() -> DetectOptions:
    return DetectOptions(fingerprint_key=KEY, today=dt.date(2026, 11, 28))


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """In the pass over the compiled build (see ``test_compiled.py``), skip the
    tests that swap a function inside a compiled module: compiled code calls
    it directly, so the swap would test nothing. The pure pass runs them."""
    if os.environ.get("DISTRICTGUARD_TEST_COMPILED") != "1":
        return
    skip = pytest.mark.skip(reason="swaps a compiled module's function")
    for item in items:
        if item.get_closest_marker("pure_python"):
            item.add_marker(skip)
