"""The detector finds the labelled elements of the synthetic corpus, and little else.

Thresholds apply per element with at least 20 labels; statutory linking is
scored per record. Failure messages show masked values only.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from pathlib import Path

from districtguard.pii import DetectOptions, Finding, scan_text
from districtguard.pii.documents import ReadContext, file_source, read_source
from districtguard.pii.engine import detect
from tests.corpus import LabelledText, generate_prose_corpus, generate_table_corpus
from tests.corpus.scoring import describe_errors, score, score_records

THRESHOLD = 0.97
MIN_LABELS = 20
OPTIONS = DetectOptions(fingerprint_key=b"0" * 32)


@cache
def prose() -> LabelledText:
    return generate_prose_corpus(7, 2000)


@cache
def table() -> LabelledText:
    return generate_table_corpus(11, 2000)


def assert_accurate(corpus: LabelledText, findings: Sequence[Finding]) -> None:
    """Assert per-element and per-record precision and recall, masked on failure."""
    scores = score(corpus.labels, findings)
    records = score_records(corpus, findings)
    report = "\n".join(
        [
            *(str(s) for s in scores.values()),
            str(records),
            *describe_errors(corpus, findings),
        ]
    )
    for element, element_score in scores.items():
        needed = 10 if element == "GOVERNMENT_ID" else MIN_LABELS
        assert element_score.labels >= needed, f"too few {element} labels\n{report}"
    failing = [
        s
        for s in scores.values()
        if s.labels >= MIN_LABELS and (s.precision < THRESHOLD or s.recall < THRESHOLD)
    ]
    assert not failing, f"below {THRESHOLD}:\n{report}"
    assert records.precision >= THRESHOLD, report
    assert records.recall >= THRESHOLD, report


def test_prose_corpus_accuracy() -> None:
    corpus = prose()
    assert_accurate(corpus, scan_text(corpus.text, OPTIONS))


def test_table_corpus_accuracy(tmp_path: Path) -> None:
    corpus = table()
    path = tmp_path / "file.csv"
    path.write_bytes(corpus.text.encode("utf-8"))
    findings = [
        finding
        for unit in read_source(file_source(path), ReadContext())
        for finding in detect(unit, str(path), OPTIONS)
    ]
    assert_accurate(corpus, findings)
