"""Rewrite XLSX workbooks: cell values replaced, everything else kept.

The values are found in the units the scan reads (cached values, every sheet),
then replaced in a full load of the workbook, which openpyxl saves with its
styles, other sheets, merged cells and widths. openpyxl does not keep charts,
images or pivot tables; a workbook holding them is refused rather than
stripped. A cell whose value is computed by a formula cannot be replaced (the
formula would compute it again) and is reported as skipped. A number holding a
value becomes text: ``#<token>`` when encrypted, so unprotect gives the number
back, and its redaction when redacted.
"""

from __future__ import annotations

import bisect
import io
import zipfile
from collections import defaultdict

from openpyxl import load_workbook
from openpyxl.workbook.workbook import Workbook

from districtguard.pii.documents.archive import describe_failure
from districtguard.pii.documents.base import DocumentError, span_bounds
from districtguard.pii.documents.xlsx import cell_text
from districtguard.pii.protection.base import ProtectionError
from districtguard.pii.protection.edits import Edit, Job, apply_edits, plan_unit
from districtguard.pii.protection.rewrite import NUMBER_MARK, Restoration
from districtguard.pii.protection.rewrite.text import read_units

# Parts openpyxl drops on save; a workbook holding one is not rewritten.
_DROPPED = ("xl/charts/", "xl/drawings/", "xl/pivotTables/", "xl/media/")


def _load(name: str, data: bytes) -> Workbook:
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        names = package.namelist()
    dropped = sorted({part for part in _DROPPED for n in names if n.startswith(part)})
    if dropped:
        kinds = ", ".join(part.split("/")[1] for part in dropped)
        raise ProtectionError(
            f"holds {kinds} that rewriting would drop; encrypt the whole file instead"
        )
    try:
        return load_workbook(
            io.BytesIO(data), keep_vba=name.lower().endswith(".xlsm"), keep_links=True
        )
    except Exception as exc:  # a hostile file can fail anywhere in openpyxl
        reason = describe_failure(exc)
        raise DocumentError(f"not a readable XLSX workbook: {reason}") from None


def _save(workbook: Workbook) -> bytes:
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


class XlsxFormat:
    """XLSX and XLSM workbooks."""

    exact = False

    def protect(self, name: str, data: bytes, job: Job) -> bytes | None:
        """Return the workbook with the chosen cell values replaced, or None."""
        per_cell: dict[str, list[Edit]] = defaultdict(list)
        cell_texts: dict[str, str] = {}
        for unit in read_units("xlsx", name, data, job):
            cells = unit.cells
            starts, _ = span_bounds(cells)
            for edit in plan_unit(job, unit):
                index = bisect.bisect_right(starts, edit.start) - 1
                cell = cells[index] if index >= 0 else None
                if cell is None or edit.end > cell.end:
                    job.skip(edit, "spans-several-cells")
                    continue
                shifted = Edit(
                    edit.start - cell.start,
                    edit.end - cell.start,
                    edit.text,
                    edit.action,
                )
                per_cell[cell.location].append(shifted)
                cell_texts[cell.location] = unit.text[cell.start : cell.end]
        if not per_cell:
            return None
        workbook = _load(name, data)
        changed = False
        for location, edits in per_cell.items():
            sheet_name, _, coordinate = location.rpartition("!")
            cell = workbook[sheet_name][coordinate]
            value = cell.value
            if cell.data_type == "f" or (isinstance(value, str) and value[:1] == "="):
                job.skip_all(edits, "computed-by-a-formula")
                continue
            if cell_text(value) != cell_texts[location]:
                job.skip_all(edits, "cell-differs-from-its-cached-value")
                continue
            text = value if isinstance(value, str) else cell_text(value)
            new = apply_edits(text, edits)
            whole = len(edits) == 1 and edits[0].end - edits[0].start == len(text)
            if isinstance(value, int | float) and whole and job.mode == "encrypt":
                new = NUMBER_MARK + new
            cell.value = new
            changed = True
        if not changed or job.dry_run:
            return None
        return _save(workbook)

    def restore(self, name: str, data: bytes, job: Restoration) -> bytes | None:
        """Return the workbook with every token restored, or None if it has none."""
        workbook = _load(name, data)
        changed = False
        for sheet in workbook.worksheets:
            for row in sheet.iter_rows():
                for cell in row:
                    value = cell.value
                    if not isinstance(value, str) or not job.tokens.search(value):
                        continue
                    restored = job.text(value)
                    number = restored.removeprefix(NUMBER_MARK)
                    if restored.startswith(NUMBER_MARK) and number.isdigit():
                        cell.value = int(number)
                    else:
                        cell.value = restored
                    changed = True
        return _save(workbook) if changed else None


FORMAT = XlsxFormat()
