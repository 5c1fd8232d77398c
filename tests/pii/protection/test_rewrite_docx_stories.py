"""DOCX stories beyond the body are protected, formatting and structure kept."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn

from districtguard.pii.documents import file_source, read_source
from districtguard.pii.documents.base import ReadContext
from districtguard.pii.protection.cipher import ValueCipher
from districtguard.pii.protection.edits import PROTECTABLE, Policy
from districtguard.pii.protection.pipeline import (
    PROTECTED,
    ProtectConfig,
    ProtectResult,
    Services,
    protect_paths,
)
from districtguard.pii.protection.redaction import Redactor
from districtguard.pii.protection.tokens import TOKEN_RE
from tests.pii.protection.keyhelp import make_ring
from tests.pii.protection.protecthelp import OPTIONS, actions, protect, restore
from tests.pii.protection.wordparts import (
    BOX_SSN,
    NOTE_SSN,
    RAW,
    word_with_every_story,
)


@pytest.fixture
def cipher(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> ValueCipher:
    return ValueCipher(make_ring(monkeypatch, tmp_path / "home"))


def _members(data: bytes) -> dict[str, str]:
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        return {
            name: package.read(name).decode("utf-8", "replace")
            for name in package.namelist()
        }


def _raw_left(data: bytes) -> list[tuple[str, str]]:
    """Return (member, value) for each raw value still in a part.

    A part's ``w:t`` texts are joined too, so a value split over runs counts.
    """
    left = []
    for name, xml in _members(data).items():
        joined = "".join(re.findall(r"<w:t(?: [^>]*)?>([^<]*)</w:t>", xml))
        for value in RAW:
            if any(value in text for text in (xml, joined)):
                left.append((name, value))
    return left


def _texts(data: bytes, tmp_path: Path) -> list[str]:
    path = tmp_path / "check.docx"
    path.write_bytes(data)
    return [unit.text for unit in read_source(file_source(path), ReadContext())]


def test_redaction_reaches_every_story_and_both_copies_of_a_text_box() -> None:
    original = word_with_every_story()
    assert len(_raw_left(original)) == len(RAW)
    new, job = protect("staff.docx", original, Redactor())
    assert new is not None
    assert _raw_left(new) == []
    assert actions(job).count(("SSN", "redacted")) == len(RAW)  # the copy not again
    members = _members(new)
    assert f"***-**-{BOX_SSN[-4:]}" in members["word/document.xml"]
    assert members["word/document.xml"].count(f"***-**-{BOX_SSN[-4:]}") == 2


def test_the_protected_file_reopens_with_its_parts_and_formatting(
    tmp_path: Path,
) -> None:
    new, _ = protect("staff.docx", word_with_every_story(), Redactor())
    assert new is not None
    document = docx.Document(io.BytesIO(new))
    assert [c.author for c in document.comments] == ["HR"]
    assert document.sections[0].footer.paragraphs[0].text.endswith("***-**-8912")
    members = _members(new)
    footnotes = members["word/footnotes.xml"]
    assert 'w:type="separator"' in footnotes and "<w:footnoteRef/>" in footnotes
    assert f"SSN ***-**-{NOTE_SSN[-4:]}" in footnotes
    assert "<w:b/>" in footnotes  # the bold run is kept, emptied
    assert "<w:i/>" in members["word/document.xml"]  # the text box's italics
    body = members["word/document.xml"]
    assert '<w:footnoteReference w:id="1"/>' in body
    assert '<w:endnoteReference w:id="1"/>' in body
    assert "Fallback" in body and "wps:txbx" in body
    texts = _texts(new, tmp_path)
    assert any(text.startswith("Card holder John Smith, SSN ***-**-") for text in texts)


def test_encryption_puts_the_same_token_in_both_copies_and_restores_all(
    cipher: ValueCipher, tmp_path: Path
) -> None:
    original = word_with_every_story()
    new, _ = protect("staff.docx", original, cipher)
    assert new is not None
    assert _raw_left(new) == []
    body = _members(new)["word/document.xml"]
    box = docx.Document(io.BytesIO(new)).element.body
    tokens = [
        TOKEN_RE.findall("".join(t.text or "" for t in content.iter(qn("w:t"))))
        for content in box.iter(qn("w:txbxContent"))
    ]
    assert len(tokens) == 2 and tokens[0] == tokens[1] and len(tokens[0]) == 2
    assert len(re.findall(TOKEN_RE, body)) >= 5
    back, count = restore("staff.docx", new, cipher)
    assert back is not None
    assert count == len(RAW) + 1 + 2  # the card; the fallback copy's SSN and card
    assert _texts(back, tmp_path) == _texts(original, tmp_path)


def test_a_fallback_copy_with_other_text_is_protected_on_its_own() -> None:
    original = word_with_every_story(fallback_differs=True)
    new, job = protect("staff.docx", original, Redactor())
    assert new is not None
    assert _raw_left(new) == []
    assert actions(job).count(("PAYMENT_CARD", "redacted")) == 1
    assert "Card holder John Smith, ask HR" in _members(new)["word/document.xml"]


@pytest.mark.parametrize("mode", ["redact", "encrypt"])
def test_protect_verifies_and_replaces_a_document_with_every_story(
    mode: str, cipher: ValueCipher, tmp_path: Path
) -> None:
    share = tmp_path / "share"
    share.mkdir()
    path = share / "staff.docx"
    path.write_bytes(word_with_every_story())
    services = (
        Services(Redactor())
        if mode == "redact"
        else Services(cipher, cipher, cipher.ring)
    )
    config = ProtectConfig(paths=(share,), policy=Policy(OPTIONS, PROTECTABLE))
    results: list[ProtectResult] = []
    protect_paths(config, services, results.append)
    assert [(r.outcome, r.file.reason) for r in results] == [(PROTECTED, "")]
    assert _raw_left(path.read_bytes()) == []
