"""Cross-correlation: the bulk routine and the traced routine.

Both take arrays already in the compute dtype (int64, float32 or float64):

- ``x``: (C, H, W) input, C-contiguous
- ``w``: (F, G, kh, kw) weights; filter ``f`` reads input channels
  ``(f // filters_per_group) * G`` … ``+ G`` (PyTorch's ``groups``), which
  covers per-channel filtering (G = 1), CNN filters (G = C) and feature maps.
- ``rmap``/``cmap``: padding index maps (see :mod:`.padding`).

Every output value is ``sum over (g, a, b) in row-major order of
w[f, g, a, b] * x_padded[c0 + g, i*sh + a*dh, j*sw + b*dw]`` accumulated from
zero in the compute dtype, in the same order in both routines, so the trace
and the bulk result are bit-for-bit equal.
"""

from __future__ import annotations

import numpy as np
from numba import prange

from convtrace.engine._fused import MAX_TAPS, apply_taps
from convtrace.engine.config import jit, jit_pair

#: Output columns per tile: this many bytes of each row in play at once.
TILE_BYTES = 16384


def _correlate(x, w, filters_per_group, rmap, cmap, pad_value, sh, sw, dh, dw, pl, j_lo, j_hi, out):
    n_filters, n_rows, n_cols = out.shape
    groups_width, kh, kw = w.shape[1], w.shape[2], w.shape[3]
    n_taps = groups_width * kh * kw
    flat_w = w.reshape(n_filters, n_taps)
    padrow = np.full(x.shape[2], pad_value)
    tile_cols = max(TILE_BYTES // out.itemsize, 16)
    # Per tap: its input channel, row offset and column start.  Only the
    # padded row a tap reads depends on the output row; each output row fills
    # its own line of one table, so the loop below allocates nothing.
    tap_g = np.empty(n_taps, dtype=np.int64)
    tap_a = np.empty(n_taps, dtype=np.int64)
    starts = np.empty(n_taps, dtype=np.int64)
    k = 0
    for g in range(groups_width):
        for a in range(kh):
            for b in range(kw):
                tap_g[k] = g
                tap_a[k] = a
                starts[k] = j_lo * sw + b * dw - pl
                k += 1
    chan_table = np.empty((n_filters, n_taps), dtype=np.int64)
    for f in range(n_filters):
        for k in range(n_taps):
            chan_table[f, k] = (f // filters_per_group) * groups_width + tap_g[k]
    row_table = np.empty((n_filters * n_rows, n_taps), dtype=np.int64)
    for t in prange(n_filters * n_rows):
        f = t // n_rows
        i = t - f * n_rows
        weights = flat_w[f]
        chans = chan_table[f]
        rows = row_table[t]
        for k in range(n_taps):
            rows[k] = rmap[i * sh + tap_a[k] * dh]
        orow = out[f, i]
        for j in range(n_cols):
            orow[j] = 0
        # Columns whose window lies inside the input: several taps per pass,
        # over column tiles small enough that every pass stays in L1.
        for tile in range(j_lo, j_hi, tile_cols):
            n = min(tile_cols, j_hi - tile)
            o = orow[tile:tile + n]
            base = (tile - j_lo) * sw
            k = 0
            while k < n_taps:
                m = min(MAX_TAPS, n_taps - k)
                apply_taps(o, x, padrow, chans, rows, starts, weights, k, m, n, base, sw)
                k += m
        # Border columns go through the padding index map, tap by tap.
        for k in range(n_taps):
            r = rows[k]
            b = k % kw
            wt = weights[k]
            for j in range(j_lo):
                _add_border(orow, j, x, chans[k], r, cmap[j * sw + b * dw], wt, pad_value)
            for j in range(j_hi, n_cols):
                _add_border(orow, j, x, chans[k], r, cmap[j * sw + b * dw], wt, pad_value)


@jit
def _add_border(orow, j, x, c, r, col, wt, pad_value):
    if r < 0 or col < 0:
        orow[j] += wt * pad_value
    else:
        orow[j] += wt * x[c, r, col]


@jit
def correlate_small(x, w, filters_per_group, rmap, cmap, pad_value, sh, sw, dh, dw, pl, j_lo, j_hi, out):
    """The same sums, one tap per pass: quick to compile, for traces and homework sizes."""
    n_filters, n_rows, n_cols = out.shape
    groups_width, kh, kw = w.shape[1], w.shape[2], w.shape[3]
    for t in range(n_filters * n_rows):
        f = t // n_rows
        i = t - f * n_rows
        c0 = (f // filters_per_group) * groups_width
        orow = out[f, i]
        for j in range(n_cols):
            orow[j] = 0
        for g in range(groups_width):
            for a in range(kh):
                r = rmap[i * sh + a * dh]
                for b in range(kw):
                    wt = w[f, g, a, b]
                    for j in range(n_cols):
                        _add_border(orow, j, x, c0 + g, r, cmap[j * sw + b * dw], wt, pad_value)


correlate_bulk_serial, correlate_bulk_parallel = jit_pair(_correlate)


@jit
def trace_correlate(x, w, filters_per_group, rmap, cmap, pad_value, sh, sw, dh, dw, cells, windows, products, results):
    """For each output cell (f, i, j) in ``cells``: its window, products and sum."""
    groups_width, kh, kw = w.shape[1], w.shape[2], w.shape[3]
    for n in range(cells.shape[0]):
        f, i, j = cells[n, 0], cells[n, 1], cells[n, 2]
        c0 = (f // filters_per_group) * groups_width
        results[n] = 0
        for g in range(groups_width):
            for a in range(kh):
                r = rmap[i * sh + a * dh]
                for b in range(kw):
                    col = cmap[j * sw + b * dw]
                    if r < 0 or col < 0:
                        v = pad_value
                    else:
                        v = x[c0 + g, r, col]
                    windows[n, g, a, b] = v
                    p = w[f, g, a, b] * v
                    products[n, g, a, b] = p
                    results[n] += p

