"""Knowing when Numba really compiles (a cache miss), so the user can be told why they wait.

Loading machine code from the on-disk cache is quick and silent; compiling
takes seconds on a first run.  Numba announces each real compilation with a
``numba:compile`` event: :func:`on_first_compile` calls its callback once,
at the first such event in this process, and never when everything comes from
the cache.  The engine itself never prints; the command line decides what to say.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from numba.core import event

_lock = threading.Lock()


#: What a command's first compilation says of the wait ahead, cold, on the project's 2-core machine
#: (``benchmarks/bench_startup.py``'s cold rows): the bulk and pixel loops of an image (a photo to
#: PNG, a first batch: 4-4.5 s in all) or the routines of small inputs and traces (1-1.5 s).
BULK_SECONDS, QUICK_SECONDS = 5, 2
_BULK_MODULES = frozenset({"convtrace.engine._fused", "convtrace.engine.pixels"})
_BULK_ROUTINES = frozenset({"pool_rows"})


def compile_seconds(dispatcher) -> int:
    """About how long a command whose first compiled routine is ``dispatcher`` compiles, in seconds."""
    func = getattr(dispatcher, "py_func", dispatcher)
    module, name = getattr(func, "__module__", None), getattr(func, "__name__", None)
    if module is None or name is None:
        return BULK_SECONDS
    return BULK_SECONDS if module in _BULK_MODULES or name in _BULK_ROUTINES else QUICK_SECONDS


class _FirstCompile(event.Listener):
    def __init__(self, callback: Callable[[int], None]) -> None:
        self.callback = callback
        self.fired = False

    def on_start(self, ev) -> None:
        with _lock:
            if self.fired:
                return
            self.fired = True
        data = ev.data if isinstance(ev.data, dict) else {}
        self.callback(compile_seconds(data.get("dispatcher")))

    def on_end(self, ev) -> None:
        pass


def on_first_compile(callback: Callable[[int], None]) -> Callable[[], None]:
    """Call ``callback(seconds)`` at the first real compilation in this process, with
    :func:`compile_seconds` of the routine; returns a function that stops listening."""
    listener = _FirstCompile(callback)
    event.register("numba:compile", listener)

    def stop() -> None:
        event.unregister("numba:compile", listener)

    return stop
