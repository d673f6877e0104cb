"""Cold compile time of each engine routine, each in a fresh process with an empty Numba cache.

Run:  python benchmarks/bench_compile.py [--repeat 3] [--only conv]
      python benchmarks/bench_compile.py --quick-start [--repeat 5] [--tree OLD --tree NEW]

Every case runs in its own Python process whose NUMBA_CACHE_DIR is a new,
empty folder, so nothing comes from the disk cache.  Numba's one-off start-up
(its registries, and importing ``scipy.linalg`` when SciPy is installed) is
paid first by a throw-away function and reported on its own line; the padding
index map is compiled before the clock starts too, since every path shares it.
Then the case's first call is timed and its second call subtracted: what is
left is compiling that routine and everything it calls.  "variants" counts the
machine-code specialisations the engine's dispatchers hold after the case (a
routine compiled for both a literal and an int64 argument counts twice).

The figure is the median of ``--repeat`` processes, with the min–max spread.

``--quick-start`` instead runs the README's Quick start trace (``convtrace conv
samples/binary_5x5.txt -k samples/x_kernel.txt --trace``) in fresh processes
with an empty cache and lists every routine Numba compiles for it, with the
seconds each took (its ``numba:compile`` events; a routine called by another is
indented under it), the whole process's time, and its CPU time.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

#: name -> Python statements run after ``setup``; they make the call ``run()``.
CASES = {
    "conv small {dt}": "run = lambda: conv(tiny, small_w, None)",
    "conv bulk serial {dt}": "run = lambda: conv(small, small_w, False)",
    "conv bulk parallel {dt}": "run = lambda: conv(small, small_w, True)",
    "conv 3×3 serial {dt}": "run = lambda: conv(small, w3, False)",
    "conv 3×3 parallel {dt}": "run = lambda: conv(small, w3, True)",
    "conv 5×5 parallel {dt}": "run = lambda: conv(small, w5, True)",
    "conv serial, read-only w after writable {dt}":
        "conv(small, small_w, False)\nrun = lambda: conv(small, read_only(small_w), False)",
    "trace_correlate {dt}": "run = lambda: engine.trace_correlate_cells(small, small_w, 1, pads, 'reflect', 0, "
                            "(1, 1), (1, 1), cells)",
    "conv2d uint8 photo, sharpen (the image path)":
        "import convtrace\nphoto = np.random.default_rng(1).integers(0, 256, (3, 300, 400)).astype(np.uint8)\n"
        "run = lambda: convtrace.conv2d(photo, 'sharpen', padding='same', pad_mode='reflect')",
    "pixels of int32 sums, clip (the image path)":
        "from convtrace.engine.pixels import interleaved_pixels\n"
        "sums = np.random.default_rng(1).integers(-99, 400, (3, 30, 40)).astype(np.int32)\n"
        "run = lambda: interleaved_pixels(sums, 1.0, 0, np.float32(255), np.empty((30, 40, 3), np.uint8))",
    "pixels of float32 values, clip": "from convtrace.engine.pixels import interleaved_pixels\n"
        "values = np.random.default_rng(1).random((3, 30, 40)).astype(np.float32) * 300\n"
        "run = lambda: interleaved_pixels(values, np.float32(1), 0, np.float32(255), np.empty((30, 40, 3), np.uint8))",
    "max pool serial {dt}": "run = lambda: pool(False)",
    "max pool parallel {dt}": "run = lambda: pool(True)",
}
DTYPES = ("float32", "float64", "int64", "int32")
#: Cases timed for every dtype; the others for float32 only.
EVERY_DTYPE = ("conv small {dt}", "conv bulk serial {dt}", "conv bulk parallel {dt}")

CHILD = textwrap.dedent("""
    import json, sys, time
    t0 = time.perf_counter()
    import numba
    import numpy as np
    from convtrace import engine
    t_import = time.perf_counter() - t0
    t0 = time.perf_counter()
    numba.njit(lambda a: a + 1)(1)          # Numba's one-off start-up, not the engine's
    t_numba = time.perf_counter() - t0
    linalg = "scipy.linalg" in sys.modules
    engine.index_map(5, 1, 1, 1)            # shared by every path
    dt = np.dtype(sys.argv[1])
    rng = np.random.default_rng(0)
    def data(shape):
        return (rng.standard_normal(shape) * 4).astype(dt) if dt.kind == "f" else rng.integers(-9, 10, shape).astype(dt)
    def read_only(a):
        a = a.copy()
        a.flags.writeable = False
        return a
    small = data((1, 40, 50))
    tiny = data((1, 9, 10))                 # homework sizes: the small-input routine
    small_w = data((1, 1, 4, 3))
    w3, w5 = data((1, 1, 3, 3)), data((1, 1, 5, 5))
    pads = (1, 2, 1, 1)
    cells = np.array([[0, 0, 0], [0, 3, 4]], dtype=np.int64)
    def conv(x, w, parallel):
        k = w.shape[2:]
        p = ((k[0] - 1) // 2, k[0] // 2, (k[1] - 1) // 2, k[1] // 2)
        return engine.correlate(x, w, 1, p, "reflect", 0, (1, 1), (1, 1), parallel=parallel)
    def pool(parallel):
        return engine.pool(small, (2, 2), (0, 0, 0, 0), (2, 2), (1, 1), "max", 20, 25, parallel=parallel)
    exec(sys.argv[2])
    t0 = time.perf_counter(); run(); first = time.perf_counter() - t0
    t0 = time.perf_counter(); run(); second = time.perf_counter() - t0
    variants = 0
    for mod in [m for name, m in sys.modules.items() if name.startswith("convtrace.engine")]:
        for value in vars(mod).values():
            if isinstance(value, numba.core.dispatcher.Dispatcher) and value.__module__ == mod.__name__:
                variants += len(value.overloads)
    print(json.dumps(dict(compile=first - second, numba=t_numba, imp=t_import, linalg=linalg,
                          variants=variants)))
""")


#: Runs the Quick start in-process, recording each compilation (Numba's ``numba:compile`` events).
QUICK_CHILD = textwrap.dedent("""
    import contextlib, io, json, runpy, sys, time
    from numba.core import event
    events, depth = [], [0]
    class Recorder(event.Listener):
        def on_start(self, ev):
            depth[0] += 1
            events.append((depth[0], ev.data["dispatcher"].py_func.__qualname__, time.perf_counter()))
        def on_end(self, ev):
            level, name, start = next(e for e in reversed(events) if len(e) == 3 and e[0] == depth[0])
            events[events.index((level, name, start))] = (level, name, start, time.perf_counter() - start)
            depth[0] -= 1
    event.register("numba:compile", Recorder())
    sys.argv = ["convtrace", "conv", "samples/binary_5x5.txt", "-k", "samples/x_kernel.txt", "--trace"]
    with contextlib.redirect_stdout(io.StringIO()):
        try:
            runpy.run_module("convtrace", run_name="__main__")
        except SystemExit as exit:
            assert not exit.code
    print(json.dumps([[level, name, seconds] for level, name, _, seconds in events]))
""")


def quick_start(tree: Path) -> tuple[list, float, float]:
    """(compilations as [depth, routine, seconds], wall seconds, CPU seconds) of one cold Quick start."""
    import resource

    with tempfile.TemporaryDirectory(prefix="convtrace-numba-cache-") as cache:
        env = dict(os.environ, NUMBA_CACHE_DIR=cache, PYTHONPATH=str(tree))
        env.pop("CONVTRACE_COMPILE_NOTICE", None)
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        out = subprocess.run([sys.executable, "-c", QUICK_CHILD], capture_output=True, text=True, env=env, cwd=tree)
        wall = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if out.returncode:
        raise RuntimeError(out.stderr)
    cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
    return json.loads(out.stdout.strip().splitlines()[-1]), wall, cpu


def quick_start_report(trees: list[Path], repeat: int) -> None:
    runs = {tree: [] for tree in trees}
    for _ in range(repeat):
        for tree in trees:
            runs[tree].append(quick_start(tree))
    for k, tree in enumerate(trees):
        print(f"tree {k + 1}: {tree}")
        first = runs[tree][0][0]
        for n, (level, name, _) in enumerate(first):
            times = [r[0][n][2] for r in runs[tree] if len(r[0]) == len(first)]
            print(f"  {'  ' * (level - 1) + name:<42} {spread(times)}")
        top = [sum(s for level, _, s in r[0] if level == 1) for r in runs[tree]]
        print(f"  {'all compiling (top-level routines)':<42} {spread(top)}")
        print(f"  {'whole process, wall':<42} {spread([r[1] for r in runs[tree]])}")
        print(f"  {'whole process, CPU (user + system)':<42} {spread([r[2] for r in runs[tree]])}")


def run_case(dtype: str, code: str, tree: Path = ROOT) -> dict:
    with tempfile.TemporaryDirectory(prefix="convtrace-numba-cache-") as cache:
        env = dict(os.environ, NUMBA_CACHE_DIR=cache, PYTHONPATH=str(tree))
        out = subprocess.run([sys.executable, "-c", CHILD, dtype, code], capture_output=True, text=True,
                             env=env, cwd=tree)
    if out.returncode:
        raise RuntimeError(out.stderr)
    return json.loads(out.stdout.strip().splitlines()[-1])


def spread(values: list[float]) -> str:
    return f"{statistics.median(values):6.2f}s {min(values):5.2f}–{max(values):<5.2f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--only", default="", help="run only the cases whose name contains this")
    parser.add_argument("--dtypes", default=",".join(DTYPES))
    parser.add_argument("--tree", type=Path, action="append",
                        help="a convtrace source tree to time (default: this one); give it twice, e.g. an older "
                             "checkout and this one, to compare them: their runs alternate, so noise hits both")
    parser.add_argument("--quick-start", action="store_true",
                        help="list what the Quick start trace compiles, routine by routine, instead of the cases")
    args = parser.parse_args()
    trees = args.tree or [ROOT]
    import numba

    if args.quick_start:
        print(f"Quick start trace on an empty cache: numba {numba.__version__}, {os.cpu_count()} CPUs, "
              f"median and min–max of {args.repeat} fresh processes per tree")
        quick_start_report(trees, args.repeat)
        return

    print(f"convtrace engine cold compile times: numba {numba.__version__}, {os.cpu_count()} CPUs, "
          f"median and min–max of {args.repeat} fresh processes per tree")
    for k, tree in enumerate(trees):
        print(f"  tree {k + 1}: {tree}")
    header = f"{'case':<44}" + "".join(f" {'tree ' + str(k + 1):>19} {'variants':>8}" for k in range(len(trees)))
    print(header)
    print("-" * len(header))
    start_up = []
    for name, code in CASES.items():
        for dt in args.dtypes.split(","):
            if name not in EVERY_DTYPE and dt != "float32":
                continue
            label = name.format(dt=dt)
            if args.only not in label:
                continue
            runs = {tree: [] for tree in trees}
            for _ in range(args.repeat):
                for tree in trees:
                    runs[tree].append(run_case(dt, code, tree))
            line = f"{label:<44}"
            for tree in trees:
                line += f" {spread([r['compile'] for r in runs[tree]])} {runs[tree][0]['variants']:>8}"
                start_up += runs[tree]
            print(line, flush=True)
    if start_up:
        print(f"{'(Numba start-up, first compile of anything)':<44} {spread([r['numba'] for r in start_up])}"
              f"  imports scipy.linalg: {start_up[0]['linalg']}")
        print(f"{'(import convtrace.engine)':<44} {spread([r['imp'] for r in start_up])}")


if __name__ == "__main__":
    main()
