"""CSV: a header row, then one row per finding with the JSONL contract's columns.

``start``/``end`` are empty where a format has no character offsets, and
``statutory`` is ``true`` or ``false``.
"""

from __future__ import annotations

import csv

from districtguard.pii.reports.base import FINDING_FIELDS, TextSink
from districtguard.pii.results import FileResult, ScanSummary


def _cell(value: object) -> object:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return value


class CsvWriter:
    """Write each finding as one CSV row as soon as its file is done."""

    def __init__(self, sink: TextSink) -> None:
        self._sink = sink
        self._rows = csv.writer(sink, lineterminator="\n")
        self._rows.writerow(FINDING_FIELDS)

    def add(self, result: FileResult) -> None:
        """Write one row per finding."""
        for finding in result.findings:
            data = finding.to_dict()
            self._rows.writerow([_cell(data[key]) for key in FINDING_FIELDS])

    def finish(self, summary: ScanSummary) -> None:
        """Flush; the summary is not part of this format."""
        self._sink.flush()
