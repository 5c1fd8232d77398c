"""PDF: protected whole, never value by value.

Replacing text inside a PDF's content streams is not something this project
does reliably, and a black box drawn over text that is still there protects
nothing. So a PDF holding a value to protect (or holding no text at all, such as
a scan, where nothing can be checked) is encrypted whole in encrypt mode, and
reported as not protected in redact mode.
"""

from __future__ import annotations

from districtguard.pii.protection.edits import Job, plan_unit
from districtguard.pii.protection.rewrite import Restoration
from districtguard.pii.protection.rewrite.text import read_units

CANNOT_REDACT = "pdf-text-cannot-be-redacted-in-place"
NO_TEXT = "PDF without text (a scan?): nothing in it can be checked"
HOLDS_VALUES = "PDF text cannot be replaced in place"


class PdfFormat:
    """PDF documents: whole-file encryption (by the pipeline) or nothing."""

    exact = True

    def protect(self, name: str, data: bytes, job: Job) -> bytes | None:
        """Mark the file for whole-file encryption, or skip its values."""
        units = 0
        for unit in read_units("pdf", name, data, job):
            units += bool(unit.text.strip())
            edits = plan_unit(job, unit)
            if not edits:
                continue
            if job.mode == "encrypt":
                job.whole_file = HOLDS_VALUES
            else:
                job.skip_all(edits, CANNOT_REDACT)
        if not units and job.depth == 0:
            job.whole_file = NO_TEXT
        return None

    def restore(self, name: str, data: bytes, job: Restoration) -> bytes | None:
        """Hold no tokens: a PDF is only ever encrypted whole."""
        return None


FORMAT = PdfFormat()
