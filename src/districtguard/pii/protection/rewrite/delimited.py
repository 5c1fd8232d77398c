"""Rewrite CSV and TSV: a value is replaced inside its field, nothing else moves.

The reader's own tokenizer places every field, so quoting, the delimiter, line
endings and every untouched row stay byte for byte. A replacement never holds
the delimiter, a quote or a line break (tokens and redactions cannot), and one
that did would be skipped rather than break the table.
"""

from __future__ import annotations

from districtguard.pii.protection.edits import Edit, Job
from districtguard.pii.protection.rewrite.text import TextFormat

_BREAKING = frozenset(",;\t|\"'\r\n")


class DelimitedFormat(TextFormat):
    """CSV, TSV and other delimited tables."""

    reader = "delimited"

    def check(self, text: str, edit: Edit, job: Job) -> Edit | None:
        """Skip a replacement that would split or join fields or rows."""
        if _BREAKING.intersection(edit.text):
            job.skip(edit, "replacement-would-change-the-table-shape")
            return None
        return edit


FORMAT = DelimitedFormat()
