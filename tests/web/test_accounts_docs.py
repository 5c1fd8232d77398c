"""The accounts docs match the code: the permission table, the audit command."""

from __future__ import annotations

import argparse
import re
from pathlib import Path

from districtguard.accounts.permission_docs import BEGIN, END, render_table
from districtguard.accounts.roles import PERMISSIONS, Role
from districtguard.cli import build_parser

DOCS = Path(__file__).resolve().parents[2] / "docs"


def test_permissions_page_holds_the_generated_table() -> None:
    text = (DOCS / "permissions.md").read_text()
    start, end = text.index(BEGIN), text.index(END) + len(END)
    assert text[start:end] + "\n" == render_table()


def test_permissions_page_rows_match_the_table_exactly() -> None:
    text = (DOCS / "permissions.md").read_text()
    rows = re.findall(r"^\| `([a-z_.]+)` \| [^|]+ \|(.*)\|$", text, re.MULTILINE)
    documented = {
        name: frozenset(
            role
            for role, cell in zip(list(Role), cells.split("|"), strict=True)
            if cell.strip() == "yes"
        )
        for name, cells in rows
    }
    assert documented == {name: roles for name, (roles, _) in PERMISSIONS.items()}


def test_every_audit_verify_option_is_documented() -> None:
    text = (DOCS / "accounts.md").read_text() + (DOCS / "cli.md").read_text()
    commands = next(
        action
        for action in build_parser()._actions
        if isinstance(action, argparse._SubParsersAction)
    )
    audit_actions = next(
        action
        for action in commands.choices["audit"]._actions
        if isinstance(action, argparse._SubParsersAction)
    )
    for action in audit_actions.choices["verify"]._actions:
        for flag in action.option_strings:
            if flag.startswith("--") and flag != "--help":
                assert f"`{flag}" in text, flag


def test_sso_page_names_every_setting_it_relies_on() -> None:
    text = (DOCS / "sso.md").read_text()
    for name in (
        "DISTRICTGUARD_SSO_PROVIDERS",
        "DISTRICTGUARD_GOOGLE_CLIENT_ID",
        "DISTRICTGUARD_GOOGLE_CLIENT_SECRET",
        "DISTRICTGUARD_MICROSOFT_CLIENT_ID",
        "DISTRICTGUARD_MICROSOFT_CLIENT_SECRET",
        "DISTRICTGUARD_MICROSOFT_TENANT",
    ):
        assert name in text, name
