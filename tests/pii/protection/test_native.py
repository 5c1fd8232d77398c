"""``protect --whole-file native``: PDF and Office files keep their name and open
in ordinary software with the district's password, and only with it."""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import docx
import msoffcrypto
import openpyxl
import pikepdf
import pytest
from openpyxl.chart import BarChart, Reference

from districtguard.cli import main
from districtguard.pii.protection.accesslog import read_entries
from districtguard.pii.protection.journal import CRASH_ENV
from districtguard.pii.protection.keys import KEK_ENV, KEK_FILE_ENV
from districtguard.pii.protection.wholefile import (
    OFFICE,
    PASSWORD_ENV,
    PASSWORD_FILE_ENV,
    FileCipherError,
    encrypt_native,
    load_file_password,
    natively_encrypted,
    verify_native,
)
from tests.pii.protection.protecthelp import LINE, SSN, word_document, workbook

PDF = (
    Path(__file__).parents[3]
    / "src/districtguard/samples/demo-share/transportation/driver_roster.pdf"
)
PASSWORD = "correct horse battery staple 7"  # noqa: S105 (made up for the tests)


def charted_workbook() -> bytes:
    """Return the staff workbook with a bar chart (which openpyxl cannot keep)."""
    book = openpyxl.load_workbook(io.BytesIO(workbook()))
    sheet = book.worksheets[0]
    chart = BarChart()
    chart.add_data(Reference(sheet, min_col=2, min_row=1, max_row=3))
    sheet.add_chart(chart, "E2")
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.fixture
def share(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("DISTRICTGUARD_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("DISTRICTGUARD_FINGERPRINT_KEY", "ab" * 32)
    for name in (KEK_ENV, KEK_FILE_ENV, PASSWORD_ENV, PASSWORD_FILE_ENV):
        monkeypatch.delenv(name, raising=False)
    folder = tmp_path / "share"
    folder.mkdir()
    shutil.copy(PDF, folder / "roster.pdf")
    (folder / "roster.pdf").chmod(0o640)
    (folder / "staff.xlsx").write_bytes(charted_workbook())
    (folder / "staff.txt").write_text(LINE)
    assert main(["keys", "create"]) == 0
    return folder


def _protect(share: Path, *options: str) -> int:
    argv = ["protect", str(share), "--mode", "encrypt", "--whole-file", "native"]
    return main([*argv, "--format", "jsonl", "--no-progress", *options])


def _outcomes(capsys: pytest.CaptureFixture[str]) -> dict[str, str]:
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    return {Path(str(line["path"])).name: str(line["outcome"]) for line in lines}


def _decrypt_office(path: Path, password: str) -> bytes:
    with path.open("rb") as handle:
        office = msoffcrypto.OfficeFile(handle)
        office.load_key(password=password, verify_password=True)
        out = io.BytesIO()
        office.decrypt(out)
    return out.getvalue()


def test_pdf_and_office_files_open_with_the_password_and_not_without(
    share: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    original_xlsx = (share / "staff.xlsx").read_bytes()
    monkeypatch.setenv(PASSWORD_ENV, PASSWORD)
    assert _protect(share) == 0
    capsys.readouterr()
    assert sorted(p.name for p in share.iterdir()) == [
        "roster.pdf",
        "staff.txt",
        "staff.xlsx",
    ]
    with pytest.raises(pikepdf.PasswordError):
        pikepdf.open(share / "roster.pdf")
    with pikepdf.open(share / "roster.pdf", password=PASSWORD) as pdf:
        assert pdf.is_encrypted and pdf.encryption.R == 6
        with pikepdf.open(PDF) as before:
            assert len(pdf.pages) == len(before.pages)
    assert (share / "roster.pdf").stat().st_mode & 0o777 == 0o640
    with pytest.raises(Exception, match=r"(?i)password|key"):
        _decrypt_office(share / "staff.xlsx", "a wrong password")
    plain = _decrypt_office(share / "staff.xlsx", PASSWORD)
    assert plain == original_xlsx
    book = openpyxl.load_workbook(io.BytesIO(plain))
    assert book["Staff"]["A2"].value == "Maria Lopez"
    assert zipfile.ZipFile(io.BytesIO(plain)).read("xl/charts/chart1.xml")
    assert SSN not in (share / "staff.txt").read_text()  # values, as ever


def test_the_report_says_how_and_a_second_run_does_nothing(
    share: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv(PASSWORD_ENV, PASSWORD)
    assert _protect(share, "--format", "json") == 0
    report = json.loads(capsys.readouterr().out)
    files = {Path(f["path"]).name: f for f in report["files"]}
    assert files["roster.pdf"]["outcome"] == "encrypted-whole-file"
    assert "PDF AES-256" in files["roster.pdf"]["reason"]
    assert files["staff.xlsx"]["outcome"] == "encrypted-whole-file"
    assert "Office AES-256" in files["staff.xlsx"]["reason"]
    before = {p.name: p.read_bytes() for p in share.iterdir()}
    assert _protect(share, "--format", "json") == 0
    again = json.loads(capsys.readouterr().out)
    assert {f["outcome"] for f in again["files"]} == {"unchanged"}
    assert {p.name: p.read_bytes() for p in share.iterdir()} == before


def test_without_the_journal_an_encrypted_file_is_seen_as_already_protected(
    share: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv(PASSWORD_ENV, PASSWORD)
    assert _protect(share) == 0
    capsys.readouterr()
    shutil.rmtree(Path(os.environ["DISTRICTGUARD_HOME"]) / "journal")
    assert main(["protect", str(share), "--mode", "redact", "--format", "json"]) == 0
    report = json.loads(capsys.readouterr().out)
    files = {Path(f["path"]).name: f["outcome"] for f in report["files"]}
    assert files["roster.pdf"] == files["staff.xlsx"] == "already-protected"


def test_unprotect_with_the_password_gives_back_the_originals_and_logs(
    share: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    original = {p.name: p.read_bytes() for p in share.iterdir()}
    monkeypatch.setenv(PASSWORD_ENV, PASSWORD)
    assert _protect(share) == 0
    assert main(["unprotect", str(share), "--user", "director"]) == 0
    assert (share / "staff.xlsx").read_bytes() == original["staff.xlsx"]
    assert (share / "staff.txt").read_bytes() == original["staff.txt"]
    with pikepdf.open(share / "roster.pdf") as pdf:  # no password needed again
        assert not pdf.is_encrypted
    logged = {Path(str(e["path"])).name for e in read_entries()}
    assert {"roster.pdf", "staff.xlsx", "staff.txt"} <= logged


def test_unprotect_without_the_password_names_what_to_set(
    share: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv(PASSWORD_ENV, PASSWORD)
    assert _protect(share) == 0
    encrypted = (share / "roster.pdf").read_bytes()
    monkeypatch.delenv(PASSWORD_ENV)
    capsys.readouterr()
    assert main(["unprotect", str(share), "--format", "jsonl"]) == 3
    results = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    failed = {
        Path(r["path"]).name: r["reason"] for r in results if r["outcome"] == "failed"
    }
    assert set(failed) == {"roster.pdf", "staff.xlsx"}
    assert PASSWORD_ENV in failed["roster.pdf"]
    assert (share / "roster.pdf").read_bytes() == encrypted


def test_a_missing_password_is_a_usage_error_naming_the_variables(
    share: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = {p.name: p.read_bytes() for p in share.iterdir()}
    assert _protect(share) == 2
    err = capsys.readouterr().err
    assert PASSWORD_ENV in err and PASSWORD_FILE_ENV in err
    assert {p.name: p.read_bytes() for p in share.iterdir()} == before


def test_the_password_may_come_from_a_private_file_only(
    share: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    secret = tmp_path / "file-password"
    secret.write_text(PASSWORD + "\n")
    secret.chmod(0o644)
    monkeypatch.setenv(PASSWORD_FILE_ENV, str(secret))
    assert _protect(share) == 2
    assert "chmod 600" in capsys.readouterr().err
    secret.chmod(0o600)
    assert _protect(share) == 0
    assert _decrypt_office(share / "staff.xlsx", PASSWORD).startswith(b"PK")


def test_native_goes_with_encrypt_mode_only(
    share: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(PASSWORD_ENV, PASSWORD)
    argv = ["protect", str(share), "--mode", "redact", "--whole-file", "native"]
    assert main(argv) == 2


def test_a_word_file_encrypted_natively_reopens_with_python_docx(
    tmp_path: Path,
) -> None:
    source = tmp_path / "staff.docx"
    source.write_bytes(word_document())
    target = tmp_path / "locked.docx"
    encrypt_native(source, target, OFFICE, PASSWORD)
    assert natively_encrypted(target.read_bytes()) == OFFICE
    verify_native(target, source.read_bytes(), OFFICE, PASSWORD)
    document = docx.Document(io.BytesIO(_decrypt_office(target, PASSWORD)))
    assert document.tables[0].cell(1, 0).text == "John Smith"
    with pytest.raises(FileCipherError):
        verify_native(target, b"other content", OFFICE, PASSWORD)


def _run(folder: Path, home: Path, crash_at: int | None) -> int:
    env = {k: v for k, v in os.environ.items() if k != CRASH_ENV}
    env |= {"DISTRICTGUARD_HOME": str(home), PASSWORD_ENV: PASSWORD}
    if crash_at is not None:
        env[CRASH_ENV] = str(crash_at)
    argv = [sys.executable, "-m", "districtguard", "protect", str(folder)]
    argv += ["--mode", "encrypt", "--whole-file", "native", "--no-progress"]
    done = subprocess.run(argv, env=env, capture_output=True, timeout=120, check=False)
    assert done.returncode in (0, -9), done.stderr.decode()
    return done.returncode


def _opens_to(path: Path, original: bytes) -> bool:
    if path.suffix == ".pdf":
        with pikepdf.open(path, password=PASSWORD) as pdf:
            return bool(pdf.is_encrypted) and len(pdf.pages) == 1
    return _decrypt_office(path, PASSWORD) == original


def test_a_kill_at_any_step_leaves_the_original_or_the_encrypted_file(
    share: Path, tmp_path: Path
) -> None:
    original = {p.name: p.read_bytes() for p in share.iterdir()}
    home = Path(os.environ["DISTRICTGUARD_HOME"])
    step = 0
    while True:
        step += 1
        folder = tmp_path / f"run{step}"
        shutil.copytree(share, folder)
        if _run(folder, home, step) == 0:
            break
        for name in ("roster.pdf", "staff.xlsx"):
            data = (folder / name).read_bytes()
            assert data == original[name] or _opens_to(folder / name, original[name])
        assert _run(folder, home, None) == 0
        assert sorted(p.name for p in folder.iterdir()) == sorted(original)
        for name in ("roster.pdf", "staff.xlsx"):
            assert _opens_to(folder / name, original[name]), name
        shutil.rmtree(folder)
    assert step > 8


def test_the_password_source_is_checked(tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.write_text("\n")
    empty.chmod(0o600)
    assert load_file_password({}) is None
    assert load_file_password({PASSWORD_ENV: ""}) is None
    assert load_file_password({PASSWORD_ENV: PASSWORD}) == PASSWORD
    with pytest.raises(FileCipherError, match="empty"):
        load_file_password({PASSWORD_FILE_ENV: str(empty)})
    with pytest.raises(FileCipherError, match="cannot read"):
        load_file_password({PASSWORD_FILE_ENV: str(tmp_path / "missing")})
