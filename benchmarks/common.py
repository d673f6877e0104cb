"""Timing and table printing shared by the benchmarks.

Every figure is the median of several runs, printed with its spread (the
fastest and slowest run) and its ratio to convtrace's median for the same
case.  :func:`race` runs the contenders of one case in turn, round after
round, so a noisy neighbour on a shared machine slows them all alike.
"""

from __future__ import annotations

import statistics
import time


def time_runs(func, repeat=7, warmup=1):
    """Wall times of ``repeat`` runs in seconds, after ``warmup`` untimed runs."""
    for _ in range(warmup):
        func()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return times


def race(funcs, repeat=7, warmup=1):
    """``{name: times}`` for ``{name: func}``, each round running every func once, in turn."""
    for func in funcs.values():
        for _ in range(warmup):
            func()
    times = {name: [] for name in funcs}
    for _ in range(repeat):
        for name, func in funcs.items():
            start = time.perf_counter()
            func()
            times[name].append(time.perf_counter() - start)
    return times


def _median(times):
    return statistics.median(times) if isinstance(times, list) else times


def _ms(seconds):
    if seconds < 1e-3:
        return f"{seconds * 1e3:.3f}"
    return f"{seconds * 1e3:.2f}" if seconds < 10 else f"{seconds * 1e3:.0f}"


def print_table(title, rows, baseline="convtrace"):
    """rows: (case, tool, times (list of seconds) or None, note).

    Prints the median, the min–max spread and the ratio tool median / convtrace
    median (above 1× means convtrace is faster).
    """
    print(f"\n{title}")
    header = f"{'case':<26} {'tool':<36} {'median':>10} {'min–max':>17} {'vs convtrace':>13}  note"
    print(header)
    print("-" * len(header))
    ours = {case: _median(t) for case, tool, t, _ in rows if tool == baseline and t is not None}
    for case, tool, times, note in rows:
        if times is None:
            print(f"{case:<26} {tool:<36} {'—':>10} {'—':>17} {'—':>13}  {note}")
            continue
        runs = times if isinstance(times, list) else [times]
        median = _median(runs)
        ratio = median / ours[case] if case in ours else float("nan")
        spread = f"{_ms(min(runs))}–{_ms(max(runs))}ms"
        print(f"{case:<26} {tool:<36} {_ms(median):>8}ms {spread:>17} {ratio:>12.2f}×  {note}")
