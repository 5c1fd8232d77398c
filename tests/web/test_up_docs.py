"""docs/running.md documents every setting and every option of ``up`` and ``worker``."""

from __future__ import annotations

import argparse
import re
from pathlib import Path

import pytest

from districtguard.cli import build_parser

ROOT = Path(__file__).resolve().parents[2]
RUNNING = ROOT / "docs" / "running.md"
SETTINGS_SOURCES = (
    ROOT / "src" / "districtguard" / "web" / "settings.py",
    ROOT / "src" / "districtguard" / "accounts" / "audit.py",
)


def _variables() -> set[str]:
    found: set[str] = set()
    for source in SETTINGS_SOURCES:
        found |= set(re.findall(r"DISTRICTGUARD_[A-Z_]+", source.read_text()))
    return found


def test_the_settings_read_some_variables() -> None:
    assert {"DISTRICTGUARD_HTTPS", "DISTRICTGUARD_AUDIT_KEY"} <= _variables()


@pytest.mark.parametrize("variable", sorted(_variables()))
def test_every_environment_variable_is_documented(variable: str) -> None:
    assert f"| `{variable}` |" in RUNNING.read_text(), variable


def test_database_url_is_documented() -> None:
    assert "| `DATABASE_URL` |" in RUNNING.read_text()


@pytest.mark.parametrize("command", ["up", "worker"])
def test_every_option_is_documented(command: str) -> None:
    text = RUNNING.read_text()
    commands = next(
        action
        for action in build_parser()._actions
        if isinstance(action, argparse._SubParsersAction)
    )
    for action in commands.choices[command]._actions:
        for flag in action.option_strings:
            if flag.startswith("--") and flag != "--help":
                assert f"`{flag}" in text, flag
