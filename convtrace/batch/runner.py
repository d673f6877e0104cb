"""Filtering a list of images on worker threads, a few images in flight at most.

The engine's serial routines release the GIL, so the threads really run in
parallel and decoding, filtering and encoding overlap; never is the whole
folder in memory.
"""

from __future__ import annotations

import os
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from pathlib import Path

from convtrace.batch.folders import _inside
from convtrace.batch.images import process
from convtrace.batch.memory import keep_freed_memory
from convtrace.batch.outcomes import Outcome, Summary, _outcome
from convtrace.batch.plan import BatchPlan
from convtrace.messages.batch import (
    BATCH_REASON_EXISTS,
    BATCH_REASON_INSIDE_IN,
)

# ----------------------------------------------------------------------------- the whole folder


def run(jobs: list[tuple[Path, Path]], plan: BatchPlan, workers: int = 0,
        progress: Callable[[Outcome], None] | None = None, dry_run: bool = False,
        stop: threading.Event | None = None, forbidden: Path | None = None) -> Summary:
    """Process (source, target) pairs on ``workers`` threads with a few images in flight at most.

    ``forbidden``: a folder (IN) no output may be written into, even through a link.
    """
    summary = Summary()
    start = time.perf_counter()
    if dry_run:
        for source, target in jobs:
            if forbidden is not None and _inside(target.parent.resolve(), forbidden):
                summary.outcomes.append(_outcome(source, target, "failed", BATCH_REASON_INSIDE_IN))
            elif target.exists() and not plan.overwrite:
                summary.outcomes.append(_outcome(source, target, "skipped", BATCH_REASON_EXISTS))
            else:
                summary.outcomes.append(Outcome(source, target, "planned"))
        return summary
    workers = workers or os.cpu_count() or 1
    keep_freed_memory()
    queue: Iterator[tuple[Path, Path]] = iter(jobs)
    in_flight: deque[Future] = deque()
    try:
        with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="convtrace") as pool:
            def fill():
                while len(in_flight) < workers * 2 and not (stop and stop.is_set()):
                    job = next(queue, None)
                    if job is None:
                        return
                    in_flight.append(pool.submit(process, job[0], job[1], plan, forbidden))

            fill()
            while in_flight:
                done, _ = wait(list(in_flight), return_when=FIRST_COMPLETED)
                for future in done:
                    in_flight.remove(future)
                    outcome = future.result()
                    summary.outcomes.append(outcome)
                    if progress is not None:
                        progress(outcome)
                fill()
    except KeyboardInterrupt:
        summary.interrupted = True
        for future in in_flight:
            future.cancel()
        raise
    finally:
        summary.seconds = time.perf_counter() - start
    return summary
