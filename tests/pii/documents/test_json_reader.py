"""The JSON reader: exact offsets, array items as records, bad lines reported."""

from __future__ import annotations

import json
from pathlib import Path

from districtguard.pii import DetectOptions, detect
from districtguard.pii.documents import file_source, read_source
from districtguard.pii.documents.base import Limits, ReadContext, TextUnit

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
