"""The DOCX reader reads every story: notes, comments, text boxes, headers, footers."""

from __future__ import annotations

from pathlib import Path

import pytest

from districtguard.pii.documents import file_source, read_source
from districtguard.pii.documents.base import EncryptedDocument, ReadContext
from districtguard.pii.elements import Element
from districtguard.pii.protection.wholefile import encrypt_office
from districtguard.pii.scanner import scan_file
from tests.pii.protection.protecthelp import OPTIONS
from tests.pii.protection.wordparts import (
    BOX_SSN,
    COMMENT_SSN,
    ENDNOTE_SSN,
    HEADER_BOX_SSN,
    NOTE_SSN,
    RAW,
    word_with_every_story,
)


def _units(path: Path) -> dict[str, str]:
    units = read_source(file_source(path), ReadContext())
    return {unit.location: unit.text for unit in units}


@pytest.fixture
def document(tmp_path: Path) -> Path:
    path = tmp_path / "staff.docx"
    path.write_bytes(word_with_every_story())
    return path


def test_each_story_is_one_unit_with_its_own_location(document: Path) -> None:
    units = _units(document)
    assert list(units) == [
        "",
        "text box 1",
        "section 1 header",
        "section 1 header text box 1",
        "section 1 footer",
        "footnote 1",
        "endnote 1",
        "comment 0",
    ]
    assert BOX_SSN in units["text box 1"]
    assert HEADER_BOX_SSN in units["section 1 header text box 1"]
    assert units["footnote 1"] == f" Ann Lee, SSN {NOTE_SSN}"
    assert ENDNOTE_SSN in units["endnote 1"]
    assert COMMENT_SSN in units["comment 0"]


def test_a_text_box_saved_twice_is_read_once(document: Path) -> None:
    text = "\n".join(_units(document).values())
    assert text.count(BOX_SSN) == 1


def test_a_fallback_copy_with_other_text_is_read_too(tmp_path: Path) -> None:
    path = tmp_path / "staff.docx"
    path.write_bytes(word_with_every_story(fallback_differs=True))
    units = _units(path)
    assert units["text box 2"] == "Card holder John Smith, ask HR"


def test_the_scan_finds_the_value_in_every_story(document: Path) -> None:
    result = scan_file(document, OPTIONS, ReadContext().limits)
    assert result.status == "scanned"
    ssns = [f for f in result.findings if f.element is Element.SSN]
    assert len(ssns) == len(RAW)
    assert {f.location.split(",")[0] for f in ssns} >= {
        "text box 1",
        "section 1 header text box 1",
        "section 1 footer",
        "footnote 1",
        "endnote 1",
        "comment 0",
    }
    assert all(f.statutory for f in ssns)
    assert [f.element for f in result.findings].count(Element.PAYMENT_CARD) == 1


def test_a_password_encrypted_document_says_so(tmp_path: Path) -> None:
    plain = tmp_path / "plain.docx"
    plain.write_bytes(word_with_every_story())
    locked = tmp_path / "locked.docx"
    encrypt_office(plain, locked, "a password made up for the test")
    with pytest.raises(EncryptedDocument, match=r"^encrypted Word document"):
        list(read_source(file_source(locked), ReadContext()))
