"""What the benchmarks share: the corpora, the options, one-core pinning."""

from __future__ import annotations

import os
import random
import sys
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # the corpus generator lives in tests/corpus
    sys.path.insert(0, str(ROOT))

from districtguard.pii import DetectOptions  # noqa: E402

OPTIONS = DetectOptions(fingerprint_key=b"b" * 32)

_WORDS = (
    "the board district school students teachers technology plan budget training "
    "approved reviewed committee meeting policy network devices classroom parents "
    "learning platform year report families transportation schedule library "
    "curriculum assessment superintendent community safety access update support"
).split()


def pin_one_core() -> str:
    """Run on one core only, as the targets are stated; return which."""
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {0})
        return "core 0"
    return "unpinned"


def clean_prose(megabytes: int, seed: int = 1) -> str:
    """Return realistic clean prose: words, sentences, years and small numbers."""
    rng = random.Random(seed)
    paragraphs: list[str] = []
    size = 0
    while size < megabytes * 1_000_000:
        sentences = []
        for _ in range(rng.randint(3, 7)):
            words = rng.choices(_WORDS, k=rng.randint(8, 18))
            if rng.random() < 0.3:
                words.insert(rng.randrange(len(words)), str(rng.randint(2019, 2027)))
            if rng.random() < 0.2:
                words.insert(rng.randrange(len(words)), str(rng.randint(1, 400)))
            sentences.append(" ".join(words).capitalize() + ".")
        paragraph = " ".join(sentences)
        paragraphs.append(paragraph)
        size += len(paragraph) + 2
    return "\n\n".join(paragraphs)


def dense_text(megabytes: int, seed: int = 3) -> str:
    """Return the labelled accuracy corpus, repeated with new seeds to the size."""
    from tests.corpus import generate_prose_corpus

    parts: list[str] = []
    size = 0
    while size < megabytes * 1_000_000:
        text = generate_prose_corpus(seed + len(parts), 5000).text
        parts.append(text)
        size += len(text)
    return "\n\n".join(parts)


EXPORT_FIELDS = "student_id grade school course teacher room period score".split()


def export_records(rows: int) -> Iterator[dict[str, object]]:
    """Yield the records of a student-information export with no personal
    information in it (the fields of ``EXPORT_FIELDS``). Every six-digit ID is
    a candidate the detector must look at and set aside."""
    rng = random.Random(11)
    words = "board district school students plan budget north west".split()
    for _ in range(rows):
        yield {
            "student_id": rng.randint(100000, 999999),
            "grade": rng.randint(1, 12),
            "school": f"{rng.choice(words)} school",
            "course": f"{rng.choice(words)} {rng.randint(100, 400)}",
            "teacher": rng.choice(words),
            "room": rng.randint(100, 300),
            "period": rng.randint(1, 8),
            "score": rng.randint(50, 100),
        }
