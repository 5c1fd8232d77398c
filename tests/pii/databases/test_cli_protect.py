"""``districtguard protect --database`` and ``unprotect --database`` end to end.

Real databases (every engine), the real command line, synthetic rows: a dry
run changes nothing, encryption seals every statutory value and a second run
changes nothing, ``unprotect`` gives the originals back and logs it, and what
does not go with ``--database`` is refused before anything is opened.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import sqlalchemy as sa
from faker import Faker

from districtguard.cli import EXIT_OK, EXIT_PARTIAL, EXIT_USAGE, main
from districtguard.pii.protection.accesslog import read_entries
from districtguard.pii.protection.keys import KEK_ENV, KEK_FILE_ENV
from tests.pii.databases.conftest import Database, synthetic_ssn


@pytest.fixture(autouse=True)
def home(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    monkeypatch.setenv("DISTRICTGUARD_FINGERPRINT_KEY", "cd" * 32)
    monkeypatch.setenv("DISTRICTGUARD_HOME", str(tmp_path / "home"))
    for name in (KEK_ENV, KEK_FILE_ENV):
        monkeypatch.delenv(name, raising=False)
    assert main(["keys", "create"]) == EXIT_OK
    return tmp_path / "home"


def _fill(db: Database, fake: Faker, count: int) -> tuple[sa.Table, list[str]]:
    table = db.table(
        "staff",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("full_name", sa.String(120)),
        sa.Column("ssn", sa.String(120)),
    )
    ssns = [synthetic_ssn(fake) for _ in range(count)]
    rows = [{"id": n, "full_name": fake.name(), "ssn": s} for n, s in enumerate(ssns)]
    db.insert(table, rows)
    return table, ssns


def _ssns(db: Database, table: sa.Table) -> list[str]:
    with db.engine.connect() as connection:
        return [row[0] for row in connection.execute(sa.select(table.c.ssn))]


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, list[dict]]:  # type: ignore[type-arg]
    code = main([*argv, "--format", "jsonl", "--no-progress"])
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    return code, lines


def test_encrypt_then_unprotect_gives_back_every_value(
    database: Database, fake: Faker, capsys: pytest.CaptureFixture[str], home: Path
) -> None:
    table, ssns = _fill(database, fake, 30)
    pick = ["--table", database.include[0]]
    protect = ["protect", "--database", database.url, *pick, "--mode", "encrypt"]

    code, lines = _run(capsys, *protect, "--dry-run")
    assert code == EXIT_OK
    assert lines[0]["outcome"] == "would-protect"
    assert lines[0]["values"] == {"ssn": {"SSN": 30}}
    assert _ssns(database, table) == ssns  # a dry run writes nothing

    code, lines = _run(capsys, *protect)
    assert code == EXIT_OK
    assert (lines[0]["outcome"], lines[0]["rows_changed"]) == ("protected", 30)
    assert lines[-1]["summary"]["values"] == {"SSN": 30}
    sealed = _ssns(database, table)
    assert all(value.startswith("dgp1.") for value in sealed)
    assert not set(sealed) & set(ssns)

    code, lines = _run(capsys, *protect)
    assert (code, lines[0]["outcome"]) == (EXIT_OK, "unchanged")
    assert _ssns(database, table) == sealed

    code, lines = _run(
        capsys, "unprotect", "--database", database.url, *pick, "--user", "auditor"
    )
    assert (code, lines[0]["outcome"]) == (EXIT_OK, "restored")
    assert _ssns(database, table) == ssns
    logged = read_entries(home)
    assert logged and {entry["user"] for entry in logged} == {"auditor"}
    assert sum(int(str(entry["values"])) for entry in logged) == 30
    assert not any(ssn in json.dumps(logged) for ssn in ssns)


def test_redact_leaves_the_last_four_digits_and_a_table_to_print(
    sqlite: Database, fake: Faker, capsys: pytest.CaptureFixture[str]
) -> None:
    table, ssns = _fill(sqlite, fake, 5)
    code = main(["protect", "--database", sqlite.url, "--mode", "redact"])
    out = capsys.readouterr().out
    assert code == EXIT_OK
    assert sqlite.name("staff") in out and "protected" in out
    assert _ssns(sqlite, table) == [f"***-**-{ssn[-4:]}" for ssn in ssns]


def test_an_unreachable_database_is_partial_and_says_why(
    capsys: pytest.CaptureFixture[str],
) -> None:
    url = "postgresql://postgres@127.0.0.1:1/none"
    code, lines = _run(capsys, "protect", "--database", url, "--mode", "redact")
    assert code == EXIT_PARTIAL
    assert lines[-1]["summary"]["error"]
    assert lines[-1]["summary"]["partial"] is True


@pytest.mark.parametrize(
    ("argv", "says"),
    [
        (["protect", "share", "--database", "sqlite:///x.db"], "not both"),
        (["protect", "share", "--table", "staff"], "go with --database"),
        (
            ["protect", "--database", "sqlite:///x.db", "--backup-dir", "/tmp/b"],
            "for files",
        ),
        (["protect"], "give at least one PATH"),
        (["unprotect", "--database", "sqlite:///x.db", "--verify-log"], "no PATH"),
        (["unprotect", "share", "--format", "json"], "goes with --database"),
    ],
)
def test_what_does_not_go_with_database_is_a_usage_error(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    argv: list[str],
    says: str,
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "share").mkdir()
    if argv[0] == "protect":
        argv = [*argv, "--mode", "redact"]
    assert main(argv) == EXIT_USAGE
    assert says in capsys.readouterr().err
    assert not (tmp_path / "x.db").exists()  # nothing was opened or created
