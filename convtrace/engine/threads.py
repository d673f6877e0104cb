"""The engine's worker threads.

The bulk convolution is split into blocks of output rows made by GIL-free
compiled routines, so plain Python threads run them in parallel.  Compared
with a ``prange`` loop this compiles each routine once, not once for serial
callers and again for Numba's thread pool, and hands out small jobs in tens
of microseconds instead of waking an OpenMP team.  The calling thread works
too: :data:`~convtrace.engine.config.THREADS` threads in all
(NUMBA_NUM_THREADS, so one setting governs both thread pools).

The calling thread never waits for a helper that has not started: the chunks
of work are claimed one at a time, and once none is left the caller waits
only for the chunks helpers are still making.  On a busy machine, where a
helper may not be scheduled for milliseconds, a job costs at worst what it
costs on one thread, plus the hand-off (a few microseconds).
"""

from __future__ import annotations

import os
import queue
import threading

from convtrace.engine.config import THREADS

#: Chunks of work per thread: enough for a slow thread to be helped out.
CHUNKS_PER_THREAD = 4


class _Job:
    """Consecutive task ranges, claimed one at a time by whichever thread asks first."""

    __slots__ = ("run", "bounds", "next", "busy", "error", "cond")

    def __init__(self, run, bounds):
        self.run = run
        self.bounds = bounds
        self.next = 0     # the next chunk to claim
        self.busy = 0     # chunks claimed and not finished
        self.error = None
        self.cond = threading.Condition(threading.Lock())

    def work(self) -> None:
        """Make chunks until none is left to claim."""
        n_chunks = len(self.bounds) - 1
        cond = self.cond
        while True:
            with cond:
                k = self.next
                if k >= n_chunks:
                    return
                self.next = k + 1
                self.busy += 1
            try:
                self.run(self.bounds[k], self.bounds[k + 1])
            except BaseException as error:  # handed to the caller, which raises it
                with cond:
                    self.error = error
                    self.next = n_chunks
            finally:
                with cond:
                    self.busy -= 1
                    if self.busy == 0:
                        cond.notify_all()

    def wait(self) -> None:
        """Wait for the chunks helpers are still making (none is left to claim)."""
        with self.cond:
            while self.busy:
                self.cond.wait()
        if self.error is not None:
            raise self.error


_lock = threading.Lock()
_jobs: queue.SimpleQueue | None = None


def _helper(jobs: queue.SimpleQueue) -> None:
    while True:
        job = jobs.get()
        job.work()
        del job  # do not keep the arrays of the last job alive while idle


def _forget_helpers() -> None:
    # A forked child inherits the queue but not the threads.
    global _jobs
    _jobs = None


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_forget_helpers)


def _get_jobs() -> queue.SimpleQueue:
    global _jobs
    with _lock:
        if _jobs is None:
            jobs = queue.SimpleQueue()
            for k in range(max(THREADS - 1, 1)):
                threading.Thread(target=_helper, args=(jobs,), name=f"convtrace-engine-{k}", daemon=True).start()
            _jobs = jobs
        return _jobs


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
    job = _Job(run, [n_tasks * k // n_chunks for k in range(n_chunks + 1)])
    jobs = _get_jobs()
    for _ in range(threads - 1):
        jobs.put(job)
    job.work()
    job.wait()
