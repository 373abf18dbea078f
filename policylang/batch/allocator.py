"""The C allocator tuned for a batch run: freed arrays kept for reuse, not handed back to the kernel.

A part of a batch run allocates and frees hundreds of NumPy arrays of a few MB each. glibc's malloc maps
each block above its (dynamic) threshold fresh from the kernel and unmaps it on free, and trims the heap as
soon as 128 KB are free at its top, so every such array costs a page fault per 4 KB page: 1.6 million
faults and 7 s of kernel time in a 10M-row run on 2 cores. With blocks below 32 MB taken from the heap and
up to 256 MB of free heap kept, the same run has a fifth of the faults and runs 10% faster; the largest
process's peak memory is unchanged (bench/RESULTS.md).

The CLI sets it for `batch` and `sample` (it owns the process; forked workers inherit it); a library user
can call it too. Elsewhere than glibc on Linux it does nothing.
"""

from __future__ import annotations

import ctypes
import sys

M_TRIM_THRESHOLD, M_MMAP_THRESHOLD = -1, -3  # glibc <malloc.h>
MMAP_THRESHOLD = 32 << 20  # glibc's largest allowed value on 64-bit systems
TRIM_THRESHOLD = 256 << 20

__all__ = ["keep_freed_memory"]


def keep_freed_memory() -> bool:
    """Tune glibc's malloc as above; whether it was (False off glibc: musl, macOS, Windows)."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        mallopt = ctypes.CDLL(None).mallopt  # the C library the interpreter runs on
    except (OSError, AttributeError):
        return False
    mallopt.argtypes, mallopt.restype = [ctypes.c_int, ctypes.c_int], ctypes.c_int
    return mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD) == 1 and mallopt(M_TRIM_THRESHOLD, TRIM_THRESHOLD) == 1
