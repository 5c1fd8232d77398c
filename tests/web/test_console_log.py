"""The console log handler follows standard error when it is swapped."""

from __future__ import annotations

import io
import logging
import sys

import pytest

from districtguard.web.console import ConsoleHandler


def test_records_go_to_standard_error_as_it_is_now(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    handler = ConsoleHandler()
    first, second = io.StringIO(), io.StringIO()
    monkeypatch.setattr(sys, "stderr", first)
    handler.emit(logging.makeLogRecord({"msg": "to the first"}))
    first.close()  # as a test's captured output is closed after it
    monkeypatch.setattr(sys, "stderr", second)
    handler.emit(logging.makeLogRecord({"msg": "to the second"}))
    assert second.getvalue() == "to the second\n"


def test_the_settings_log_to_the_console_handler() -> None:
    assert any(isinstance(h, ConsoleHandler) for h in logging.getLogger().handlers)
