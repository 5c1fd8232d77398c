"""Whole-file encryption: streamed and authenticated, and the formats' own."""

from __future__ import annotations

import io
import os
import secrets
import struct
import zipfile
from pathlib import Path

import msoffcrypto
import openpyxl
import pikepdf
import pytest
from docx import Document
from docx.opc.exceptions import PackageNotFoundError
from msoffcrypto.exceptions import InvalidKeyError
from reportlab.lib.pagesizes import letter
from reportlab.pdfgen import canvas

from districtguard.pii.protection.keys import KeyRing
from districtguard.pii.protection.wholefile import (
    CHUNK,
    HEADER_BYTES,
    TAG,
    TEMP_MARK,
    FileCipherError,
    decrypt_file,
    decrypt_office,
    decrypt_pdf,
    decrypt_stream,
    decrypted_name,
    derive_password,
    encrypt_file,
    encrypt_office,
    encrypt_pdf,
    encrypt_stream,
    encrypted_name,
    is_encrypted_file,
)
from tests.pii.protection.keyhelp import make_ring

PASSWORD = secrets.token_urlsafe(18)
WRONG = PASSWORD[::-1] + "x"


@pytest.fixture
def ring(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> KeyRing:
    return make_ring(monkeypatch, tmp_path / "home")


def _encrypt(ring: KeyRing, tmp_path: Path, data: bytes) -> Path:
    src = tmp_path / "scan.pdf"
    src.write_bytes(data)
    dst = encrypted_name(src)
    encrypt_file(src, dst, ring)
    return dst


def _decrypt(ring: KeyRing, path: Path) -> bytes:
    out = path.with_name("restored.bin")
    decrypt_file(path, out, ring)
    return out.read_bytes()


@pytest.mark.parametrize(
    "size", [0, 1, CHUNK - 1, CHUNK, CHUNK + 1, 2 * CHUNK, 3 * 1024 * 1024 + 17]
)
def test_round_trip_for_every_size_around_the_chunk(
    ring: KeyRing, tmp_path: Path, size: int
) -> None:
    data = os.urandom(size)
    path = _encrypt(ring, tmp_path, data)
    assert is_encrypted_file(path)
    chunks = max(1, -(-size // CHUNK))  # an empty file is one empty final chunk
    assert path.stat().st_size == HEADER_BYTES + size + chunks * TAG
    assert _decrypt(ring, path) == data


def test_the_encrypted_file_does_not_hold_the_plaintext(
    ring: KeyRing, tmp_path: Path
) -> None:
    data = b"SSN 234-56-7891 " * 1000
    assert b"234-56-7891" not in _encrypt(ring, tmp_path, data).read_bytes()


def _damage_and_expect_failure(ring: KeyRing, path: Path, blob: bytes) -> None:
    path.write_bytes(blob)
    out = path.with_name("restored.bin")
    with pytest.raises(FileCipherError):
        decrypt_file(path, out, ring)
    assert not out.exists(), "nothing unauthenticated is left behind"
    assert not any(TEMP_MARK in p.name for p in path.parent.iterdir())


def test_truncation_at_a_chunk_boundary_is_detected(
    ring: KeyRing, tmp_path: Path
) -> None:
    path = _encrypt(ring, tmp_path, os.urandom(3 * CHUNK + 100))
    blob = path.read_bytes()
    _damage_and_expect_failure(ring, path, blob[: HEADER_BYTES + 2 * (CHUNK + TAG)])


def test_a_dropped_final_chunk_of_an_exact_multiple_is_detected(
    ring: KeyRing, tmp_path: Path
) -> None:
    path = _encrypt(ring, tmp_path, os.urandom(2 * CHUNK))
    blob = path.read_bytes()
    _damage_and_expect_failure(ring, path, blob[: HEADER_BYTES + CHUNK + TAG])


def test_reordered_chunks_are_detected(ring: KeyRing, tmp_path: Path) -> None:
    path = _encrypt(ring, tmp_path, os.urandom(3 * CHUNK))
    blob = path.read_bytes()
    size = CHUNK + TAG
    first = blob[HEADER_BYTES : HEADER_BYTES + size]
    second = blob[HEADER_BYTES + size : HEADER_BYTES + 2 * size]
    swapped = blob[:HEADER_BYTES] + second + first + blob[HEADER_BYTES + 2 * size :]
    _damage_and_expect_failure(ring, path, swapped)


@pytest.mark.parametrize(
    "where", [0, 4, 6, 14, 30, HEADER_BYTES, HEADER_BYTES + 500, -1]
)
def test_a_flipped_byte_anywhere_is_detected(
    ring: KeyRing, tmp_path: Path, where: int
) -> None:
    path = _encrypt(ring, tmp_path, os.urandom(CHUNK + 1000))
    blob = bytearray(path.read_bytes())
    blob[where] ^= 0x01
    _damage_and_expect_failure(ring, path, bytes(blob))


def test_a_failed_decryption_leaves_an_existing_target_untouched(
    ring: KeyRing, tmp_path: Path
) -> None:
    path = _encrypt(ring, tmp_path, os.urandom(CHUNK + 10))
    target = tmp_path / "kept.bin"
    target.write_bytes(b"what was there before")
    path.write_bytes(path.read_bytes()[:-1])
    with pytest.raises(FileCipherError):
        decrypt_file(path, target, ring)
    assert target.read_bytes() == b"what was there before"


def test_appended_bytes_are_detected(ring: KeyRing, tmp_path: Path) -> None:
    path = _encrypt(ring, tmp_path, os.urandom(1000))
    _damage_and_expect_failure(ring, path, path.read_bytes() + b"\x00" * 40)


def test_a_changed_chunk_size_in_the_header_is_detected(
    ring: KeyRing, tmp_path: Path
) -> None:
    path = _encrypt(ring, tmp_path, os.urandom(CHUNK * 2))
    blob = bytearray(path.read_bytes())
    blob[HEADER_BYTES - 4 : HEADER_BYTES] = struct.pack(">I", CHUNK // 2)
    _damage_and_expect_failure(ring, path, bytes(blob))


def test_not_an_encrypted_file_is_a_clear_error(ring: KeyRing, tmp_path: Path) -> None:
    plain = tmp_path / "notes.txt"
    plain.write_text("Lunch menu for Tuesday.\n" * 10)
    assert not is_encrypted_file(plain)
    with pytest.raises(FileCipherError, match="not a DistrictGuard encrypted file"):
        decrypt_file(plain, tmp_path / "out", ring)


def test_old_files_decrypt_after_rotation(ring: KeyRing, tmp_path: Path) -> None:
    data = os.urandom(5000)
    path = _encrypt(ring, tmp_path, data)
    ring.rotate()
    ring.rotate(rewrap=True)
    assert _decrypt(KeyRing.load(), path) == data


def test_memory_stays_bounded_while_streaming(ring: KeyRing) -> None:
    """Reads never ask for more than a chunk and a tag, whatever the size."""

    class Recording(io.BytesIO):
        largest = 0

        def read(self, size: int | None = -1, /) -> bytes:
            assert size is not None and 0 < size <= CHUNK + TAG
            Recording.largest = max(Recording.largest, size)
            return super().read(size)

    sealed = io.BytesIO()
    encrypt_stream(Recording(os.urandom(5 * CHUNK + 3)), sealed, ring)
    decrypt_stream(Recording(sealed.getvalue()), io.BytesIO(), ring)
    assert Recording.largest <= CHUNK + TAG


def test_suffix_convention() -> None:
    assert encrypted_name(Path("a/report.pdf")) == Path("a/report.pdf.dgenc")
    assert decrypted_name(Path("a/report.pdf.dgenc")) == Path("a/report.pdf")
    with pytest.raises(FileCipherError):
        decrypted_name(Path("report.pdf"))


def test_derived_passwords_are_per_file_and_repeatable(ring: KeyRing) -> None:
    one = derive_password(ring, "share/a.pdf")
    assert one == derive_password(ring, "share/a.pdf")
    assert one != derive_password(ring, "share/b.pdf")
    assert len(one) == 32
    kid = ring.active().kid
    ring.rotate()
    assert derive_password(ring, "share/a.pdf", kid) == one


def _pdf(path: Path) -> Path:
    pdf = canvas.Canvas(str(path), pagesize=letter)
    pdf.drawString(72, 720, "Staff roster: Maria Lopez, SSN 234-56-7891")
    pdf.save()
    return path


def test_pdf_native_encryption_opens_with_the_password_only(tmp_path: Path) -> None:
    src = _pdf(tmp_path / "roster.pdf")
    dst = tmp_path / "roster.protected.pdf"
    encrypt_pdf(src, dst, PASSWORD)
    assert b"234-56-7891" not in dst.read_bytes()
    with pytest.raises(pikepdf.PasswordError):
        pikepdf.open(dst)
    with pytest.raises(pikepdf.PasswordError):
        pikepdf.open(dst, password=WRONG)
    with pikepdf.open(dst, password=PASSWORD) as pdf:
        assert pdf.is_encrypted and len(pdf.pages) == 1
        assert pdf.encryption.stream_method.name == "aesv3"  # AES-256
    back = tmp_path / "back.pdf"
    decrypt_pdf(dst, back, PASSWORD)
    with pikepdf.open(back) as pdf:
        assert not pdf.is_encrypted
    with pytest.raises(FileCipherError, match="does not open"):
        decrypt_pdf(dst, tmp_path / "x.pdf", WRONG)


def test_a_damaged_pdf_is_a_clear_error(tmp_path: Path) -> None:
    src = tmp_path / "broken.pdf"
    src.write_bytes(b"%PDF-1.7\nthis is not a PDF body")
    with pytest.raises(FileCipherError, match="not a readable PDF"):
        encrypt_pdf(src, tmp_path / "out.pdf", PASSWORD)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["broken.pdf"]


def _docx(path: Path) -> Path:
    document = Document()
    document.add_paragraph("Maria Lopez, SSN 234-56-7891")
    document.save(str(path))
    return path


def _xlsx(path: Path) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["name", "ssn"])
    sheet.append(["Maria Lopez", "234-56-7891"])
    book.save(path)
    return path


@pytest.mark.parametrize("make", [_docx, _xlsx])
def test_office_encryption_opens_with_the_password_only(
    make: object, tmp_path: Path
) -> None:
    assert callable(make)
    src: Path = make(tmp_path / ("doc.docx" if make is _docx else "book.xlsx"))
    dst = tmp_path / ("protected" + src.suffix)
    encrypt_office(src, dst, PASSWORD)
    with dst.open("rb") as handle:
        office = msoffcrypto.OfficeFile(handle)
        assert office.is_encrypted()
        with pytest.raises(InvalidKeyError):
            office.load_key(password=WRONG, verify_password=True)
    with pytest.raises((PackageNotFoundError, zipfile.BadZipFile)):  # not without
        if make is _docx:
            Document(str(dst))
        else:
            openpyxl.load_workbook(dst)
    back = tmp_path / ("back" + src.suffix)
    decrypt_office(dst, back, PASSWORD)
    if make is _docx:
        assert Document(str(back)).paragraphs[0].text == "Maria Lopez, SSN 234-56-7891"
    else:
        sheet = openpyxl.load_workbook(back).active
        assert sheet is not None and sheet["B2"].value == "234-56-7891"
    with pytest.raises(FileCipherError, match="does not open"):
        decrypt_office(dst, tmp_path / "x", WRONG)


def test_office_encryption_refuses_a_non_office_file(tmp_path: Path) -> None:
    src = tmp_path / "notes.docx"
    src.write_text("not a zip")
    with pytest.raises(FileCipherError, match="not an Office Open XML file"):
        encrypt_office(src, tmp_path / "out.docx", PASSWORD)
