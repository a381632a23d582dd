"""Handing freed memory back to the system between the big steps of a build.

A letter run allocates and frees hundreds of megabytes in small pieces (the receipt register's
layout, ten thousand pages drawn in batches). CPython frees them, but glibc keeps the pages in its
heap, so the process's peak grows with every step even when little is alive. Trimming the heap
after a step lets the next one reuse the pages the system already has back (issue 14: under
200 MiB at ten thousand letters).
"""

from __future__ import annotations

import ctypes
import ctypes.util
from functools import cache


@cache
def _malloc_trim():
    """glibc's malloc_trim, or None elsewhere (musl, macOS, Windows: nothing to do there)."""
    name = ctypes.util.find_library("c")
    if name is None:
        return None
    try:
        trim = ctypes.CDLL(name).malloc_trim
    except (OSError, AttributeError):
        return None
    trim.argtypes = [ctypes.c_size_t]
    trim.restype = ctypes.c_int
    return trim


def release() -> None:
    """Return the heap's free pages to the system. Nothing that is still referenced is touched."""
    trim = _malloc_trim()
    if trim is not None:
        trim(0)
