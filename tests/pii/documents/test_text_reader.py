"""The text reader: chunks that tile the file, exact offsets, bounded memory."""

from __future__ import annotations

import codecs
import hashlib
import tracemalloc
from pathlib import Path

import pytest
from faker import Faker

from districtguard.pii.documents import choose_reader, file_source, read_source
from districtguard.pii.documents.base import Limits, ReadContext, TextUnit
from districtguard.pii.documents.text import LineReader, LineTooLong

SSN = "000-12-3456"  # area 000 is never issued: obviously synthetic
SMALL = Limits(chunk_chars=300, chunk_overlap=40)


def read(path: Path, limits: Limits = SMALL) -> tuple[list[TextUnit], ReadContext]:
    context = ReadContext(limits=limits)
    return list(read_source(file_source(path), context)), context


def owned(unit: TextUnit) -> str:
    return unit.text[unit.own_start : unit.own_end]


def check_tiling(units: list[TextUnit], decoded: str, limits: Limits) -> None:
    assert "".join(owned(unit) for unit in units) == decoded
    position = 0
    for unit in units:
        assert unit.base_offset is not None
        assert unit.records is None
        start = unit.base_offset + unit.own_start
        assert start == position
        assert unit.own_start == min(limits.chunk_overlap, start)
        end = unit.base_offset + len(unit.text)
        assert decoded[unit.base_offset : end] == unit.text
        assert unit.first_line == decoded[: unit.base_offset].count("\n") + 1
        position = start + len(owned(unit))


@pytest.fixture
def letter(tmp_path: Path) -> tuple[Path, str]:
    fake = Faker()
    fake.seed_instance(20240819)
    paragraphs = [fake.paragraph(nb_sentences=6) for _ in range(30)]
    paragraphs[17] += f" {fake.name()} SSN {SSN}."
    text = "\n\n".join(paragraphs) + "\n"
    path = tmp_path / "letter.txt"
    path.write_text(text, encoding="utf-8")
    return path, text


def test_units_tile_the_file_with_overlap_on_both_sides(
    letter: tuple[Path, str],
) -> None:
    path, text = letter

    units, context = read(path)

    assert len(units) > 5
    check_tiling(units, text, SMALL)
    assert context.problems == []


def test_chunks_end_at_a_line_break_when_one_is_near(tmp_path: Path) -> None:
    fake = Faker()
    fake.seed_instance(7)
    path = tmp_path / "roster.txt"
    path.write_text("".join(f"{fake.name()}\n" for _ in range(200)), encoding="utf-8")

    units, _ = read(path)

    assert len(units) > 5
    assert all(owned(unit).endswith("\n") for unit in units)


def test_planted_value_maps_back_to_its_exact_offset(
    letter: tuple[Path, str],
) -> None:
    path, text = letter

    units, _ = read(path)

    hits = [
        (unit, index)
        for unit in units
        if (index := unit.text.find(SSN, unit.own_start)) != -1
        and index < (unit.own_end or len(unit.text))
    ]
    assert len(hits) == 1
    unit, index = hits[0]
    assert unit.base_offset is not None
    offset = unit.base_offset + index - unit.origin
    assert offset == text.index(SSN)
    assert text[offset : offset + len(SSN)] == SSN


def test_value_cut_by_a_chunk_boundary_is_whole_in_the_unit_owning_its_start(
    tmp_path: Path,
) -> None:
    text = "x" * 295 + SSN + "y" * 500
    path = tmp_path / "one-line.log"
    path.write_text(text, encoding="utf-8")

    units, _ = read(path)

    check_tiling(units, text, SMALL)
    first = units[0]
    assert first.own_end == 300
    assert first.text[295 : 295 + len(SSN)] == SSN
    assert SSN not in owned(units[1])


def test_utf16_file_with_bom_is_decoded_and_tiled(
    letter: tuple[Path, str], tmp_path: Path
) -> None:
    text = letter[1]
    path = tmp_path / "export.txt"
    path.write_bytes(codecs.BOM_UTF16_LE + text.encode("utf-16-le"))

    units, _ = read(path)

    check_tiling(units, text, SMALL)


def test_windows_1252_file_is_decoded(tmp_path: Path) -> None:
    path = tmp_path / "menu.txt"
    path.write_bytes(b"caf\xe9 au lait\r\nna\xefve\r\n")

    units, context = read(path)

    assert [unit.text for unit in units] == ["café au lait\r\nnaïve\r\n"]
    assert context.problems == []


def test_invalid_utf8_mid_file_is_replaced_and_reported(tmp_path: Path) -> None:
    path = tmp_path / "server.log"
    path.write_bytes(b"ok line\n" * 10_000 + b"bad \xff byte\n" + b"after\n")

    units, context = read(path, Limits(chunk_chars=4096, chunk_overlap=64))

    text = "".join(owned(unit) for unit in units)
    assert text.endswith("bad \ufffd byte\nafter\n")
    assert len(context.problems) == 1


def test_empty_file_yields_no_units(tmp_path: Path) -> None:
    path = tmp_path / "empty.txt"
    path.write_bytes(b"")

    assert read(path) == ([], ReadContext(limits=SMALL))


def test_text_suffixes_choose_the_text_reader() -> None:
    assert choose_reader("notes.md", b"# Notes\n").name == "text"
    assert choose_reader("app.log", b"2024-08-19 start\n").name == "text"


def test_line_reader_keeps_terminators_and_counts_lines() -> None:
    reader = LineReader(["a\r", "\nb\rc", "\n", "d"])

    lines = [reader.next_line(100) for _ in range(5)]

    assert lines == ["a\r\n", "b\r", "c\n", "d", None]
    assert (reader.offset, reader.line) == (8, 3)


def test_line_reader_refuses_a_line_over_its_limit_but_keeps_the_text() -> None:
    reader = LineReader(["ab\n", "c" * 50, "d" * 50, "\n"])

    assert reader.next_line(60) == "ab\n"
    with pytest.raises(LineTooLong):
        reader.next_line(60)
    assert "".join(reader.rest()) == "c" * 50 + "d" * 50 + "\n"


def test_whole_lines_are_taken_a_piece_at_a_time_up_to_a_stop() -> None:
    """take_lines hands over the buffer's whole lines, at most ``limit``
    characters and none from the first ``before`` on; it reads another piece
    only when the buffer holds no line end at all."""
    pieces = iter(["a,1\nb,2\nc", ',3\r\nd,"4"\ne,5\n', "f,6\n"])
    reader = LineReader(pieces)
    assert reader.take_lines(100, '"') == "a,1\nb,2\n"  # the first piece only
    assert reader.take_lines(100, '"') == "c,3\r\n"  # refilled; stops at the quote
    assert reader.take_lines(100, '"') == ""
    assert reader.next_line(100) == 'd,"4"\n'
    assert reader.take_lines(3, '"') == ""  # "e,5\n" is longer than 3
    assert reader.take_lines(100, '"') == "e,5\n"
    assert (reader.offset, reader.line) == (23, 6)
    assert next(pieces) == "f,6\n"  # never read ahead while lines were there


def test_lines_ended_by_a_lone_carriage_return_are_left_to_next_line() -> None:
    """Old Mac files end lines with "\\r" alone: take_lines does not read the
    whole file ahead looking for a "\\n"."""
    pieces = iter(["a\rb\r", "c\r"])
    reader = LineReader(pieces)
    assert reader.take_lines(100, '"') == ""
    assert reader.next_line(100) == "a\r"
    assert next(pieces) == "c\r"


def test_20_mb_single_line_streams_in_bounded_memory(tmp_path: Path) -> None:
    path = tmp_path / "dump.txt"
    block = ("0123456789abcdef" * 4096).encode()  # 64 KiB, no line break
    digest = hashlib.sha256()
    with path.open("wb") as handle:
        for _ in range(320):
            handle.write(block)
            digest.update(block)
    size = path.stat().st_size
    limits = Limits(chunk_chars=256 << 10, chunk_overlap=1024)

    tracemalloc.start()
    try:
        seen = hashlib.sha256()
        count = 0
        for unit in read_source(file_source(path), ReadContext(limits=limits)):
            seen.update(owned(unit).encode())
            count += 1
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    assert size == 20 * 1024 * 1024
    assert seen.hexdigest() == digest.hexdigest()
    assert count == size // (256 << 10)
    assert peak < 4 << 20
