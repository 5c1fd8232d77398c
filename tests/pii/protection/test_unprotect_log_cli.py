"""``districtguard unprotect --verify-log``: the unprotect log's chain, checked."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from districtguard.cli import main
from districtguard.pii.protection.accesslog import log_path, record_unprotect
from tests.pii.protection.keyhelp import isolate_home


@pytest.fixture
def lines(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> list[bytes]:
    isolate_home(monkeypatch, tmp_path / "home")
    for number, user in enumerate(["director", "tech", "counsel"]):
        record_unprotect(f"share/{number}.csv", number + 1, user)
    return log_path().read_bytes().splitlines()


def _check(
    capsys: pytest.CaptureFixture[str], *options: str
) -> tuple[int, dict[str, object]]:
    code = main(["unprotect", "--verify-log", "--format", "jsonl", *options])
    return code, json.loads(capsys.readouterr().out)


def test_an_intact_log_exits_0_with_its_count_and_head(
    lines: list[bytes], capsys: pytest.CaptureFixture[str]
) -> None:
    code, report = _check(capsys)
    assert (code, report["ok"], report["entries"]) == (0, True, 3)
    head = report["head"]
    assert isinstance(head, str) and len(head) == 64
    assert _check(capsys, "--expect-head", head)[0] == 0


def test_the_table_form_names_the_head_to_note(
    lines: list[bytes], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["unprotect", "--verify-log"]) == 0
    out = capsys.readouterr().out
    assert "3 lines" in out and "chain intact; head " in out


def test_a_log_of_one_line_says_one_line(
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    isolate_home(monkeypatch, tmp_path / "home")
    record_unprotect("share/0.csv", 1, "director")
    assert main(["unprotect", "--verify-log"]) == 0
    assert ": 1 line\n" in capsys.readouterr().out


def test_an_edited_line_exits_1_naming_the_line_after_it(
    lines: list[bytes], capsys: pytest.CaptureFixture[str]
) -> None:
    entry = json.loads(lines[0])
    entry["values"] = 999
    lines[0] = json.dumps(entry, sort_keys=True).encode()
    log_path().write_bytes(b"\n".join(lines) + b"\n")
    code, report = _check(capsys)
    assert (code, report["ok"], report["broken_at"]) == (1, False, 2)
    assert report["problems"] == ["line 2: does not follow the line before it"]


def test_a_removed_line_exits_1(
    lines: list[bytes], capsys: pytest.CaptureFixture[str]
) -> None:
    log_path().write_bytes(b"\n".join([lines[0], lines[2]]) + b"\n")
    code, report = _check(capsys)
    assert (code, report["broken_at"]) == (1, 2)
    assert main(["unprotect", "--verify-log"]) == 1
    assert "broken: line 2" in capsys.readouterr().out


def test_a_removed_newest_line_is_caught_by_the_noted_head(
    lines: list[bytes], capsys: pytest.CaptureFixture[str]
) -> None:
    head = _check(capsys)[1]["head"]
    assert isinstance(head, str)
    log_path().write_bytes(b"\n".join(lines[:2]) + b"\n")
    assert _check(capsys)[0] == 0  # the chain alone still links
    code, report = _check(capsys, "--expect-head", head)
    assert (code, report["ok"], report["entries"]) == (1, False, 2)


def test_an_edited_last_line_is_caught_by_the_noted_head(
    lines: list[bytes], capsys: pytest.CaptureFixture[str]
) -> None:
    head = _check(capsys)[1]["head"]
    assert isinstance(head, str)
    entry = json.loads(lines[2])
    entry["user"] = "someone else"
    lines[2] = json.dumps(entry, sort_keys=True).encode()
    log_path().write_bytes(b"\n".join(lines) + b"\n")
    assert _check(capsys, "--expect-head", head)[0] == 1


def test_a_missing_log_is_an_intact_empty_chain(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    isolate_home(monkeypatch, tmp_path / "home")
    code, report = _check(capsys)
    assert (code, report["entries"]) == (0, 0)


@pytest.mark.parametrize(
    "argv",
    [
        ["unprotect", "--verify-log", "share"],
        ["unprotect", "--verify-log", "--expect-head", "abc"],
        ["unprotect", "share", "--expect-head", "0" * 64],
        ["unprotect"],
    ],
)
def test_misuse_is_a_usage_error(
    lines: list[bytes], argv: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(argv) == 2
    assert "error:" in capsys.readouterr().err
