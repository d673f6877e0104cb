"""The one place where Numba's flags are chosen.

Every compiled routine in the engine is made with :func:`jit` (or
:func:`jit_inline` for small helpers).  They cache their machine code on disk
and release the GIL; no routine uses fastmath, so integer and traced results
are exact and float results keep IEEE order of operations (and no multiply
and add are contracted into one FMA).

Nothing in the engine uses ``prange``: the bulk routines work on ranges of
rows and :mod:`convtrace.engine.threads` runs them on plain threads, so every
routine compiles once per dtype, not once serial and once parallel, and
Numba's OpenMP team (which stalls milliseconds on small jobs) never starts.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path


def user_cache_dir() -> Path:
    """Where compiled code goes when the installed package cannot be written to."""
    if sys.platform == "win32":
        base = Path(os.environ.get("LOCALAPPDATA", Path.home() / "AppData" / "Local"))
    elif sys.platform == "darwin":
        base = Path.home() / "Library" / "Caches"
    else:
        base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return base / "convtrace" / "numba"


def choose_cache_dir(package_dir: Path, environ: dict | None = None) -> str | None:
    """NUMBA_CACHE_DIR to set, or None to keep Numba's default beside the sources.

    Numba caches next to the source files; in a read-only install (system
    site-packages, a container image) that fails, so we point it at the user's
    cache directory instead.  A NUMBA_CACHE_DIR the user set always wins.
    """
    env = os.environ if environ is None else environ
    if env.get("NUMBA_CACHE_DIR"):
        return None
    pycache = package_dir / "__pycache__"
    target = pycache if pycache.exists() else package_dir
    if os.access(target, os.W_OK):
        return None
    return str(user_cache_dir())


_cache_dir = choose_cache_dir(Path(__file__).resolve().parent)
if _cache_dir is not None:
    os.environ["NUMBA_CACHE_DIR"] = _cache_dir

import numba  # noqa: E402  (NUMBA_CACHE_DIR must be set before Numba reads its config)
from numba.core.caching import FunctionCache  # noqa: E402
from numba.core.runtime.nrt import rtsys  # noqa: E402

#: Flags shared by every engine routine.  No fastmath: exactness matters here.
#: Every routine also caches its machine code on disk (:class:`EngineCache`).
JIT_OPTIONS = dict(nogil=True, error_model="numpy", boundscheck=False)


class EngineCache(FunctionCache):
    """Numba's on-disk cache of a routine, loaded without the compiler's set-up.

    Before loading a cached routine Numba refreshes its whole compiler: it
    imports and registers every typing and lowering rule it has (0.2-0.3 s,
    a third of a warm ``convtrace conv``).  Machine code loaded from disk needs
    none of them, only the runtime its wrappers call (reference counting and
    array boxing), so that is all this loader starts.  A routine that is not
    cached compiles as usual, and the compiler refreshes itself first.
    """

    def load_overload(self, sig, target_context):
        rtsys.initialize(target_context)
        with self._guard_against_spurious_io_errors():
            return self._load_overload(sig, target_context)


#: Whether this Numba has the cache internals :class:`EngineCache` relies on;
#: if not, routines use Numba's own ``cache=True`` (slower to load, same code).
LIGHT_CACHE = all(
    hasattr(FunctionCache, name) for name in ("_guard_against_spurious_io_errors", "_load_overload")
)


def _cached(dispatcher):
    if not isinstance(dispatcher, numba.core.dispatcher.Dispatcher):  # NUMBA_DISABLE_JIT: the plain function
        return dispatcher
    if LIGHT_CACHE:
        dispatcher._cache = EngineCache(dispatcher.py_func)
    else:
        dispatcher.enable_caching()
    return dispatcher


def jit(func):
    """Compile ``func`` as a serial, GIL-free engine routine, cached on disk."""
    return _cached(numba.njit(**JIT_OPTIONS)(func))


def jit_inline(func):
    """Like :func:`jit`, but inlined into its callers before they compile.

    For small helpers that return views: inlined, the view's reference
    counting folds away instead of costing two atomic operations per call.
    """
    return _cached(numba.njit(inline="always", **JIT_OPTIONS)(func))


#: Output elements × taps below which the convolution uses its small-input
#: routine: slower per product, but one quick compile covers every window
#: shape (traces, homework); above it the bulk routines are 10-40× faster.
SMALL_WORK_THRESHOLD = 1 << 14

#: Output elements × taps (or window cells, pooling) from which work is shared
#: among threads.  Waking a sleeping helper costs 30-60 µs on a virtual machine
#: (its idle CPU has to be woken too), so threads pay only from about 0.15 ms of
#: serial work.  Measured on 2 CPUs: a 2×2 max pooling of 1448² (2**21 cells,
#: 0.24 ms) is 1.2× faster on two threads; a strided or dilated 3×3 convolution
#: is 1.7× faster from 2**22 taps.
PARALLEL_WORK_THRESHOLD = 1 << 20

#: The same for the fused 3×3, 5×5 and 7×7 loops, 3-25× faster per tap than
#: the others: a 3×3 float32 image of 724² (2**22 taps, 0.11 ms) is 1.7× slower
#: on two threads than on one, 1024² 1.4× faster; 5×5 and 8-bit images cross
#: over a little lower.
FUSED_PARALLEL_WORK_THRESHOLD = 1 << 23

#: Threads for the bulk convolution (see :mod:`convtrace.engine.threads`): as
#: many as Numba's own pool, which NUMBA_NUM_THREADS sets (default: the CPUs).
THREADS = max(int(numba.config.NUMBA_NUM_THREADS), 1)
