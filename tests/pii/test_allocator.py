"""Freed text buffers stay in the process for the next file to reuse, and the
cycle collector runs less often while scanning."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="glibc's allocator"
)

# Page faults taken by the last of three rounds of buffers the size of a unit's.
_ROUNDS = """
import resource, sys
from districtguard.pii.allocator import keep_freed_memory
if sys.argv[1] == "keep":
    assert keep_freed_memory()
def faults():
    return resource.getrusage(resource.RUSAGE_SELF).ru_minflt
rounds = []
for _ in range(3):
    before = faults()
    text = (b"x" * (6 << 20)).decode()
    data = text.encode("latin-1")
    del text, data
    rounds.append(faults() - before)
print(rounds[-1])
"""


def _last_round(mode: str) -> int:
    done = subprocess.run(
        [sys.executable, "-c", _ROUNDS, mode],
        capture_output=True,
        text=True,
        check=True,
    )
    return int(done.stdout)


def test_buffers_freed_are_reused_without_new_pages() -> None:
    # 18 MiB of buffers a round is about 4,600 pages of 4 KiB when each is new.
    assert _last_round("default") > 2000
    assert _last_round("keep") < 200


@pytest.mark.parametrize(
    "call",
    [
        "scan_file(Path(sys.argv[1]), OPTIONS, Limits())",
        "detect(TextUnit(Path(sys.argv[1]).read_text()), 'notes.txt', OPTIONS)",
        "Protector(ProtectConfig((Path(sys.argv[1]),), Policy(OPTIONS, PROTECTABLE)),"
        " Services(Redactor()), None)",
    ],
    ids=["scan_file", "detect", "protector"],
)
def test_scanning_keeps_freed_memory(tmp_path: Path, call: str) -> None:
    sample = tmp_path / "notes.txt"
    sample.write_text("Nothing to see here.\n")
    script = (
        "import sys\n"
        "from pathlib import Path\n"
        "from districtguard.pii import DetectOptions, TextUnit, allocator, detect\n"
        "from districtguard.pii.documents.base import Limits\n"
        "from districtguard.pii.scanner import scan_file\n"
        "from districtguard.pii.protection.edits import PROTECTABLE, Policy\n"
        "from districtguard.pii.protection.pipeline import (\n"
        "    ProtectConfig, Protector, Services)\n"
        "from districtguard.pii.protection.redaction import Redactor\n"
        "OPTIONS = DetectOptions(fingerprint_key=b'k' * 32)\n"
        "asked = allocator.keep_freed_memory.cache_info\n"
        "assert asked().misses == 0\n"
        f"{call}\n"
        "print(asked().misses == 1 and allocator.keep_freed_memory())\n"
        "import gc\n"
        "print(gc.get_threshold()[0] == allocator.COLLECT_AFTER)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, str(sample)],
        capture_output=True,
        text=True,
        check=True,
    )
    assert done.stdout.split() == ["True", "True"]


def test_collecting_less_never_lowers_a_higher_threshold() -> None:
    script = (
        "import gc\n"
        "from districtguard.pii import allocator\n"
        "gc.set_threshold(500_000, 10, 10)\n"
        "print(allocator.collect_cycles_less(), gc.get_threshold())\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    assert done.stdout.strip() == "500000 (500000, 10, 10)"
