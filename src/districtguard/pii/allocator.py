"""Keep freed buffers in the process for the next file, instead of the kernel.

Reading a text file allocates a few buffers of megabytes for each unit (the
decoded text, its window, the bytes the prefilter scans) and frees them when
the unit is done. By default glibc's allocator hands blocks that large back to
the kernel as soon as they are freed, so the next file's buffers are new pages,
each faulted in and zeroed one by one: on a 3 MB text file that costs as much
as the detection itself. Raising its two thresholds keeps up to
``TRIM_BYTES`` of freed memory in the process to be reused; the peak memory of
a scan is unchanged (what is kept was in use a moment before). ``detect``, the
scanner and the protector each ask for it before their first unit.
"""

from __future__ import annotations

import ctypes
import functools
import sys

# glibc's mallopt parameters (malloc.h).
_M_TRIM_THRESHOLD = -1
_M_MMAP_THRESHOLD = -3
# A unit is 4 Mi characters: up to 16 MiB as a string of the widest kind.
MMAP_BYTES = 32 << 20
TRIM_BYTES = 64 << 20


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


__all__ = ["MMAP_BYTES", "TRIM_BYTES", "keep_freed_memory"]
