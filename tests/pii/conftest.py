from __future__ import annotations

import datetime as dt

import pytest

from districtguard.pii import DetectOptions

KEY = b"k" * 32


@pytest.fixture
def options() -> DetectOptions:
    return DetectOptions(fingerprint_key=KEY, today=dt.date(2026, 11, 28))
