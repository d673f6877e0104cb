"""Pooling: the bulk routine and the traced routine.

Padding is implicit, as in PyTorch: padded cells never win a max or min
(they act as -inf / +inf) and add nothing to a sum.  The average divides by
``row_counts[i] * col_counts[j]``: the window's taps inside the padded
extent (count_include_pad) or inside the input, computed by
:func:`axis_counts`.  Cells are combined in row-major window order in both
routines, so the trace equals the bulk result bit for bit.
"""

from __future__ import annotations

import numpy as np

from convtrace.engine._fused import pool_taps
from convtrace.engine.config import jit
from convtrace.engine.pool_modes import AVG, MAX, MIN
from convtrace.engine.threads import run_tasks


@jit
def axis_counts(n_out, n_in, size, stride, dilation, pad_before, pad_after, include_pad):
    """How many of each window's taps along one axis count for the divisor."""
    counts = np.empty(n_out, dtype=np.int64)
    for o in range(n_out):
        start = o * stride - pad_before
        c = 0
        for t in range(size):
            p = start + t * dilation
            if include_pad:
                if p < n_in + pad_after:
                    c += 1
            elif 0 <= p < n_in:
                c += 1
        counts[o] = c
    return counts


@jit
def _combine(mode, acc, v):
    if mode == MAX:
        return v if (v > acc or v != v) else acc
    if mode == MIN:
        return v if (v < acc or v != v) else acc
    return acc + v


@jit
def pool_rows(x, kh, kw, sh, sw, dh, dw, pt, pl, mode, init, row_counts, col_counts, j_lo, j_hi, t_first, t_last,
              out):
    """Output rows t_first … t_last-1 of ``out`` (row t: map t // n_rows, row t % n_rows)."""
    height, width = x.shape[1], x.shape[2]
    n_maps, n_rows, n_cols = out.shape
    for t in range(t_first, t_last):
        c = t // n_rows
        i = t - c * n_rows
        orow = out[c, i]
        for j in range(n_cols):
            orow[j] = init
        r0 = i * sh - pt
        for a in range(kh):
            r = r0 + a * dh
            if r < 0 or r >= height:
                continue
            xrow = x[c, r]
            if j_hi > j_lo:
                pool_taps(mode, orow[j_lo:j_hi], xrow, j_lo * sw - pl, sw, dw, kw, j_hi - j_lo)
            for b in range(kw):
                off = b * dw - pl
                for j in range(j_lo):
                    col = j * sw + off
                    if 0 <= col < width:
                        orow[j] = _combine(mode, orow[j], xrow[col])
                for j in range(j_hi, n_cols):
                    col = j * sw + off
                    if 0 <= col < width:
                        orow[j] = _combine(mode, orow[j], xrow[col])
        if mode == AVG:
            for j in range(n_cols):
                orow[j] = orow[j] / (row_counts[i] * col_counts[j])


def pool_bulk(x, kh, kw, sh, sw, dh, dw, pt, pl, mode, init, row_counts, col_counts, j_lo, j_hi, out, parallel):
    """Fill ``out`` (C, n_rows, n_cols), its rows shared out among the engine's threads when ``parallel``.

    One compiled routine serves both ways (see :mod:`convtrace.engine.threads`).
    """
    def run(first, last):
        pool_rows(x, kh, kw, sh, sw, dh, dw, pt, pl, mode, init, row_counts, col_counts, j_lo, j_hi, first, last,
                  out)

    run_tasks(run, out.shape[0] * out.shape[1], parallel)


@jit
def trace_pool(x, kh, kw, sh, sw, dh, dw, pt, pl, mode, init, row_counts, col_counts,
               cells, windows, inside, winners, sums, divisors, results):
    """For each output cell (c, i, j): its window, the winner or the sum and divisor."""
    height, width = x.shape[1], x.shape[2]
    for n in range(cells.shape[0]):
        c, i, j = cells[n, 0], cells[n, 1], cells[n, 2]
        results[n] = init
        winners[n, 0] = -1
        winners[n, 1] = -1
        for a in range(kh):
            r = i * sh - pt + a * dh
            for b in range(kw):
                col = j * sw - pl + b * dw
                if 0 <= r < height and 0 <= col < width:
                    v = x[c, r, col]
                    windows[n, a, b] = v
                    inside[n, a, b] = True
                    if mode == MAX or mode == MIN:
                        # The first cell seen is taken as is: the same value the
                        # bulk routine reaches from its -inf/+inf start.
                        if winners[n, 0] < 0 or (v > results[n] if mode == MAX else v < results[n]) or v != v:
                            results[n] = v
                            winners[n, 0] = a
                            winners[n, 1] = b
                    else:
                        results[n] += v
                else:
                    windows[n, a, b] = 0
                    inside[n, a, b] = False
        sums[n] = results[n]
        divisors[n] = 1
        if mode == AVG:
            divisors[n] = row_counts[i] * col_counts[j]
            results[n] = results[n] / divisors[n]
