"""Score findings against a labelled corpus, per element and per record.

A finding matches a label when their elements are equal and their spans
overlap. Precision counts matched findings, recall matched labels, so two
findings on one label (a name reported cell by cell) are both correct. Findings
are read through :class:`Spanned`, so benchmarks can score any detector whose
results carry an element and character offsets.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol

from tests.corpus.labels import Label, LabelledText


class Spanned(Protocol):
    """What scoring needs from a finding."""

    @property
    def element(self) -> str: ...

    @property
    def start(self) -> int | None: ...

    @property
    def end(self) -> int | None: ...


class Described(Spanned, Protocol):
    """A finding that can be shown without its raw value."""

    @property
    def masked(self) -> str: ...

    @property
    def location(self) -> str: ...


@dataclass(frozen=True)
class ElementScore:
    """Counts and rates for one element."""

    element: str
    labels: int
    findings: int
    matched_labels: int
    matched_findings: int

    @property
    def tp(self) -> int:
        """Labels that some finding matched."""
        return self.matched_labels

    @property
    def fp(self) -> int:
        """Findings that match no label."""
        return self.findings - self.matched_findings

    @property
    def fn(self) -> int:
        """Labels no finding matched."""
        return self.labels - self.matched_labels

    @property
    def precision(self) -> float:
        """Return matched findings over findings (1.0 when nothing was found)."""
        return self.matched_findings / self.findings if self.findings else 1.0

    @property
    def recall(self) -> float:
        """Return matched labels over labels (1.0 when nothing was labelled)."""
        return self.matched_labels / self.labels if self.labels else 1.0

    def __str__(self) -> str:
        return (
            f"{self.element}: P {self.precision:.3f} R {self.recall:.3f} "
            f"(labels {self.labels}, findings {self.findings}, "
            f"fp {self.fp}, fn {self.fn})"
        )


class _Index:
    """Non-overlapping spans of one element, sorted, for overlap queries."""

    def __init__(self, spans: Iterable[tuple[int, int]]) -> None:
        self.spans = sorted(spans)
        self.starts = [start for start, _ in self.spans]

    def overlapping(self, start: int, end: int) -> list[int]:
        """Return the indexes of spans that overlap ``[start, end)``."""
        hits = []
        index = bisect.bisect_left(self.starts, end) - 1
        while index >= 0 and self.spans[index][1] > start:
            hits.append(index)
            index -= 1
        # A zero-width finding still points inside a span.
        if not hits and start == end:
            index = bisect.bisect_right(self.starts, start) - 1
            if index >= 0 and self.spans[index][1] > start:
                hits.append(index)
        return hits


def _span(finding: Spanned) -> tuple[int, int] | None:
    if finding.start is None or finding.end is None:
        return None
    return finding.start, finding.end


def match(
    labels: Sequence[Label], findings: Sequence[Spanned]
) -> tuple[list[bool], list[bool]]:
    """Return, per label and per finding, whether it was matched."""
    by_element: dict[str, list[int]] = {}
    for position, label in enumerate(labels):
        by_element.setdefault(label.element, []).append(position)
    indexes: dict[str, tuple[_Index, list[int]]] = {}
    for element, positions in by_element.items():
        positions.sort(key=lambda p: (labels[p].start, labels[p].end))
        spans = ((labels[p].start, labels[p].end) for p in positions)
        indexes[element] = (_Index(spans), positions)
    label_hit = [False] * len(labels)
    finding_hit = [False] * len(findings)
    for position, finding in enumerate(findings):
        span = _span(finding)
        entry = indexes.get(str(finding.element))
        if span is None or entry is None:
            continue
        index, positions = entry
        for hit in index.overlapping(*span):
            label_hit[positions[hit]] = True
            finding_hit[position] = True
    return label_hit, finding_hit


def score(
    labels: Sequence[Label], findings: Sequence[Spanned]
) -> dict[str, ElementScore]:
    """Return one :class:`ElementScore` per element that was labelled or found."""
    label_hit, finding_hit = match(labels, findings)
    elements = sorted({x.element for x in labels} | {str(x.element) for x in findings})
    scores = {}
    for element in elements:
        label_flags = [
            h for x, h in zip(labels, label_hit, strict=True) if x.element == element
        ]
        finding_flags = [
            h
            for x, h in zip(findings, finding_hit, strict=True)
            if str(x.element) == element
        ]
        scores[element] = ElementScore(
            element=element,
            labels=len(label_flags),
            findings=len(finding_flags),
            matched_labels=sum(label_flags),
            matched_findings=sum(finding_flags),
        )
    return scores


@dataclass(frozen=True)
class RecordScore:
    """How well statutory records (a name linked to an element) were predicted."""

    true_positive: int
    false_positive: int
    false_negative: int

    @property
    def precision(self) -> float:
        """Return correct statutory predictions over all statutory predictions."""
        predicted = self.true_positive + self.false_positive
        return self.true_positive / predicted if predicted else 1.0

    @property
    def recall(self) -> float:
        """Return statutory records predicted over statutory records."""
        actual = self.true_positive + self.false_negative
        return self.true_positive / actual if actual else 1.0

    def __str__(self) -> str:
        return (
            f"statutory records: P {self.precision:.3f} R {self.recall:.3f} "
            f"(tp {self.true_positive}, fp {self.false_positive}, "
            f"fn {self.false_negative})"
        )


class _Statutory(Spanned, Protocol):
    @property
    def statutory(self) -> bool: ...


def predicted_statutory(
    corpus: LabelledText, findings: Iterable[_Statutory]
) -> set[int]:
    """Return the indexes of records holding a finding marked statutory."""
    predicted = set()
    for finding in findings:
        if finding.statutory and finding.start is not None:
            index = corpus.record_index(finding.start)
            if index >= 0:
                predicted.add(index)
    return predicted


def score_records(corpus: LabelledText, findings: Iterable[_Statutory]) -> RecordScore:
    """Score statutory linking over the corpus's records."""
    position = {span: index for index, span in enumerate(corpus.records)}
    actual = {position[span] for span in corpus.statutory_records}
    predicted = predicted_statutory(corpus, findings)
    return RecordScore(
        true_positive=len(actual & predicted),
        false_positive=len(predicted - actual),
        false_negative=len(actual - predicted),
    )


def mask_label_text(text: str, element: str) -> str:
    """Return label text safe to print: digits as ``#``, names as initials."""
    text = re.sub(r"\d", "#", text)
    if element == "PERSON_NAME":
        text = re.sub(r"(?<=[^\W\d_])[^\W\d_]+", lambda m: "*" * len(m.group()), text)
    return text


def describe_errors(
    corpus: LabelledText, findings: Sequence[Described], limit: int = 10
) -> list[str]:
    """Return up to ``limit`` missed labels and ``limit`` false positives, masked."""
    label_hit, finding_hit = match(corpus.labels, findings)
    lines: list[str] = []
    misses = [x for x, hit in zip(corpus.labels, label_hit, strict=True) if not hit]
    for label in misses[:limit]:
        shown = mask_label_text(corpus.text[label.start : label.end], label.element)
        record = corpus.record_index(label.start)
        lines.append(f"missed {label.element} in record {record}: {shown!r}")
    extras = [x for x, hit in zip(findings, finding_hit, strict=True) if not hit]
    for finding in extras[:limit]:
        record = corpus.record_index(finding.start) if finding.start is not None else -1
        lines.append(
            f"false positive {finding.element} {finding.masked!r} at "
            f"{finding.location or '?'} (record {record})"
        )
    return lines
