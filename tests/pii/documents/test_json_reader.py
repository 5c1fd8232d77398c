"""The JSON reader: exact offsets, array items as records, bad lines reported."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from districtguard.pii import DetectOptions, detect
from districtguard.pii.documents import file_source, jsonfile, read_source
from districtguard.pii.documents.base import Limits, ReadContext, TextUnit
from districtguard.pii.documents.text import LineReader

KEY = b"k" * 32
STUDENTS = {
    "district": "Example Public Schools",
    "students": [
        {
            "student_id": "345678912",
            "guardian": {"name": "Maria Lopez", "phone": "405-555-0143"},
            "autopay": {"card_number": "4111111111111111", "card_expiration": "04/28"},
        },
        {"student_id": "456789123", "guardian": {"name": "John Smith"}},
    ],
}


def _read(path: Path, context: ReadContext | None = None) -> list[TextUnit]:
    return list(read_source(file_source(path), context or ReadContext()))


def test_array_items_are_records_with_their_nested_objects(tmp_path: Path) -> None:
    path = tmp_path / "students.json"
    text = json.dumps(STUDENTS, indent=2)
    path.write_text(text, encoding="utf-8")
    (unit,) = _read(path)
    assert unit.text == text and unit.base_offset == 0
    assert unit.records is not None
    labels = [r.label for r in unit.records]
    assert labels == ["$.students[0]", "$.students[1]"]
    first = unit.records[0]
    assert "Maria Lopez" in text[first.start : first.end]
    assert "4111111111111111" in text[first.start : first.end]


def test_keys_label_values_and_names_link_across_nested_objects(
    tmp_path: Path,
) -> None:
    path = tmp_path / "students.json"
    text = json.dumps(STUDENTS, indent=2)
    path.write_text(text, encoding="utf-8")
    options = DetectOptions(fingerprint_key=KEY)
    found = [f for u in _read(path) for f in detect(u, str(path), options)]
    assert [(str(f.element), f.record, f.statutory) for f in found] == [
        ("PERSON_NAME", "$.students[0]", True),
        ("PAYMENT_CARD", "$.students[0]", True),
        ("CARD_EXPIRATION", "$.students[0]", True),
    ]
    card = found[1]
    assert text[card.start or 0 : card.end or 0] == "4111111111111111"


def test_json_lines_are_records_and_a_bad_line_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "export.jsonl"
    path.write_text('{"a": 1}\n{"b": \n{"c": 3}\n', encoding="utf-8")
    context = ReadContext()
    units = _read(path, context)
    labels = [r.label for u in units for r in (u.records or ())]
    assert labels == ["line 1", "line 2", "line 3"]
    assert len(context.problems) == 1 and context.problems[0].startswith("line 2:")
    assert '"b"' not in context.problems[0]


def test_invalid_document_is_reported_and_still_scanned(tmp_path: Path) -> None:
    path = tmp_path / "broken.json"
    path.write_text('{"ssn": "234-56-7891", "name": ', encoding="utf-8")
    context = ReadContext()
    (unit,) = _read(path, context)
    assert context.problems and "not valid JSON" in context.problems[0]
    assert "234-56-7891" not in context.problems[0]
    assert unit.records is None and "234-56-7891" in unit.text


def test_document_larger_than_a_chunk_streams_as_text(tmp_path: Path) -> None:
    path = tmp_path / "big.json"
    text = json.dumps({"rows": [{"n": i} for i in range(2000)]})
    path.write_text(text, encoding="utf-8")
    units = _read(path, ReadContext(Limits(chunk_chars=4096, chunk_overlap=64)))
    assert len(units) > 1
    owned = "".join(u.text[u.own_start : u.own_end] for u in units)
    assert owned == text


_LINE = st.one_of(
    st.sampled_from(['{"ssn": "234-56-7891"}', '{"id": 7}', "[1, 2]", "", "  "]),
    st.text(alphabet='{}":ab1 ,', max_size=12),  # mostly not JSON
)
_END = st.sampled_from(["\n", "\n", "\r\n", "\r", ""])


@settings(max_examples=300, deadline=None)
@given(
    lines=st.lists(st.tuples(_LINE, _END), max_size=40),
    chunk=st.sampled_from([8, 30, 97, 4 << 20]),
)
def test_lines_taken_a_block_at_a_time_read_as_lines_taken_one_by_one(
    tmp_path_factory: pytest.TempPathFactory,
    lines: list[tuple[str, str]],
    chunk: int,
) -> None:
    """Whole lines are taken a decoded piece at a time; whatever the line ends,
    blank and invalid lines, lines longer than a unit and unit size, the units,
    their records and the problems are those of taking one line at a time."""
    path = tmp_path_factory.mktemp("jsonl") / "export.jsonl"
    path.write_bytes("".join(body + end for body, end in lines).encode())

    def read(blocks: bool) -> tuple[list[tuple[object, ...]], list[str]]:
        context = ReadContext(limits=Limits(chunk_chars=chunk))
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(jsonfile, "BLOCKS", blocks)
            units = _read(path, context)
        return [
            (u.text, u.base_offset, u.first_line, list(u.records or ())) for u in units
        ], context.problems

    assert read(True) == read(False)


def test_a_long_export_is_read_a_block_at_a_time(tmp_path: Path) -> None:
    """Past the first piece, lines come in blocks: each line is a record
    labelled with its own number and a bad line is reported by number."""
    rows = [json.dumps({"n": n, "note": "on file"}) for n in range(20_000)]
    rows[15_000] = '{"n": 15000, "note": '
    path = tmp_path / "export.jsonl"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    context = ReadContext()
    taken: list[int] = []
    real = LineReader.take_lines

    def spy(self: LineReader, limit: int, before: str) -> str:
        block = real(self, limit, before)
        taken.append(block.count("\n"))
        return block

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(LineReader, "take_lines", spy)
        units = _read(path, context)
    records = [(u.text, r) for u in units for r in (u.records or ())]
    assert [r.label for _, r in records] == [f"line {n + 1}" for n in range(20_000)]
    assert all(text[r.start : r.end].startswith('{"n": ') for text, r in records)
    bad = "line 15001: not valid JSON: Expecting value at column 22"
    assert context.problems == [bad]
    assert max(taken) > 100 and sum(taken) == 20_000
