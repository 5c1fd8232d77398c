"""The ``districtguard scan`` command in process: arguments, outputs, exit codes."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import pytest

from districtguard.cli import (
    EXIT_FINDINGS,
    EXIT_OK,
    EXIT_PARTIAL,
    EXIT_USAGE,
    build_parser,
    main,
)
from districtguard.pii.reports import FINDING_FIELDS
from tests.conftest import LINKED

KEY = "ab" * 32

UNLINKED = "Reference SSN 234-56-7891 on file\n"
RAW = ("234-56-7891", "234567891", "234 56 7891")
DOCS = Path(__file__).resolve().parents[1] / "docs" / "cli.md"


@pytest.fixture(autouse=True)
def fingerprint_key(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("DISTRICTGUARD_FINGERPRINT_KEY", KEY)
    monkeypatch.setenv("DISTRICTGUARD_HOME", str(tmp_path / "home"))


@pytest.fixture
def damaged(share: Path) -> Path:
    (share / "broken.xlsx").write_bytes(b"PK\x03\x04" + b"\x00not a workbook" * 50)
    return share


def scan(*args: str | Path) -> int:
    return main(["scan", "--no-progress", *map(str, args)])


def jsonl(text: str) -> list[dict[str, object]]:
    return [json.loads(line) for line in text.splitlines()]


def test_a_clean_scan_exits_0(clean: Path) -> None:
    assert scan(clean) == EXIT_OK


def test_findings_exit_0_unless_asked_to_fail_on_them(share: Path) -> None:
    assert scan(share) == EXIT_OK
    assert scan(share, "--fail-on-findings", "any") == EXIT_FINDINGS
    assert scan(share, "--fail-on-findings", "statutory") == EXIT_FINDINGS


def test_fail_on_statutory_ignores_values_not_linked_to_a_name(tmp_path: Path) -> None:
    (tmp_path / "ref.txt").write_text(UNLINKED)
    assert scan(tmp_path, "--fail-on-findings", "statutory") == EXIT_OK
    assert scan(tmp_path, "--fail-on-findings", "any") == EXIT_FINDINGS


def test_a_missing_path_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert scan(tmp_path / "absent") == EXIT_USAGE
    assert "no such file or folder" in capsys.readouterr().err


def test_a_bad_fingerprint_key_is_a_usage_error(
    clean: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("DISTRICTGUARD_FINGERPRINT_KEY", "not a key!")
    assert scan(clean) == EXIT_USAGE
    err = capsys.readouterr().err
    assert "fingerprint key" in err
    assert "DISTRICTGUARD_FINGERPRINT_KEY" in err


@pytest.mark.parametrize(
    "bad",
    [
        ["--elements", "SSN,SHOE_SIZE"],
        ["--min-confidence", "2"],
        ["--min-confidence", "high"],
        ["--workers", "-1"],
        ["--format", "xml"],
        ["--rules", "tx-2020"],
        ["--home-state", "Oklahoma"],
        ["--fail-on-findings", "some"],
    ],
)
def test_bad_arguments_are_usage_errors(clean: Path, bad: list[str]) -> None:
    assert scan(clean, *bad) == EXIT_USAGE


def test_no_path_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert scan() == EXIT_USAGE
    assert "at least one PATH" in capsys.readouterr().err


def test_demo_with_a_path_is_a_usage_error(clean: Path) -> None:
    assert scan("--demo", clean) == EXIT_USAGE


def test_an_unwritable_output_file_is_a_usage_error(
    clean: Path, tmp_path: Path
) -> None:
    assert scan(clean, "--output", tmp_path / "absent" / "out.jsonl") == EXIT_USAGE


def test_a_damaged_file_makes_the_scan_partial_and_the_rest_is_reported(
    damaged: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert scan(damaged, "--format", "jsonl") == EXIT_PARTIAL
    out, err = capsys.readouterr()
    assert {row["path"] for row in jsonl(out)} == {str(damaged / "hr" / "staff.txt")}
    assert "broken.xlsx" in err
    assert "not a readable" in err


def test_partial_wins_over_fail_on_findings(damaged: Path) -> None:
    assert scan(damaged, "--fail-on-findings", "any") == EXIT_PARTIAL


def test_jsonl_parses_line_by_line_with_exactly_the_contract_keys(
    share: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert scan(share, "--format", "jsonl") == EXIT_OK
    rows = jsonl(capsys.readouterr().out)
    assert {row["element"] for row in rows} >= {"SSN", "PERSON_NAME"}
    assert all(list(row) == list(FINDING_FIELDS) for row in rows)


@pytest.mark.parametrize("output", ["jsonl", "json", "csv", "sarif", "table"])
def test_no_output_contains_the_raw_value(
    share: Path, output: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert scan(share, "--format", output) == EXIT_OK
    out, err = capsys.readouterr()
    assert "7891" in out
    for raw in RAW:
        assert raw not in out
        assert raw not in err


def test_machine_formats_put_the_summary_on_stderr_and_table_on_stdout(
    share: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    scan(share, "--format", "jsonl")
    out, err = capsys.readouterr()
    assert "Scan summary" in err
    assert "Scan summary" not in out
    scan(share)
    out, err = capsys.readouterr()
    assert "Scan summary" in out
    assert "***-**-7891" in out
    assert err == ""


def test_output_option_writes_the_report_to_the_file(
    share: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "out.csv"
    assert scan(share, "--format", "csv", "--output", target) == EXIT_OK
    out, err = capsys.readouterr()
    assert out == ""
    assert "Scan summary" in err
    assert target.read_text().splitlines()[0] == ",".join(FINDING_FIELDS)


def test_a_report_written_into_the_scanned_folder_is_not_scanned(
    share: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = share / "findings.jsonl"
    assert scan(share, "--format", "jsonl", "--output", target) == EXIT_OK
    assert "findings.jsonl" not in capsys.readouterr().err
    assert {row["path"] for row in jsonl(target.read_text())} == {
        str(share / "hr" / "staff.txt")
    }


def test_two_workers_give_the_same_lines_as_one(
    share: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for number in range(30):
        (share / f"f{number}.txt").write_text(LINKED if number % 2 else "menu\n")
    scan(share, "--format", "jsonl", "--workers", "1")
    one = sorted(capsys.readouterr().out.splitlines())
    scan(share, "--format", "jsonl", "--workers", "2")
    two = sorted(capsys.readouterr().out.splitlines())
    assert one == two
    assert len(one) > 10


def test_elements_option_limits_what_is_reported(
    share: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    scan(share, "--format", "jsonl", "--elements", "ssn")
    assert {row["element"] for row in jsonl(capsys.readouterr().out)} == {"SSN"}


def test_min_confidence_option_drops_less_confident_findings(
    share: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    scan(share, "--format", "jsonl", "--min-confidence", "0.95")
    rows = jsonl(capsys.readouterr().out)
    assert all(float(str(row["confidence"])) >= 0.95 for row in rows)


@pytest.mark.timeout(30)
def test_a_symlink_loop_is_reported_and_the_scan_completes(
    share: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (share / "hr" / "up").symlink_to(share)
    assert scan(share, "--follow-symlinks", "--format", "jsonl") == EXIT_OK
    out, err = capsys.readouterr()
    assert len({row["path"] for row in jsonl(out)}) == 1
    assert "symbolic link loop" in err


def test_demo_scans_the_samples_or_says_they_are_missing(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code = main(["scan", "--demo", "--no-progress"])
    out, err = capsys.readouterr()
    if "sample folder is missing" in err:
        assert code == EXIT_USAGE
    else:
        assert code in (EXIT_OK, EXIT_PARTIAL)
        assert "Scan summary" in out
        assert "Next:" in err


def test_help_lists_the_exit_codes(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["scan", "--help"]) == EXIT_OK
    text = capsys.readouterr().out
    for line in (
        "0  the scan completed",
        "1  the scan completed",
        "2  usage",
        "3  partial",
    ):
        assert line in text


def test_every_scan_option_and_format_is_documented() -> None:
    docs = DOCS.read_text()
    commands = next(
        action
        for action in build_parser()._actions
        if isinstance(action, argparse._SubParsersAction)
    )
    scan_parser = commands.choices["scan"]
    for action in scan_parser._actions:
        for flag in action.option_strings:
            if flag.startswith("--") and flag != "--help":
                assert f"`{flag}" in docs, flag
    for name in ("table", "jsonl", "json", "csv", "sarif"):
        assert f"`{name}`" in docs
    for variable in (
        "DISTRICTGUARD_HOME",
        "DISTRICTGUARD_FINGERPRINT_KEY",
        "DISTRICTGUARD_FINGERPRINT_KEY_FILE",
    ):
        assert variable in docs


def test_config_file_declares_a_district_id_and_flags_override_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = tmp_path / "config.toml"
    config.write_text(
        '[scan]\nmin_confidence = 0.9\n[[scan.government_ids]]\nname = "student_id"\n'
        "pattern = 'S\\d{7}'\nkeywords = [\"student id\"]\n",
        encoding="utf-8",
    )
    data = tmp_path / "data"
    data.mkdir()
    (data / "ids.txt").write_text("Student ID S1234567\n", encoding="utf-8")
    base = ["scan", str(data), "--format", "jsonl", "--config", str(config)]
    assert main(base) == 0
    assert capsys.readouterr().out == ""  # 0.70 is below the file's 0.9
    assert main([*base, "--min-confidence", "0.5"]) == 0
    (line,) = capsys.readouterr().out.splitlines()
    assert '"kind": "student_id"' in line and '"GOVERNMENT_ID"' in line


def test_bad_config_file_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = tmp_path / "config.toml"
    config.write_text("[scan]\nmin_confidence = 'high'\n", encoding="utf-8")
    assert main(["scan", str(tmp_path), "--config", str(config)]) == 2
    assert "min_confidence" in capsys.readouterr().err


def test_help_says_which_scan_options_repeat_and_what_none_means(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["scan", "--help"]) == EXIT_OK
    text = " ".join(capsys.readouterr().out.split())
    assert (
        "skip files and folders whose relative path or name matches (repeatable)"
        in text
    )
    assert "(default OK; 'none' for no home state)" in text
