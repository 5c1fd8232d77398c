"""JSON: one document ``{"findings": [...], "summary": {...}, "failures": [...]}``.

Findings are written as they arrive (one per line inside the array), so the
document is never held in memory; it is complete only once the scan ends.
"""

from __future__ import annotations

import json

from districtguard.pii.reports.base import TextSink
from districtguard.pii.results import FileResult, ScanSummary


class JsonDocumentWriter:
    """Stream the findings array, then close the document with the summary."""

    def __init__(self, sink: TextSink) -> None:
        self._sink = sink
        self._first = True
        sink.write('{"findings": [')

    def add(self, result: FileResult) -> None:
        """Append this file's findings to the array."""
        for finding in result.findings:
            separator = "\n" if self._first else ",\n"
            self._first = False
            self._sink.write(separator + json.dumps(finding.to_dict()))

    def finish(self, summary: ScanSummary) -> None:
        """Close the array and write the summary and the failures."""
        summary_text = json.dumps(summary.to_dict(), indent=2)
        failures = json.dumps([failure.to_dict() for failure in summary.failures])
        self._sink.write(
            f'\n],\n"summary": {summary_text},\n"failures": {failures}\n}}\n'
        )
        self._sink.flush()
