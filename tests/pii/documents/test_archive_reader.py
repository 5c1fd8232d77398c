"""The ZIP reader: members read recursively, zip bombs refused before they expand."""

from __future__ import annotations

import io
import struct
import tempfile
import time
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook

from districtguard.pii.documents import archive, file_source, read_source
from districtguard.pii.documents.archive import read_bounded
from districtguard.pii.documents.base import (
    Cell,
    DocumentError,
    Limits,
    ReadContext,
    Record,
    TextUnit,
    join_location,
)

SSN = "078-05-1120"  # the well-known specimen number, never issued to a person


def workbook_bytes(*rows: list[object]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


ROSTER = workbook_bytes(["Name", "SSN"], ["Jordan Sample", SSN])


def zip_bytes(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def read(path: Path, context: ReadContext | None = None) -> list[TextUnit]:
    return list(read_source(file_source(path), context or ReadContext()))


def shown(unit: TextUnit, part: Record | Cell) -> str:
    """Return the place a finding in ``part`` shows, as the detector builds it."""
    return join_location(unit.location, part.location)


def patch_central_directory(data: bytes, offset: int, fmt: str, value: int) -> bytes:
    """Overwrite one field of the (only) central directory entry."""
    at = data.index(b"PK\x01\x02") + offset
    return data[:at] + struct.pack(fmt, value) + data[at + struct.calcsize(fmt) :]


def test_member_units_carry_the_member_in_every_location(tmp_path: Path) -> None:
    path = write(tmp_path, "share.zip", zip_bytes({"a/b.xlsx": ROSTER}))

    [unit] = read(path)

    assert unit.location == "member a/b.xlsx"
    assert SSN in unit.text
    assert unit.records is not None
    assert shown(unit, unit.records[1]) == "member a/b.xlsx, Sheet row 2"
    assert shown(unit, unit.cells[3]) == "member a/b.xlsx, Sheet!B2"
    assert [column.header for column in unit.columns] == ["Name", "SSN"]


def test_text_members_keep_their_offsets(tmp_path: Path) -> None:
    path = write(
        tmp_path, "notes.zip", zip_bytes({"a/notes.txt": f"SSN {SSN}\n".encode()})
    )

    [unit] = read(path)

    assert unit.location == "member a/notes.txt"
    assert unit.text == f"SSN {SSN}\n"
    assert unit.base_offset == 0


def test_csv_members_keep_their_rows_cells_and_offsets(tmp_path: Path) -> None:
    csv = f"Name,SSN\nJordan Sample,{SSN}\n".encode()
    path = write(tmp_path, "export.zip", zip_bytes({"a/b.csv": csv}))

    [unit] = read(path)

    assert shown(unit, unit.cells[1]) == "member a/b.csv, row 2, column B (SSN)"
    assert [column.header for column in unit.columns] == ["Name", "SSN"]
    assert unit.base_offset is not None
    ssn = unit.cells[1]
    assert unit.base_offset + ssn.start - unit.origin == csv.decode().index(SSN)


def test_large_members_are_spilled_to_disk_and_cleaned_up(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    spool = tmp_path / "spool"
    spool.mkdir()
    monkeypatch.setattr(archive, "SPOOL_IN_MEMORY", 100)
    monkeypatch.setattr(tempfile, "tempdir", str(spool))
    path = write(tmp_path, "big.zip", zip_bytes({"roster.xlsx": ROSTER}))

    units = read_source(file_source(path), ReadContext())

    assert SSN in next(units).text
    assert [spilled.name[:3] for spilled in spool.iterdir()] == ["dg-"]
    assert list(units) == []
    assert list(spool.iterdir()) == []


def test_nested_archives_are_read_recursively(tmp_path: Path) -> None:
    inner = zip_bytes({"c.xlsx": ROSTER})
    path = write(tmp_path, "outer.zip", zip_bytes({"inner.zip": inner}))

    [unit] = read(path)

    assert shown(unit, unit.cells[0]) == "member inner.zip, member c.xlsx, Sheet!A1"


def test_nesting_deeper_than_the_limit_is_reported_per_member(tmp_path: Path) -> None:
    level2 = zip_bytes({"deep.xlsx": ROSTER})
    level1 = zip_bytes({"level2.zip": level2, "shallow.xlsx": ROSTER})
    path = write(tmp_path, "top.zip", zip_bytes({"level1.zip": level1}))
    context = ReadContext(Limits(max_archive_depth=2))

    units = read(path, context)

    assert [unit.location for unit in units] == [
        "member level1.zip, member shallow.xlsx"
    ]
    assert context.problems == [
        "member level1.zip, member level2.zip, member deep.xlsx:"
        " nested deeper than 2 levels"
    ]


def test_zip_bomb_member_is_skipped_by_its_ratio_without_expanding(
    tmp_path: Path,
) -> None:
    members = {"zeros.xlsx": bytes(50 << 20), "roster.xlsx": ROSTER}
    path = write(tmp_path, "bomb.zip", zip_bytes(members))
    context = ReadContext()

    started = time.monotonic()
    units = read(path, context)

    assert time.monotonic() - started < 2
    assert [unit.location for unit in units] == ["member roster.xlsx"]
    [problem] = context.problems
    assert problem.startswith("member zeros.xlsx: compressed ")
    assert "possible zip bomb" in problem


def test_archive_total_limit_stops_the_archive(tmp_path: Path) -> None:
    filler = bytes(range(256)) * 64
    members = {"first.xlsx": ROSTER, "filler.bin": filler, "third.xlsx": ROSTER}
    path = write(tmp_path, "many.zip", zip_bytes(members))
    # Room for the first workbook's own parts, not for the filler after it.
    context = ReadContext(Limits(max_archive_total=20_000))

    units = read(path, context)

    assert [unit.location for unit in units] == ["member first.xlsx"]
    assert context.problems == [
        "archive expands beyond 20000 bytes; the remaining members are not read"
    ]


def test_member_larger_than_the_member_limit_is_skipped(tmp_path: Path) -> None:
    path = write(tmp_path, "big.zip", zip_bytes({"roster.xlsx": ROSTER}))
    context = ReadContext(Limits(max_member_size=1000))

    assert read(path, context) == []
    assert context.problems == ["member roster.xlsx: larger than 1000 bytes, not read"]


def test_member_that_lies_about_its_size_is_not_expanded_past_it(
    tmp_path: Path,
) -> None:
    honest = zip_bytes({"roster.xlsx": ROSTER})
    lying = patch_central_directory(honest, 24, "<I", 100)  # uncompressed size
    context = ReadContext()

    assert read(write(tmp_path, "lying.zip", lying), context) == []
    assert context.problems == ["member roster.xlsx: damaged or truncated ZIP data"]


def test_bounded_reading_raises_past_the_limit() -> None:
    data = b"x" * 200_000

    assert b"".join(read_bounded(io.BytesIO(data), 200_000)) == data
    with pytest.raises(DocumentError, match="expands beyond 199999 bytes"):
        b"".join(read_bounded(io.BytesIO(data), 199_999))


def test_encrypted_member_is_reported_and_skipped(tmp_path: Path) -> None:
    encrypted = patch_central_directory(zip_bytes({"r.xlsx": ROSTER}), 8, "<H", 1)
    context = ReadContext()

    assert read(write(tmp_path, "locked.zip", encrypted), context) == []
    assert context.problems == ["member r.xlsx: encrypted member, cannot read"]


def test_unreadable_member_is_reported_and_the_rest_is_read(tmp_path: Path) -> None:
    members = {"bad.xlsx": b"PK\x03\x04 not really", "good.xlsx": ROSTER}
    context = ReadContext()

    units = read(write(tmp_path, "mixed.zip", zip_bytes(members)), context)

    assert [unit.location for unit in units] == ["member good.xlsx"]
    assert context.problems == [
        "member bad.xlsx: not a readable XLSX workbook:"
        " not a ZIP container, or cut short"
    ]


def test_binary_member_in_no_known_format_is_counted_as_skipped(
    tmp_path: Path,
) -> None:
    inner = zip_bytes({"blob.bin": b"\x00\x01\x02" * 10})
    path = write(tmp_path, "outer.zip", zip_bytes({"inner.zip": inner, "x.dat": b"\0"}))
    context = ReadContext()

    assert read(path, context) == []
    assert context.skipped_members == 2
    assert context.problems == []


def test_member_names_that_climb_out_are_only_displayed(tmp_path: Path) -> None:
    path = write(tmp_path, "evil.zip", zip_bytes({"../../escape.xlsx": ROSTER}))

    [unit] = read(path)

    assert unit.location == "member ../../escape.xlsx"
    assert not (tmp_path.parent / "escape.xlsx").exists()


def test_truncated_archive_is_a_clear_error(tmp_path: Path) -> None:
    data = zip_bytes({"roster.xlsx": ROSTER, "copy.xlsx": ROSTER})
    path = write(tmp_path, "cut.zip", data[: len(data) // 2])

    with pytest.raises(DocumentError, match=r"^not a readable ZIP archive: "):
        read(path)
