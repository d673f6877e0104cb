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


class _FirstCompile(event.Listener):
    def __init__(self, callback: Callable[[], None]) -> None:
        self.callback = callback
        self.fired = False

    def on_start(self, ev) -> None:
        with _lock:
            if self.fired:
                return
            self.fired = True
        self.callback()

    def on_end(self, ev) -> None:
        pass


def on_first_compile(callback: Callable[[], None]) -> Callable[[], None]:
    """Call ``callback`` at the first real compilation in this process; returns a function that stops listening."""
    listener = _FirstCompile(callback)
    event.register("numba:compile", listener)

    def stop() -> None:
        event.unregister("numba:compile", listener)

    return stop
