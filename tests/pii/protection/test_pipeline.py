"""The pipeline over real folders: outcomes, verification, backups, whole files."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from districtguard.pii.documents.base import Limits, Source
from districtguard.pii.elements import Element
from districtguard.pii.protection import journal as steps
from districtguard.pii.protection import pipeline
from districtguard.pii.protection.accesslog import read_entries
from districtguard.pii.protection.cipher import ValueCipher
from districtguard.pii.protection.edits import PROTECTABLE, Edit, Job, Policy
from districtguard.pii.protection.journal import Journal, digest, signature
from districtguard.pii.protection.keys import KeyRing
from districtguard.pii.protection.pipeline import (
    ALREADY,
    CHANGED,
    EARLIER,
    ENCRYPTED_WHOLE,
    FAILED,
    NOT_PROTECTED,
    PROTECTED,
    SKIPPED,
    UNCHANGED,
    WOULD_PROTECT,
    ProtectConfig,
    ProtectResult,
    Services,
    protect_paths,
)
from districtguard.pii.protection.redaction import Redactor
from districtguard.pii.protection.rewrite.text import source_edits
from districtguard.pii.protection.unprotect import (
    DECRYPTED_WHOLE,
    RESTORED,
    unprotect_file,
)
from districtguard.pii.protection.wholefile import decrypt_file, is_encrypted_file
from tests.pii.protection.keyhelp import make_ring
from tests.pii.protection.protecthelp import LINE, OPTIONS, SSN
from tests.spying import record_calls

PDF = Path(__file__).parents[3] / "src/districtguard/samples/demo-share/transportation"


@pytest.fixture
def ring(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> KeyRing:
    return make_ring(monkeypatch, tmp_path / "home")


@pytest.fixture
def share(tmp_path: Path) -> Path:
    folder = tmp_path / "share"
    folder.mkdir()
    (folder / "staff.txt").write_text(LINE)
    (folder / "staff.txt").chmod(0o640)
    (folder / "menu.txt").write_text("Lunch menu for Tuesday.\n")
    (folder / "photo.bin").write_bytes(b"\x00\x01\x02 not a known format")
    return folder


def run(share: Path, services: Services, **config: object) -> dict[str, ProtectResult]:
    policy = Policy(OPTIONS, PROTECTABLE)
    settings = ProtectConfig(paths=(share,), policy=policy, **config)  # type: ignore[arg-type]
    results: list[ProtectResult] = []
    protect_paths(settings, services, results.append)
    return {Path(r.path).name: r for r in results}


def encrypting(ring: KeyRing) -> Services:
    cipher = ValueCipher(ring)
    return Services(cipher, cipher, ring)


def test_redaction_outcomes_and_permissions(share: Path, tmp_path: Path) -> None:
    results = run(share, Services(Redactor()), journal=tmp_path / "j.jsonl")
    outcomes = {name: r.outcome for name, r in results.items()}
    assert outcomes == {
        "staff.txt": PROTECTED,
        "menu.txt": UNCHANGED,
        "photo.bin": SKIPPED,  # redaction leaves unknown formats: nothing to redact
    }
    assert (share / "staff.txt").read_text() == LINE.replace(SSN, "***-**-7891")
    assert (share / "staff.txt").stat().st_mode & 0o777 == 0o640
    assert sorted(p.name for p in share.iterdir()) == [
        "menu.txt",
        "photo.bin",
        "staff.txt",
    ]


def test_a_second_run_changes_nothing(share: Path, tmp_path: Path) -> None:
    run(share, Services(Redactor()), journal=tmp_path / "j.jsonl")
    before = {p.name: p.read_bytes() for p in share.iterdir()}
    for journal in (tmp_path / "j.jsonl", None):  # with and without the journal
        again = run(share, Services(Redactor()), journal=journal)
        assert {r.outcome for r in again.values()} <= {UNCHANGED, SKIPPED}
    assert {p.name: p.read_bytes() for p in share.iterdir()} == before


def test_a_clean_file_is_passed_over_by_its_signature_until_it_is_written(
    share: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(steps, "RACY_NS", 0)  # the files were just written
    journal_file = tmp_path / "j.jsonl"
    menu = share / "menu.txt"
    run(share, Services(Redactor()), journal=journal_file)
    entry = Journal(journal_file).last[str(menu.absolute())]
    assert entry["op"] == "clean" and "sha" not in entry  # never hashed
    assert entry["sig"] == signature(menu.stat())
    again = run(share, Services(Redactor()), journal=journal_file)
    assert (again["menu.txt"].outcome, again["menu.txt"].file.reason) == (
        UNCHANGED,
        EARLIER,
    )
    # Written with personal information of the same size, its times set back:
    # the change time still moves, so the next run reads it and protects it.
    info = menu.stat()
    written = f"Ann Lee SSN {SSN}\n"
    assert len(written) == info.st_size
    menu.write_text(written)
    os.utime(menu, ns=(info.st_atime_ns, info.st_mtime_ns))
    third = run(share, Services(Redactor()), journal=journal_file)
    assert third["menu.txt"].outcome == PROTECTED
    assert menu.read_text() == "Ann Lee SSN ***-**-7891\n"


def test_a_protected_file_is_hashed_once_then_passed_over_by_its_signature(
    share: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    journal_file = tmp_path / "j.jsonl"
    staff = share / "staff.txt"
    where = str(staff.absolute())
    first = run(share, Services(Redactor()), journal=journal_file)
    assert first["staff.txt"].outcome == PROTECTED
    # Just renamed into place: its signature is racy, so it is hashed, not recorded.
    monkeypatch.setattr(steps, "RACY_NS", 3600 * 10**9)  # however slow the run
    again = run(share, Services(Redactor()), journal=journal_file)
    assert (again["staff.txt"].outcome, again["staff.txt"].file.reason) == (
        UNCHANGED,
        EARLIER,
    )
    assert "sig" not in Journal(journal_file).last[where]
    monkeypatch.setattr(steps, "RACY_NS", 0)  # as if it had settled since
    run(share, Services(Redactor()), journal=journal_file)
    entry = Journal(journal_file).last[where]
    assert entry["op"] == "done" and entry["sig"] == signature(staff.stat())
    assert entry["after"] == digest(staff.read_bytes())
    read = record_calls(monkeypatch, Path, "read_bytes")
    fourth = run(share, Services(Redactor()), journal=journal_file)
    assert (fourth["staff.txt"].outcome, fourth["staff.txt"].file.reason) == (
        UNCHANGED,
        EARLIER,
    )
    assert staff not in read
    # The original written back, same size, times set back: read and protected.
    info = staff.stat()
    staff.write_text(LINE)
    assert staff.stat().st_size == info.st_size
    os.utime(staff, ns=(info.st_atime_ns, info.st_mtime_ns))
    fifth = run(share, Services(Redactor()), journal=journal_file)
    assert fifth["staff.txt"].outcome == PROTECTED
    assert staff.read_text() == LINE.replace(SSN, "***-**-7891")


def test_a_clean_file_written_moments_ago_is_not_journaled_by_its_signature(
    share: Path, tmp_path: Path
) -> None:
    # A second write within the same clock tick could leave its times unchanged.
    journal_file = tmp_path / "j.jsonl"
    results = run(share, Services(Redactor()), journal=journal_file)
    assert results["menu.txt"].outcome == UNCHANGED
    assert str((share / "menu.txt").absolute()) not in Journal(journal_file).last
    again = run(share, Services(Redactor()), journal=journal_file)
    assert (again["menu.txt"].outcome, again["menu.txt"].file.reason) == (
        UNCHANGED,
        "",  # read again, not passed over
    )


def test_a_clean_file_in_an_older_journal_is_passed_over_by_its_digest(
    share: Path, tmp_path: Path
) -> None:
    journal_file = tmp_path / "j.jsonl"
    menu = share / "menu.txt"
    older = Journal(journal_file)  # as journals were written before signatures
    older.append("clean", str(menu.absolute()), sha=digest(menu.read_bytes()))
    older.append("clean", str((share / "staff.txt").absolute()), sha=digest(b"x"))
    older.close()
    results = run(share, Services(Redactor()), journal=journal_file)
    assert (results["menu.txt"].outcome, results["menu.txt"].file.reason) == (
        UNCHANGED,
        EARLIER,
    )
    assert results["staff.txt"].outcome == PROTECTED  # its content differs


def test_dry_run_writes_nothing(share: Path, tmp_path: Path) -> None:
    results = run(
        share, Services(Redactor()), dry_run=True, journal=tmp_path / "j.jsonl"
    )
    assert results["staff.txt"].outcome == WOULD_PROTECT
    actions = [a.action for a in results["staff.txt"].actions]
    assert actions == ["skipped:names-are-kept", "would-redact"]
    assert (share / "staff.txt").read_text() == LINE
    assert not (tmp_path / "j.jsonl").exists()


class Leaky:
    """A protector that leaves the value in place: verification must catch it."""

    mode = "redact"

    def protect(self, element: Element, raw: str) -> str:
        return f"{raw} "


def test_a_copy_that_fails_verification_never_replaces_the_original(
    share: Path,
) -> None:
    results = run(share, Services(Leaky()))  # type: ignore[arg-type]
    result = results["staff.txt"]
    assert result.outcome == FAILED
    assert "still unprotected" in result.file.reason
    assert SSN not in result.file.reason
    assert (share / "staff.txt").read_text() == LINE
    assert [p for p in share.iterdir() if ".dgtmp-" in p.name] == []


def test_encrypt_mode_encrypts_unknown_formats_whole(
    share: Path, ring: KeyRing
) -> None:
    results = run(share, encrypting(ring))
    assert results["photo.bin"].outcome == ENCRYPTED_WHOLE
    assert not (share / "photo.bin").exists()
    assert is_encrypted_file(share / "photo.bin.dgenc")
    assert run(share, encrypting(ring))["photo.bin.dgenc"].outcome == ALREADY
    cipher = ValueCipher(ring)
    for name in ("photo.bin.dgenc", "staff.txt"):
        unprotect_file(share / name, cipher, "tester")
    assert (share / "photo.bin").read_bytes().startswith(b"\x00\x01\x02")
    assert (share / "staff.txt").read_text() == LINE
    logged = [(Path(str(e["path"])).name, e["values"]) for e in read_entries()]
    assert logged == [("photo.bin", 1), ("staff.txt", 1)]


def test_keep_unknown_leaves_unknown_formats(share: Path, ring: KeyRing) -> None:
    results = run(share, encrypting(ring), keep_unknown=True)
    assert results["photo.bin"].outcome == SKIPPED
    assert (share / "photo.bin").exists()


def test_pdf_is_encrypted_whole_or_reported_not_redactable(
    tmp_path: Path, ring: KeyRing
) -> None:
    share = tmp_path / "pdfs"
    share.mkdir()
    (share / "roster.pdf").write_bytes((PDF / "driver_roster.pdf").read_bytes())
    redacted = run(share, Services(Redactor()))["roster.pdf"]
    assert redacted.outcome == NOT_PROTECTED
    assert "pdf-text-cannot-be-redacted-in-place" in redacted.file.reason
    assert redacted.file.status == "failed"  # it makes the run partial
    encrypted = run(share, encrypting(ring))["roster.pdf"]
    assert encrypted.outcome == ENCRYPTED_WHOLE
    assert (share / "roster.pdf.dgenc").exists()


def test_backups_are_encrypted_copies_of_the_originals(
    share: Path, ring: KeyRing, tmp_path: Path
) -> None:
    backups = tmp_path / "backups"
    run(share, Services(Redactor(), ring=ring), backup_dir=backups)
    (copy,) = backups.rglob("staff.txt.*.dgenc")
    decrypt_file(copy, tmp_path / "restored.txt", ring)
    assert (tmp_path / "restored.txt").read_text() == LINE


def test_an_existing_encrypted_file_with_other_content_is_never_overwritten(
    share: Path, ring: KeyRing
) -> None:
    (share / "photo.bin.dgenc").write_bytes(b"somebody else's file")
    results = run(share, encrypting(ring))
    assert results["photo.bin"].outcome == FAILED
    assert "already exists" in results["photo.bin"].file.reason
    assert (share / "photo.bin.dgenc").read_bytes() == b"somebody else's file"


def test_unprotect_with_another_keyring_fails_cleanly_and_writes_nothing(
    share: Path, ring: KeyRing, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    run(share, encrypting(ring))
    protected = (share / "staff.txt").read_bytes()
    other = ValueCipher(make_ring(monkeypatch, tmp_path / "other-home"))
    result = unprotect_file(share / "staff.txt", other)
    assert result.outcome == "failed"
    assert (share / "staff.txt").read_bytes() == protected
    assert unprotect_file(share / "staff.txt", ValueCipher(ring)).outcome == RESTORED
    assert DECRYPTED_WHOLE != RESTORED


def test_a_damaged_file_fails_with_a_clear_reason_and_the_run_goes_on(
    share: Path,
) -> None:
    (share / "broken.xlsx").write_bytes(b"PK\x03\x04" + b"\x00junk" * 50)
    results = run(share, Services(Redactor()))
    assert results["broken.xlsx"].outcome == FAILED
    assert "not a readable XLSX workbook" in results["broken.xlsx"].file.reason
    assert results["staff.txt"].outcome == PROTECTED


def _mixed_share(folder: Path) -> Path:
    folder.mkdir()
    (folder / "note.txt").write_text(f"Clean line.\n{LINE}Another clean line.\n")
    (folder / "staff.csv").write_text(
        f"name,ssn,note\nMaria Lopez,{SSN},on file\nAnn Lee,,none\n"
    )
    (folder / "staff.json").write_text(
        f'{{"name": "Maria Lopez", "ssn": "{SSN}", "id": 7}}\n'
    )
    (folder / "menu.txt").write_text("Lunch menu for Tuesday.\n")
    (folder / "menu.csv").write_text("day,dish\nTuesday,soup\n")
    return folder


@pytest.mark.parametrize("mode", ["redact", "encrypt"])
def test_text_csv_and_json_planned_from_the_disk_as_from_memory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, ring: KeyRing, mode: str
) -> None:
    services = Services(Redactor()) if mode == "redact" else encrypting(ring)
    streamed = run(_mixed_share(tmp_path / "a"), services, journal=tmp_path / "a.j")
    monkeypatch.setattr(pipeline, "_plan_in_stream", lambda *_: None)
    in_memory = run(_mixed_share(tmp_path / "b"), services, journal=tmp_path / "b.j")
    assert {n: r.outcome for n, r in streamed.items()} == {
        "note.txt": PROTECTED,
        "staff.csv": PROTECTED,
        "staff.json": PROTECTED,
        "menu.txt": UNCHANGED,
        "menu.csv": UNCHANGED,
    }
    for name, result in streamed.items():
        other = in_memory[name]
        assert (result.outcome, result.file.size) == (other.outcome, other.file.size)
        assert [(a.action, a.finding.element) for a in result.actions] == [
            (a.action, a.finding.element) for a in other.actions
        ]
        if mode == "redact":  # encryption draws a new nonce for every value
            assert (tmp_path / "a" / name).read_bytes() == (
                tmp_path / "b" / name
            ).read_bytes()


def test_a_clean_text_file_is_never_read_whole(
    share: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (share / "staff.txt").unlink()

    def read_bytes(self: Path) -> bytes:
        raise AssertionError(f"{self.name} was read whole")

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    results = run(share, Services(Redactor()), journal=tmp_path / "j.jsonl")
    assert results["menu.txt"].outcome == UNCHANGED


def test_a_file_written_while_it_is_planned_is_left_for_the_next_run(
    share: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    staff = share / "staff.txt"
    plan = source_edits

    def plan_then_write(reader: str, source: Source, job: Job) -> list[Edit]:
        edits = plan(reader, source, job)
        if source.name == "staff.txt":
            staff.write_text("Someone wrote here meanwhile.\n" + LINE)
        return edits

    monkeypatch.setattr(pipeline, "source_edits", plan_then_write)
    results = run(share, Services(Redactor()), journal=tmp_path / "j.jsonl")
    assert (results["staff.txt"].outcome, results["staff.txt"].file.reason) == (
        FAILED,
        CHANGED,
    )
    assert staff.read_text() == "Someone wrote here meanwhile.\n" + LINE
    monkeypatch.setattr(pipeline, "source_edits", plan)
    again = run(share, Services(Redactor()), journal=tmp_path / "j.jsonl")
    assert again["staff.txt"].outcome == PROTECTED


def test_a_file_too_large_to_rewrite_is_refused_only_if_it_needs_rewriting(
    share: Path,
) -> None:
    (share / "menu.txt").write_text("Lunch menu for Tuesday.\n" * 10)
    (share / "staff.txt").write_text(LINE * 5)
    (share / "menu.bin").write_bytes(b"\x00\x01" * 200)
    policy = Policy(OPTIONS, PROTECTABLE, limits=Limits(max_member_size=100))
    settings = ProtectConfig(paths=(share,), policy=policy)
    results: list[ProtectResult] = []
    protect_paths(settings, Services(Redactor()), results.append)
    by_name = {Path(r.path).name: r for r in results}
    too_large = "larger than 100 bytes; too large to rewrite in memory"
    # A clean text file is planned as it is read: its size does not matter.
    assert by_name["menu.txt"].outcome == UNCHANGED
    assert (by_name["staff.txt"].outcome, by_name["staff.txt"].file.reason) == (
        FAILED,
        too_large,
    )
    assert by_name["staff.txt"].actions  # the values it holds are still reported
    assert (by_name["menu.bin"].outcome, by_name["menu.bin"].file.reason) == (
        FAILED,
        too_large,
    )
    assert (share / "staff.txt").read_text() == LINE * 5
