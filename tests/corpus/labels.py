"""The ground truth a generated corpus carries: labelled spans and records."""

from __future__ import annotations

import bisect
import sys
from dataclasses import dataclass


@dataclass(frozen=True)
class Label:
    """A span of the text that holds one element (``element`` is its name)."""

    start: int
    end: int
    element: str


@dataclass(frozen=True)
class Negative:
    """A span the detector must not report, and what kind of decoy it is."""

    start: int
    end: int
    kind: str


@dataclass(frozen=True)
class LabelledText:
    """A generated text and its truth.

    ``statutory_records`` are the records that link a name to an element;
    ``records`` are all records (paragraphs, or CSV rows without the header), so
    that predicted statutory records can be scored for precision as well.
    """

    text: str
    labels: tuple[Label, ...]
    statutory_records: tuple[tuple[int, int], ...]
    records: tuple[tuple[int, int], ...] = ()
    negatives: tuple[Negative, ...] = ()

    def __repr__(self) -> str:
        # The text is synthetic, but a failing test must still never print it.
        return (
            f"LabelledText(<{len(self.text)} characters>, {len(self.labels)} labels, "
            f"{len(self.records)} records, {len(self.statutory_records)} statutory)"
        )

    def record_index(self, offset: int) -> int:
        """Return the index of the record holding ``offset``, or -1."""
        index = bisect.bisect_right(self.records, (offset, sys.maxsize)) - 1
        if index >= 0 and offset < self.records[index][1]:
            return index
        return -1
