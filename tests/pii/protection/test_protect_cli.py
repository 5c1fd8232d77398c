"""``districtguard protect`` and ``unprotect`` on the command line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from districtguard.cli import main
from districtguard.pii.protection.keys import KEK_ENV, KEK_FILE_ENV
from districtguard.pii.reports import FINDING_FIELDS
from tests.pii.protection.protecthelp import LINE, SSN

PDF = Path(__file__).parents[3] / "src/districtguard/samples/demo-share/transportation"


@pytest.fixture
def share(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("DISTRICTGUARD_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("DISTRICTGUARD_FINGERPRINT_KEY", "ab" * 32)
    monkeypatch.delenv(KEK_ENV, raising=False)
    monkeypatch.delenv(KEK_FILE_ENV, raising=False)
    folder = tmp_path / "share"
    folder.mkdir()
    (folder / "staff.txt").write_text(LINE)
    (folder / "menu.txt").write_text("Lunch menu for Tuesday.\n")
    return folder


def test_jsonl_is_the_scan_contract_plus_the_action(
    share: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["protect", str(share), "--mode", "redact", "--format", "jsonl"])
    out, err = capsys.readouterr()
    assert code == 0
    lines = [json.loads(line) for line in out.splitlines()]
    assert [tuple(line) for line in lines] == [(*FINDING_FIELDS, "action")] * 2
    assert [line["action"] for line in lines] == ["skipped:names-are-kept", "redacted"]
    assert SSN not in out + err
    assert (share / "staff.txt").read_text() == LINE.replace(SSN, "***-**-7891")
    assert "protected 1" in err


def test_dry_run_shows_the_change_and_writes_nothing(
    share: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["protect", str(share), "--mode", "encrypt", "--dry-run"])
    out, _ = capsys.readouterr()
    assert code == 2  # encrypt needs keys, even to look
    assert main(["protect", str(share), "--mode", "redact", "--dry-run"]) == 0
    out, _ = capsys.readouterr()
    assert "would-protect" in out and "SSN 1" in out
    assert (share / "staff.txt").read_text() == LINE


def test_encrypt_without_keys_is_a_usage_error_naming_the_fix(
    share: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["protect", str(share), "--mode", "encrypt"]) == 2
    assert "districtguard keys create" in capsys.readouterr().err
    assert (share / "staff.txt").read_text() == LINE


def test_encrypt_then_unprotect_restores_and_logs(
    share: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    assert main(["keys", "create"]) == 0
    capsys.readouterr()
    assert main(["protect", str(share), "--mode", "encrypt", "--format", "json"]) == 0
    out, _ = capsys.readouterr()
    document = json.loads(out)
    assert document["summary"]["values_protected"] == {"SSN": 1}
    assert SSN not in (share / "staff.txt").read_text()
    assert main(["unprotect", str(share), "--user", "auditor"]) == 0
    assert "Unprotect: 1 file restored, 1 value, 0 failed" in capsys.readouterr().err
    assert (share / "staff.txt").read_text() == LINE
    log = (tmp_path / "home" / "unprotect-log.jsonl").read_text().splitlines()
    entry = json.loads(log[-1])
    assert (entry["user"], entry["values"]) == ("auditor", 1)


def test_unprotect_without_the_key_refuses_cleanly(
    share: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["unprotect", str(share)]) == 2
    assert "keys:" in capsys.readouterr().err
    assert (share / "staff.txt").read_text() == LINE


def test_a_file_that_cannot_be_protected_makes_the_run_partial(
    share: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (share / "roster.pdf").write_bytes((PDF / "driver_roster.pdf").read_bytes())
    code = main(["protect", str(share), "--mode", "redact", "--format", "jsonl"])
    _, err = capsys.readouterr()
    assert code == 3
    assert "pdf-text-cannot-be-redacted-in-place" in err
    assert (share / "staff.txt").read_text() != LINE  # the rest went on


@pytest.mark.parametrize(
    "extra",
    [["--elements", "PERSON_NAME"], ["--backup-dir", "{share}/backups"]],
)
def test_bad_options_are_usage_errors(
    share: Path, extra: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    options = [part.format(share=share) for part in extra]
    assert main(["protect", str(share), "--mode", "redact", *options]) == 2
    assert "error" in capsys.readouterr().err
    assert (share / "staff.txt").read_text() == LINE
