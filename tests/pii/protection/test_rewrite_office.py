"""XLSX and DOCX: values replaced in cells and runs, formatting and the rest kept."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import docx
import openpyxl
import pytest

from districtguard.pii.protection.base import ProtectionError
from districtguard.pii.protection.cipher import ValueCipher
from districtguard.pii.protection.redaction import Redactor
from districtguard.pii.protection.rewrite.xlsx import FORMAT as XLSX
from tests.pii.protection.keyhelp import make_ring
from tests.pii.protection.protecthelp import (
    SSN2,
    actions,
    job,
    protect,
    restore,
    word_document,
    workbook,
)


@pytest.fixture
def cipher(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> ValueCipher:
    return ValueCipher(make_ring(monkeypatch, tmp_path / "home"))


def _sheet(data: bytes) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(data))


def test_workbook_cells_are_redacted_and_formatting_kept() -> None:
    new, job = protect("staff.xlsx", workbook(), Redactor())
    assert new is not None
    book = _sheet(new)
    staff = book["Staff"]
    assert staff["B2"].value == "*****7891"
    assert staff["C2"].value == "**** **** **** 1111"
    assert staff["B3"].value == "***-**-8912"
    assert staff["A2"].value == "Maria Lopez"
    assert staff["A2"].font.bold
    assert staff.column_dimensions["A"].width == 31
    assert book["Notes"]["A1"].value == "Lunch menu for Tuesday"
    assert actions(job).count(("SSN", "redacted")) == 2


def test_workbook_numbers_come_back_as_numbers(cipher: ValueCipher) -> None:
    new, _ = protect("staff.xlsx", workbook(), cipher)
    assert new is not None
    assert str(_sheet(new)["Staff"]["B2"].value).startswith("#dgp1.")
    restored, count = restore("staff.xlsx", new, cipher)
    assert restored is not None and count == 3
    staff = _sheet(restored)["Staff"]
    assert staff["B2"].value == 234567891
    assert staff["B3"].value == SSN2


def test_a_value_computed_by_a_formula_is_skipped_with_the_reason() -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Name", "SSN"])
    sheet.append(["Maria Lopez", '="234-56-"&"7891"'])
    out = io.BytesIO()
    book.save(out)
    # Give the formula the cached value Excel would have saved with it.
    data = _with_cached_value(out.getvalue(), "234-56-7891")
    new, done = protect("f.xlsx", data, Redactor())
    assert new is None
    assert ("SSN", "skipped:computed-by-a-formula") in actions(done)


def _with_cached_value(data: bytes, value: str) -> bytes:
    """Return the workbook with the formula in B2 given a cached string value."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            content = source.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                text = content.decode()
                text = text.replace("<v></v>", f"<v>{value}</v>", 1)
                text = text.replace('<c r="B2"', '<c r="B2" t="str"', 1)
                content = text.encode()
            target.writestr(info, content)
    return out.getvalue()


def test_workbook_with_a_chart_is_refused_rather_than_stripped() -> None:
    data = workbook()
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(out, "w") as target,
    ):
        for info in source.infolist():
            target.writestr(info, source.read(info))
        target.writestr("xl/charts/chart1.xml", b"<chart/>")
    with pytest.raises(ProtectionError, match="charts"):
        XLSX.protect("staff.xlsx", out.getvalue(), job(Redactor()))


def test_docx_value_split_over_runs_is_replaced_and_runs_keep_formatting() -> None:
    new, job = protect("staff.docx", word_document(), Redactor())
    assert new is not None
    document = docx.Document(io.BytesIO(new))
    paragraph = document.paragraphs[0]
    assert paragraph.text == "Employee Maria Lopez, SSN ***-**-7891 is on file."
    assert [run.bold for run in paragraph.runs] == [None, True, None]
    assert paragraph.runs[2].italic
    assert document.tables[0].cell(1, 1).text == "***-**-8912"
    header = document.sections[0].header.paragraphs[0].text
    assert header == "Staff file: Ann Lee SSN ***-**-9123"
    assert actions(job).count(("SSN", "redacted")) == 3


def test_docx_round_trips_its_text(cipher: ValueCipher) -> None:
    original = word_document()
    new, _ = protect("staff.docx", original, cipher)
    assert new is not None
    restored, count = restore("staff.docx", new, cipher)
    assert restored is not None and count == 3
    before, after = (
        docx.Document(io.BytesIO(original)),
        docx.Document(io.BytesIO(restored)),
    )
    assert [p.text for p in after.paragraphs] == [p.text for p in before.paragraphs]
    assert after.tables[0].cell(1, 1).text == SSN2
