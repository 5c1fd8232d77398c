"""Output formats for scan results, one module per format.

Every writer receives results as they arrive and the summary at the end. The
machine formats (jsonl, csv, json, sarif) write each finding as it arrives, so
memory stays flat however many findings a share holds; the table keeps a bounded
number of rows and says how many it left out.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from districtguard.pii.reports.base import FINDING_FIELDS, TextSink
from districtguard.pii.reports.csvfile import CsvWriter
from districtguard.pii.reports.jsondoc import JsonDocumentWriter
from districtguard.pii.reports.jsonl import JsonLinesWriter
from districtguard.pii.reports.sarif import SarifWriter
from districtguard.pii.reports.table import TableWriter
from districtguard.pii.results import FileResult, ScanSummary


class ReportWriter(Protocol):
    """A format: takes results one by one, then the summary."""

    def add(self, result: FileResult) -> None:
        """Write (or keep) what ``result`` found."""
        ...

    def finish(self, summary: ScanSummary) -> None:
        """Write what comes after the last result."""
        ...


# Format name -> writer, in the order --help lists them.
FORMATS: dict[str, Callable[[TextSink], ReportWriter]] = {
    "table": TableWriter,
    "jsonl": JsonLinesWriter,
    "json": JsonDocumentWriter,
    "csv": CsvWriter,
    "sarif": SarifWriter,
}


def make_writer(name: str, sink: TextSink) -> ReportWriter:
    """Return the writer for format ``name`` writing to ``sink``."""
    try:
        factory = FORMATS[name]
    except KeyError:
        raise ValueError(f"unknown format {name!r}") from None
    return factory(sink)


__all__ = ["FINDING_FIELDS", "FORMATS", "ReportWriter", "TextSink", "make_writer"]
