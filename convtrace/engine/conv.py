"""Cross-correlation: the small-input, bulk and traced routines.

All take arrays already in the compute dtype (int32, int64, float32 or float64):

- ``x``: (C, H, W) input, C-contiguous
- ``w``: (F, G, kh, kw) weights; filter ``f`` reads input channels
  ``(f // filters_per_group) * G`` … ``+ G`` (PyTorch's ``groups``), which
  covers per-channel filtering (G = 1), CNN filters (G = C) and feature maps.
- ``rmap``/``cmap``: padding index maps (see :mod:`.padding`).

Every output value is ``sum over (g, a, b) in row-major order of
w[f, g, a, b] * x_padded[c0 + g, i*sh + a*dh, j*sw + b*dw]`` accumulated from
zero in the compute dtype, in the same order in every routine, so the trace
and the bulk result are bit-for-bit equal.  The bulk routines' inner loops
are generated into :mod:`._fused` (see :mod:`.gen_fused`).
"""

from __future__ import annotations

import numpy as np

from convtrace.engine import _fused
from convtrace.engine._fused import ROWS_PER_BLOCK
from convtrace.engine.config import jit
from convtrace.engine.threads import run_tasks

#: Window sizes with a routine of their own (every weight in a register).
FUSED_SIZES = _fused.FUSED_SIZES


def bulk_routine(kh, kw, stride, dilation):
    """The block routine for a kh×kw window with this stride and dilation.

    Square windows of the sizes in FUSED_SIZES with column stride and
    dilation 1, whose row stride equals their row dilation (so output rows
    can go in pairs), get their own routine; the rest go one window row at a
    time.  All take the same arguments (see :func:`correlate_bulk`).
    """
    (sh, sw), (dh, dw) = stride, dilation
    fused = kh == kw and kh in FUSED_SIZES and sw == 1 and dw == 1 and sh == dh
    return getattr(_fused, f"block{kh if fused else '_any'}")


def correlate_bulk(x, w, filters_per_group, rmap, cmap, pad_value, sh, sw, dh, dw, pl, j_lo, j_hi, out, parallel):
    """Fill every value of ``out`` (F, H', W'); on the engine's threads when ``parallel``.

    The output goes in blocks of ROWS_PER_BLOCK rows, each made by one call of
    the block routine on one thread; so each thread also first-touches the
    pages of a fresh output it writes.
    """
    n_filters, n_rows, n_cols = out.shape
    kh, kw = w.shape[2], w.shape[3]
    block = bulk_routine(kh, kw, (sh, sw), (dh, dw))
    flat_w = w.reshape(n_filters, -1)
    padrow = np.full(x.shape[2], pad_value, dtype=x.dtype)
    zero = np.zeros(n_cols, dtype=out.dtype)
    n_blocks = -(-n_rows // ROWS_PER_BLOCK)

    def run(first, last):
        block(x, flat_w, filters_per_group, rmap, cmap, pad_value, sh, sw, dh, dw, pl, j_lo, j_hi, kh, kw, padrow,
              zero, first, last, n_blocks, out)

    run_tasks(run, n_filters * n_blocks, parallel)


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

