"""JSON Lines: exactly one JSON object per finding per line, nothing else.

This is the stable machine contract (``docs/cli.md``): the keys are
:data:`~districtguard.pii.reports.base.FINDING_FIELDS`. Failures and the summary
go to stderr, never into this stream.
"""

from __future__ import annotations

import json

from districtguard.pii.reports.base import TextSink
from districtguard.pii.results import FileResult, ScanSummary


class JsonLinesWriter:
    """Write each finding as one line of JSON as soon as its file is done."""

    def __init__(self, sink: TextSink) -> None:
        self._sink = sink

    def add(self, result: FileResult) -> None:
        """Write one line per finding."""
        for finding in result.findings:
            line = json.dumps(finding.to_dict(), ensure_ascii=False)
            self._sink.write(line + "\n")

    def finish(self, summary: ScanSummary) -> None:
        """Flush; the summary is not part of this format."""
        self._sink.flush()
