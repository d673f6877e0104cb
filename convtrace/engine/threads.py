"""The engine's worker threads.

The bulk convolution is split into blocks of output rows made by GIL-free
compiled routines, so plain Python threads run them in parallel.  Compared
with a ``prange`` loop this compiles each routine once, not once for serial
callers and again for Numba's thread pool, and hands out small jobs in tens
of microseconds instead of waking an OpenMP team.  The first block of work
runs on the calling thread; :data:`~convtrace.engine.config.THREADS` threads
work in all (NUMBA_NUM_THREADS, so one setting governs both thread pools).
"""

from __future__ import annotations

import itertools
import os
import threading
from concurrent.futures import ThreadPoolExecutor

from convtrace.engine.config import THREADS

#: Chunks of work per thread: enough for a slow thread to be helped out.
CHUNKS_PER_THREAD = 4

_lock = threading.Lock()
_executor: ThreadPoolExecutor | None = None


def _forget_executor() -> None:
    # A forked child inherits the executor but not its threads.
    global _executor
    _executor = None


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_forget_executor)


def _get_executor() -> ThreadPoolExecutor:
    global _executor
    with _lock:
        if _executor is None:
            _executor = ThreadPoolExecutor(max_workers=max(THREADS - 1, 1), thread_name_prefix="convtrace-engine")
        return _executor


def run_tasks(run, n_tasks: int, parallel: bool) -> None:
    """Call ``run(first, last)`` on consecutive ranges covering tasks 0 … n_tasks-1.

    Serially it is one call; in parallel the ranges are shared out among
    THREADS threads (this one included) as each finishes its last.
    """
    threads = min(THREADS, n_tasks)
    if not parallel or threads <= 1:
        run(0, n_tasks)
        return
    n_chunks = min(n_tasks, threads * CHUNKS_PER_THREAD)
    bounds = [n_tasks * k // n_chunks for k in range(n_chunks + 1)]
    counter = itertools.count()  # next() on a count is atomic under the GIL

    def worker():
        for k in counter:
            if k >= n_chunks:
                return
            run(bounds[k], bounds[k + 1])

    executor = _get_executor()
    helpers = [executor.submit(worker) for _ in range(threads - 1)]
    worker()
    for helper in helpers:
        helper.result()
