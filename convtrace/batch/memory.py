"""Keeping freed memory for the next image instead of giving it back to the system.

Each image allocates a few arrays of several megabytes (decoded pixels,
planar channels, the filtered result, the encoded file).  glibc returns blocks
that large to the system on free and maps fresh zeroed pages for the next
image, and every first touch of a page is a fault: measured on 1024×768 JPEGs,
about 1,900 faults and a third of the CPU time per image.  Raising glibc's
mmap and trim thresholds makes the next image reuse the same memory; peak
memory is unchanged, since every image needs the same blocks again.
"""

from __future__ import annotations

import sys
import threading

#: Blocks up to this size come from (and go back to) the process's heap, not fresh mappings.
KEEP_BYTES = 1 << 30

#: glibc's mallopt parameters (malloc.h).
_M_TRIM_THRESHOLD = -1
_M_MMAP_THRESHOLD = -3

_done = False
_lock = threading.Lock()


def keep_freed_memory() -> bool:
    """Ask glibc to keep and reuse freed blocks (once per process); False where there is no glibc."""
    global _done
    with _lock:
        if _done:
            return True
        if not sys.platform.startswith("linux"):
            return False
        try:
            import ctypes

            libc = ctypes.CDLL(None)
            mallopt = libc.mallopt
        except (OSError, AttributeError):
            return False
        mallopt.argtypes = (ctypes.c_int, ctypes.c_int)
        mallopt.restype = ctypes.c_int
        _done = bool(mallopt(_M_MMAP_THRESHOLD, KEEP_BYTES)) and bool(mallopt(_M_TRIM_THRESHOLD, KEEP_BYTES))
        return _done
