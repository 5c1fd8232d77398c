"""One `detect` call on 1 MB of the dense corpus, for counting its instructions.

Run under valgrind with the compiled build first on ``PYTHONPATH``::

    PYTHONPATH=/tmp/compiled valgrind --tool=callgrind \\
        --toggle-collect=CPyPy_engine___detect \\
        ../.venv/bin/python instructions.py

``--toggle-collect`` counts only inside the compiled ``detect`` called from
Python. The warm-up goes through ``detect_and_count``, which calls ``detect``
from compiled code (not counted), on another megabyte: it loads the name lists
and compiles each state's licence expression before the measured call. The
count is the same for the same code and input whatever else the machine is
doing, so two versions compare by their counts where timings wander.
"""

from __future__ import annotations

from common import OPTIONS, dense_text
from districtguard.pii import detector_build
from districtguard.pii.documents.base import TextUnit
from districtguard.pii.engine import detect, detect_and_count


def main() -> None:
    """Warm up, then run the measured call and print what it found."""
    text = dense_text(1)
    detect_and_count(TextUnit(dense_text(1, seed=50)), "warm-up", OPTIONS)
    found = detect(TextUnit(text), "measured", OPTIONS)
    print(f"{detector_build()}: {len(found)} findings in {len(text):,} characters")


if __name__ == "__main__":
    main()
