"""The engine: Numba-compiled loops, NumPy arrays in and out.

These functions trust their arguments (shapes, dtypes, ranges); the library
API in :mod:`convtrace.ops` checks them and explains mistakes.  Nothing here
prints, parses or draws.

Arrays are (C, H, W) inputs and (F, G, kh, kw) weights in one compute dtype
(int32, int64, float32 or float64; int32 only where the caller has proved the
sums fit); padding is ``(top, bottom, left, right)``.  Integer sums wrap on
overflow rather than fail: int32 and int64 agree wherever the bound holds.
:func:`correlate` also takes an input of another dtype with ``dtype=`` the
compute dtype: the bulk routines read 8- and 16-bit integer images as they are
when summing in int32 (:func:`reads_directly`), everything else is converted.
"""

from __future__ import annotations

import functools
import math

import numpy as np

from convtrace.engine.config import PARALLEL_WORK_THRESHOLD, SMALL_WORK_THRESHOLD
from convtrace.engine.conv import correlate_bulk, correlate_small, is_fused, trace_correlate
from convtrace.engine.padding import (
    CIRCULAR,
    REFLECT,
    REPLICATE,
    SYMMETRIC,
    ZEROS,
    index_map,
    interior_range,
    pad,
)
from convtrace.engine.pool_modes import AVG, MAX, MIN, SUM

PAD_CODES = {"zeros": ZEROS, "reflect": REFLECT, "symmetric": SYMMETRIC, "replicate": REPLICATE, "circular": CIRCULAR}
POOL_CODES = {"max": MAX, "min": MIN, "avg": AVG, "sum": SUM}


def out_len(n, before, after, size, stride, dilation):
    """Output length for a floor-mode sliding window (callers checked it is >= 1)."""
    return (n + before + after - dilation * (size - 1) - 1) // stride + 1


def padded(x, pads, pad_mode, pad_value):
    """``x`` with its padding made explicit, and a mask of the padding cells."""
    top, bottom, left, right = pads
    _, height, width = x.shape
    code = PAD_CODES[pad_mode]
    rmap = index_map(height, top, bottom, code)
    cmap = index_map(width, left, right, code)
    values = pad(x, rmap, cmap, x.dtype.type(pad_value))
    mask = np.ones(values.shape[1:], dtype=bool)
    mask[top:top + height, left:left + width] = False
    return values, mask


class _ConvPlan:
    """Index maps and output geometry shared by the bulk and traced routines.

    Made once per geometry (the last few are kept): a batch of same-sized
    images, or a loop over one, skips two compiled calls and their arrays per
    call.  The engine only reads the maps.
    """

    __slots__ = ("rmap", "cmap", "n_rows", "n_cols", "j_lo", "j_hi")

    def __new__(cls, x, w, pads, pad_mode, stride, dilation):
        return _conv_plan(x.shape[1], x.shape[2], w.shape[2], w.shape[3], tuple(map(int, pads)), pad_mode,
                          (int(stride[0]), int(stride[1])), (int(dilation[0]), int(dilation[1])))


@functools.lru_cache(maxsize=16)
def _conv_plan(height, width, kh, kw, pads, pad_mode, stride, dilation):
    top, bottom, left, right = pads
    code = PAD_CODES[pad_mode]
    plan = object.__new__(_ConvPlan)
    plan.rmap = index_map(height, top, bottom, code)
    plan.cmap = index_map(width, left, right, code)
    plan.n_rows = out_len(height, top, bottom, kh, stride[0], dilation[0])
    plan.n_cols = out_len(width, left, right, kw, stride[1], dilation[1])
    plan.j_lo, plan.j_hi = interior_range(plan.n_cols, width, left, kw, stride[1], dilation[1])
    return plan


def _weights(w, dtype):
    """The weights as one layout only (C-contiguous, writable, own copy): one compiled variant."""
    return np.array(w, dtype=dtype, order="C", copy=True)


#: Input dtypes the bulk routines read as they are (widening each value as it is loaded, or the few
#: rows of one pass of a fused loop at a time), by compute dtype: an 8- or 16-bit image summed in
#: int32 needs no int32 copy of itself (4× its size, and the time to write it).  One compiled variant
#: per input dtype: the image path compiles uint8, not int32.
DIRECT_INPUTS = {np.dtype(np.int32): frozenset(np.dtype(t) for t in (np.uint8, np.int8, np.uint16, np.int16)),
                 np.dtype(np.int16): frozenset(np.dtype(t) for t in (np.uint8, np.int8))}


def reads_directly(x_dtype, dtype, pad_value=0) -> bool:
    """Whether the bulk routines sum an input of ``x_dtype`` in ``dtype`` without converting it.

    The pad value must be a value of ``x_dtype`` too: rows of constant padding are copied into
    buffers of the input's dtype (a uint8 image padded with -1 is converted first).
    """
    x_dtype, dtype = np.dtype(x_dtype), np.dtype(dtype)
    if x_dtype not in DIRECT_INPUTS.get(dtype, ()):
        return False
    info = np.iinfo(x_dtype)
    return info.min <= int(pad_value) <= info.max


def correlate(x, w, groups, pads, pad_mode, pad_value, stride, dilation, parallel=None, out=None, device="cpu",
              dtype=None, resident=None, sums=None):
    """Cross-correlate ``x`` (C, H, W) with ``w`` (F, G, kh, kw): (F, H', W').

    Small problems use the one-tap-per-pass routine (quick to compile); large
    ones the bulk routine for the window's size, on the engine's threads
    unless ``parallel=False`` (for callers that already run one image per
    worker thread).  All add the same products in the same order, so they
    agree bit for bit.  ``dtype`` is the compute dtype, ``x``'s own when
    None: int16 or int32 (the caller has proved the sums fit), int64,
    float32, float64.  An input of another dtype is converted, except where
    the bulk routine reads it as it is (:func:`reads_directly`: 8- and 16-bit
    integers summed in int32, 8-bit ones in int16).  ``out``, when given,
    must be a C-contiguous (F, H', W') array of the compute dtype; it is
    filled and returned (on every device).  On the GPU, ``x`` may already lie there, and
    ``resident`` (a name) keeps the result there too, in that device
    buffer of the calling thread, for the next step of a chain.  ``sums``:
    a narrower dtype than ``dtype`` the fused 3×3, 5×5 and 7×7 loops may add
    in (int16 for an 8-bit image, when the caller has proved every sum fits
    it), each pair of output rows stored widened; the other routines, and a
    GPU, add in ``dtype``.  Exact either way: the same integers.
    """
    dtype = x.dtype if dtype is None else np.dtype(dtype)
    plan = _ConvPlan(x, w, pads, pad_mode, stride, dilation)
    n_filters = w.shape[0]
    if device == "cuda":
        from convtrace.engine import gpu

        if not gpu.is_device_array(x) and not reads_directly(x.dtype, dtype, pad_value):
            x = np.ascontiguousarray(x, dtype=dtype)
        result = gpu.correlate(x, w, groups, pads, pad_mode, pad_value, stride, dilation, plan.rmap, plan.cmap,
                               (n_filters, plan.n_rows, plan.n_cols), dtype, slot=resident,
                               resident=resident is not None)
        if out is None or resident is not None:
            return result
        out[...] = result
        return out
    if out is None:
        out = np.empty((n_filters, plan.n_rows, plan.n_cols), dtype=dtype)
    work = out.size * w[0].size
    small = parallel is None and work < SMALL_WORK_THRESHOLD
    narrow = sums is not None and not small and reads_directly(x.dtype, sums, pad_value) and \
        is_fused(w.shape[2], w.shape[3], stride, dilation)
    sum_dtype = np.dtype(sums) if narrow else dtype
    w = _weights(w, sum_dtype)
    pad_value = dtype.type(pad_value)
    # The small routine (traces, homework) keeps to one variant per compute dtype: small inputs are converted.
    x = np.ascontiguousarray(x) if not small and reads_directly(x.dtype, dtype, pad_value) else \
        np.ascontiguousarray(x, dtype=dtype)
    args = (x, w, n_filters // groups, plan.rmap, plan.cmap, pad_value,
            stride[0], stride[1], dilation[0], dilation[1], pads[2], plan.j_lo, plan.j_hi, out)
    if small:
        correlate_small(*args)
    else:
        correlate_bulk(*args, parallel, sum_dtype)
    return out


def trace_correlate_cells(x, w, groups, pads, pad_mode, pad_value, stride, dilation, cells):
    """Windows (N, G, kh, kw), products (N, G, kh, kw) and sums (N,) for ``cells`` (N, 3)."""
    plan = _ConvPlan(x, w, pads, pad_mode, stride, dilation)
    n = cells.shape[0]
    windows = np.empty((n,) + w.shape[1:], dtype=x.dtype)
    products = np.empty_like(windows)
    results = np.empty(n, dtype=x.dtype)
    trace_correlate(x, _weights(w, x.dtype), w.shape[0] // groups, plan.rmap, plan.cmap, x.dtype.type(pad_value),
                    stride[0], stride[1], dilation[0], dilation[1],
                    np.ascontiguousarray(cells, dtype=np.int64), windows, products, results)
    return windows, products, results


class _PoolPlan:
    def __init__(self, x, size, pads, stride, dilation, n_rows, n_cols, count_include_pad):
        # The pooling loops load when a pooling runs, not for every convolution.
        from convtrace.engine.pool_loops import axis_counts

        top, bottom, left, right = pads
        _, height, width = x.shape
        self.n_rows, self.n_cols = n_rows, n_cols
        self.row_counts = axis_counts(n_rows, height, size[0], stride[0], dilation[0], top, bottom, count_include_pad)
        self.col_counts = axis_counts(n_cols, width, size[1], stride[1], dilation[1], left, right, count_include_pad)
        self.j_lo, self.j_hi = interior_range(n_cols, width, left, size[1], stride[1], dilation[1])


def pool_dtype(x_dtype, mode):
    """Averages of integers are floats; everything else keeps the compute dtype."""
    if mode == "avg" and x_dtype.kind != "f":
        return np.dtype(np.float64)
    return x_dtype


def pool_init(dtype, mode):
    if mode == "max":
        return dtype.type(-np.inf) if dtype.kind == "f" else dtype.type(np.iinfo(dtype).min)
    if mode == "min":
        return dtype.type(np.inf) if dtype.kind == "f" else dtype.type(np.iinfo(dtype).max)
    return dtype.type(0)


def pool(x, size, pads, stride, dilation, mode, n_rows, n_cols, count_include_pad=True, parallel=None,
         device="cpu", resident=None):
    """Pool each channel of ``x`` (C, H, W) into (C, n_rows, n_cols); ``resident``: see :func:`correlate`."""
    plan = _PoolPlan(x, size, pads, stride, dilation, n_rows, n_cols, count_include_pad)
    dtype = pool_dtype(x.dtype, mode)
    if device == "cuda":
        from convtrace.engine import gpu

        return gpu.pool(x, size, pads, stride, dilation, POOL_CODES[mode], pool_init(dtype, mode),
                        plan.row_counts, plan.col_counts, (x.shape[0], n_rows, n_cols), dtype, slot=resident,
                        resident=resident is not None)
    out_shape = (x.shape[0], n_rows, n_cols)
    work = math.prod(out_shape) * size[0] * size[1]
    if parallel is None and work < SMALL_WORK_THRESHOLD:
        # Exercises and traces: the traced routine (which a trace compiles anyway) makes every cell,
        # combining each window in the same row-major order as the bulk loops, whose compile (several
        # seconds: a loop per mode and stride) a first pooling of a small matrix then never pays.
        cells = np.indices(out_shape).reshape(3, -1).T
        *_, results = trace_pool_cells(np.ascontiguousarray(x), size, pads, stride, dilation, mode, n_rows, n_cols,
                                       count_include_pad, cells)
        return results.reshape(out_shape)
    from convtrace.engine.pool_loops import pool_bulk

    out = np.empty(out_shape, dtype=dtype)
    pool_bulk(np.ascontiguousarray(x), size[0], size[1], stride[0], stride[1], dilation[0], dilation[1], pads[0],
              pads[2], POOL_CODES[mode], pool_init(dtype, mode), plan.row_counts, plan.col_counts, plan.j_lo,
              plan.j_hi, out, work >= PARALLEL_WORK_THRESHOLD if parallel is None else parallel)
    return out


def trace_pool_cells(x, size, pads, stride, dilation, mode, n_rows, n_cols, count_include_pad, cells):
    """Windows, inside-mask, winners, sums, divisors and results for ``cells`` (N, 3)."""
    from convtrace.engine.pool_loops import trace_pool

    plan = _PoolPlan(x, size, pads, stride, dilation, n_rows, n_cols, count_include_pad)
    dtype = pool_dtype(x.dtype, mode)
    n = cells.shape[0]
    windows = np.empty((n, size[0], size[1]), dtype=x.dtype)
    inside = np.empty((n, size[0], size[1]), dtype=np.bool_)
    winners = np.empty((n, 2), dtype=np.int64)
    sums = np.empty(n, dtype=dtype)
    divisors = np.empty(n, dtype=np.int64)
    results = np.empty(n, dtype=dtype)
    trace_pool(x, size[0], size[1], stride[0], stride[1], dilation[0], dilation[1], pads[0], pads[2],
               POOL_CODES[mode], pool_init(dtype, mode), plan.row_counts, plan.col_counts,
               np.ascontiguousarray(cells, dtype=np.int64), windows, inside, winners, sums, divisors, results)
    return windows, inside, winners, sums, divisors, results
