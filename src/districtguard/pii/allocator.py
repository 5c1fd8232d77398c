"""Process settings for scanning: keep freed buffers, collect cycles less often.

Reading a text file allocates a few buffers of megabytes for each unit (the
decoded text, its window, the bytes the prefilter scans) and frees them when
the unit is done. By default glibc's allocator hands blocks that large back to
the kernel as soon as they are freed, so the next file's buffers are new pages,
each faulted in and zeroed one by one: on a 3 MB text file that costs as much
as the detection itself. Raising its two thresholds keeps up to
``TRIM_BYTES`` of freed memory in the process to be reused; the peak memory of
a scan is unchanged (what is kept was in use a moment before).

A table's unit holds a cell and a record for every field and row, and detection
adds a candidate, a verdict and a finding for every value: hundreds of thousands
of small objects that live as long as the unit. CPython's cycle collector runs
after every 700 new objects and, as they pile up, walks the survivors again and
again: on a clean 5 MB export with an ID column, two fifths of the reading
time. Nothing detection builds refers to itself, so the collector's first
threshold is raised to ``COLLECT_AFTER`` objects; cycles made by other code are
still collected, a little later.

``detect``, the scanner and the protector each ask for both before their first
unit (:func:`prepare_for_scanning`).
"""

from __future__ import annotations

import ctypes
import functools
import gc
import sys

# glibc's mallopt parameters (malloc.h).
_M_TRIM_THRESHOLD = -1
_M_MMAP_THRESHOLD = -3
# A unit is 4 Mi characters: up to 16 MiB as a string of the widest kind.
MMAP_BYTES = 32 << 20
TRIM_BYTES = 64 << 20
# New objects between two runs of the cycle collector's youngest generation
# (CPython's default is 700).
COLLECT_AFTER = 100_000


@functools.cache
def keep_freed_memory() -> bool:
    """Ask the C allocator to keep freed large blocks; return whether it will.

    Asks once per process; elsewhere than glibc on Linux it does nothing and
    says so.
    """
    if not sys.platform.startswith("linux"):
        return False
    try:
        mallopt = ctypes.CDLL(None).mallopt
    except (OSError, AttributeError):
        return False
    mallopt.argtypes = [ctypes.c_int, ctypes.c_int]
    mallopt.restype = ctypes.c_int
    trim = mallopt(_M_TRIM_THRESHOLD, TRIM_BYTES)
    return bool(trim and mallopt(_M_MMAP_THRESHOLD, MMAP_BYTES))


@functools.cache
def collect_cycles_less() -> int:
    """Raise the cycle collector's first threshold to ``COLLECT_AFTER`` (never
    lower it); return the threshold now in force. Asks once per process."""
    first, second, third = gc.get_threshold()
    if first < COLLECT_AFTER:
        gc.set_threshold(COLLECT_AFTER, second, third)
    return gc.get_threshold()[0]


def prepare_for_scanning() -> None:
    """Apply both settings (each only the first time it is asked for)."""
    keep_freed_memory()
    collect_cycles_less()


__all__ = [
    "COLLECT_AFTER",
    "MMAP_BYTES",
    "TRIM_BYTES",
    "collect_cycles_less",
    "keep_freed_memory",
    "prepare_for_scanning",
]
