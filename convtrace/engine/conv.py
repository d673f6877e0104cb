"""Cross-correlation: the bulk routines, and one routine for small inputs and traces.

All take arrays already in the compute dtype (int32, int64, float32 or float64):

- ``x``: (C, H, W) input, C-contiguous; the bulk routines also take an 8- or
  16-bit integer input with int32 weights and output (see
  :func:`convtrace.engine.reads_directly`), each value widened as it is
  loaded: integer sums are exact, so they equal those of an int32 copy.
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

import functools

import numpy as np

from convtrace.engine.config import FUSED_PARALLEL_WORK_THRESHOLD, PARALLEL_WORK_THRESHOLD, jit
from convtrace.engine.gen_fused import FUSED_SIZES, ROWS_PER_BLOCK
from convtrace.engine.threads import run_tasks


def is_fused(kh, kw, stride, dilation) -> bool:
    """Whether a kh×kw window with this stride and dilation has its own fused routine: square
    windows of the sizes in FUSED_SIZES with column stride and dilation 1, whose row stride equals
    their row dilation (so output rows can go in pairs)."""
    (sh, sw), (dh, dw) = stride, dilation
    return kh == kw and kh in FUSED_SIZES and sw == 1 and dw == 1 and sh == dh


@functools.lru_cache(maxsize=64)
def bulk_routine(kh, kw, stride, dilation):
    """The block routine for a kh×kw window with this stride and dilation: its fused routine
    (:func:`is_fused`), or the one that goes one window row at a time.  All take the same arguments
    (see :func:`correlate_bulk`)."""
    from convtrace.engine import _fused  # the bulk loops: not loaded for traces and small inputs

    return getattr(_fused, f"block{kh if is_fused(kh, kw, stride, dilation) else '_any'}")


def correlate_bulk(x, w, filters_per_group, rmap, cmap, pad_value, sh, sw, dh, dw, pl, j_lo, j_hi, out, parallel,
                   sum_dtype=None):
    """Fill every value of ``out`` (F, H', W'); on the engine's threads when ``parallel``, or when
    None, where the work is large enough for the routine chosen (FUSED_PARALLEL_WORK_THRESHOLD,
    PARALLEL_WORK_THRESHOLD).

    The output goes in blocks of ROWS_PER_BLOCK rows, each made by one call of
    the block routine on one thread; so each thread also first-touches the
    pages of a fresh output it writes.  ``x`` may be of a narrower integer
    dtype than ``out`` (``pad_value`` a value of it): the general loop's row
    of constant padding is of ``x``'s dtype, so every loop reads one array
    type (the fused loops copy a pass's rows into their sums' dtype).
    ``sum_dtype`` (``w``'s): a narrower integer dtype a fused routine adds
    in, storing each pair of rows widened into ``out`` (see
    :func:`convtrace.engine.correlate`).
    """
    n_filters, n_rows, n_cols = out.shape
    kh, kw = w.shape[2], w.shape[3]
    block = bulk_routine(kh, kw, (sh, sw), (dh, dw))
    if parallel is None:
        threshold = FUSED_PARALLEL_WORK_THRESHOLD if is_fused(kh, kw, (sh, sw), (dh, dw)) else PARALLEL_WORK_THRESHOLD
        parallel = out.size * w[0].size >= threshold
    flat_w = w.reshape(n_filters, -1)
    padrow = np.empty(x.shape[2], dtype=x.dtype)
    padrow.fill(pad_value)
    zero = np.zeros(n_cols, dtype=out.dtype if sum_dtype is None else sum_dtype)
    n_blocks = -(-n_rows // ROWS_PER_BLOCK)

    def run(first, last):
        block(x, flat_w, filters_per_group, rmap, cmap, pad_value, sh, sw, dh, dw, pl, j_lo, j_hi, kh, kw, padrow,
              zero, first, last, n_blocks, out)

    run_tasks(run, n_filters * n_blocks, parallel)


@jit
def window_sums(x, w, filters_per_group, rmap, cmap, pad_value, sh, sw, dh, dw, cells, n_rows, n_cols, windows,
                products, results):
    """Output sums one window at a time, and (when asked) each window and its products.

    - ``results[n]``: the sum of output cell ``n``, which is ``cells[n]`` (map, row, column) when
      ``cells`` has rows, else the n-th cell of the (F, ``n_rows``, ``n_cols``) output in row-major
      order (``results`` is then the output's flat view).  Products are added one by one, from
      zero, in the compute dtype: the order every routine keeps.
    - ``windows`` and ``products`` (N, G, kh, kw), when they have rows: each window and its products.

    One routine for the small-input convolution and for traces (which also need the output), so a
    first trace compiles it once per dtype instead of two routines; arrays with no rows stand for
    the parts not wanted (the same types, so no other compiled variant).
    """
    groups_width, kh, kw = w.shape[1], w.shape[2], w.shape[3]
    per_map = n_rows * n_cols
    listed = cells.shape[0] > 0
    keep = windows.shape[0] > 0
    for n in range(results.shape[0]):
        if listed:
            f, i, j = cells[n, 0], cells[n, 1], cells[n, 2]
        else:
            f = n // per_map
            i = (n - f * per_map) // n_cols
            j = n - f * per_map - i * n_cols
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
                    product = w[f, g, a, b] * v
                    if keep:
                        windows[n, g, a, b] = v
                        products[n, g, a, b] = product
                    results[n] += product


#: The parts :func:`window_sums` is not asked for: arrays with no rows (same types, so no new compile).
_NO_CELLS = np.empty((0, 3), dtype=np.int64)


def _nothing(dtype, ndim):
    return np.empty((0,) * ndim, dtype=dtype)


def correlate_small(x, w, filters_per_group, rmap, cmap, pad_value, sh, sw, dh, dw, pl, j_lo, j_hi, out):
    """Every value of ``out`` (F, H', W') by :func:`window_sums`: quick to compile, for traces and
    homework sizes.  The same arguments as :func:`correlate_bulk`, less ``parallel``."""
    _, n_rows, n_cols = out.shape
    flat = out.reshape(-1) if out.flags.c_contiguous else np.empty(out.size, dtype=out.dtype)
    none = _nothing(out.dtype, 4)
    window_sums(x, w, filters_per_group, rmap, cmap, pad_value, sh, sw, dh, dw, _NO_CELLS, n_rows, n_cols, none,
                none, flat)
    if not out.flags.c_contiguous:
        out[...] = flat.reshape(out.shape)


def trace_correlate(x, w, filters_per_group, rmap, cmap, pad_value, sh, sw, dh, dw, cells, windows, products, results):
    """For each output cell (f, i, j) in ``cells`` (N, 3): its window, products and sum."""
    if cells.shape[0] == 0:
        return
    window_sums(x, w, filters_per_group, rmap, cmap, pad_value, sh, sw, dh, dw, cells, 1, 1, windows, products,
                results)
