"""Timing and table printing shared by the benchmarks."""

from __future__ import annotations

import time


def best_time(func, repeat=7, warmup=1):
    """Best wall time of ``repeat`` runs in seconds, after ``warmup`` untimed runs."""
    for _ in range(warmup):
        func()
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        best = min(best, time.perf_counter() - start)
    return best


def print_table(title, rows, baseline="convtrace"):
    """rows: (case, tool, seconds or None, note).  Ratio = tool time / convtrace time."""
    print(f"\n{title}")
    header = f"{'case':<22} {'tool':<34} {'time':>10} {'vs convtrace':>13}  note"
    print(header)
    print("-" * len(header))
    ours = {case: t for case, tool, t, _ in rows if tool == baseline and t is not None}
    for case, tool, seconds, note in rows:
        if seconds is None:
            print(f"{case:<22} {tool:<34} {'—':>10} {'—':>13}  {note}")
            continue
        ratio = seconds / ours[case] if case in ours else float("nan")
        print(f"{case:<22} {tool:<34} {seconds * 1e3:>8.2f}ms {ratio:>12.2f}×  {note}")
