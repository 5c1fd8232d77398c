"""Verification reads a library-written copy back and finds nothing left to protect."""

from __future__ import annotations

from pathlib import Path

import pytest

from districtguard.pii.protection.pipeline import Services
from districtguard.pii.protection.redaction import Redactor
from districtguard.pii.protection.verify import VerifyError, verify_rewrite
from tests.pii.protection.protecthelp import job, protect, workbook


def _check(tmp_path: Path, original: bytes, new: bytes) -> None:
    temp = tmp_path / "book.xlsx"
    temp.write_bytes(new)
    verify_rewrite(
        temp, "book.xlsx", original, new, job(Redactor()), Services(Redactor())
    )


def test_redacted_workbook_passes(tmp_path: Path) -> None:
    original = workbook()
    new, _ = protect("book.xlsx", original, Redactor())
    assert new is not None
    _check(tmp_path, original, new)


def test_workbook_with_values_left_is_refused(tmp_path: Path) -> None:
    original = workbook()
    with pytest.raises(VerifyError, match="still unprotected"):
        _check(tmp_path, original, original)


def test_truncated_workbook_does_not_read_back(tmp_path: Path) -> None:
    original = workbook()
    new, _ = protect("book.xlsx", original, Redactor())
    assert new is not None
    broken = new[: len(new) // 2]
    with pytest.raises(VerifyError, match="does not read back"):
        _check(tmp_path, original, broken)
