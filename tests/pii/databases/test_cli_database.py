"""``districtguard scan --database``: tables reported like files, errors exit 3."""

from __future__ import annotations

import json
import secrets
from pathlib import Path

import pytest
import sqlalchemy as sa
from faker import Faker

from districtguard.cli import EXIT_OK, EXIT_PARTIAL, EXIT_USAGE, main
from tests.pii.databases.conftest import Database, synthetic_ssn


@pytest.fixture(autouse=True)
def fingerprint_key(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("DISTRICTGUARD_FINGERPRINT_KEY", "cd" * 32)
    monkeypatch.setenv("DISTRICTGUARD_HOME", str(tmp_path / "home"))


def _fill(db: Database, fake: Faker, count: int) -> list[str]:
    table = db.table(
        "staff",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("full_name", sa.String(120)),
        sa.Column("ssn", sa.String(11)),
    )
    ssns = [synthetic_ssn(fake) for _ in range(count)]
    db.insert(
        table,
        [
            {"id": n, "full_name": fake.name(), "ssn": ssn}
            for n, ssn in enumerate(ssns, 1)
        ],
    )
    return ssns


def test_scan_database_writes_one_finding_per_line(
    sqlite: Database,
    fake: Faker,
    capsys: pytest.CaptureFixture[str],
) -> None:
    ssns = _fill(sqlite, fake, 12)

    code = main(
        [
            "scan",
            "--no-progress",
            "--format",
            "jsonl",
            "--database",
            sqlite.url,
            "--sample-rows",
            "5",
        ]
    )

    out = capsys.readouterr().out
    assert code == EXIT_OK
    lines = [json.loads(line) for line in out.splitlines()]
    found = [line for line in lines if line.get("element") == "SSN"]
    assert len(found) == 5
    assert all(line["path"].endswith("#t_staff") for line in found)
    assert all(line["statutory"] for line in found)
    assert not any(ssn in out for ssn in ssns)


def test_unreachable_database_is_partial_and_hides_the_password(
    capsys: pytest.CaptureFixture[str],
) -> None:
    secret = secrets.token_hex(8)
    url = f"mysql://root:{secret}@127.0.0.1:3306/test"

    code = main(["scan", "--no-progress", "--format", "json", "--database", url])

    captured = capsys.readouterr()
    assert code == EXIT_PARTIAL
    assert secret not in captured.out + captured.err
    assert "root:***@127.0.0.1" in captured.out + captured.err


def test_sample_rows_must_be_positive(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["scan", "--database", "sqlite:///x.db", "--sample-rows", "0"])

    assert code == EXIT_USAGE
    assert "above 0" in capsys.readouterr().err
