"""Transposed convolution: each input cell times the kernel, added into the output (scatter).

``x`` is (C_in, H, W), ``w`` is (C_in, C_out, kh, kw) as PyTorch's
``conv_transpose2d`` takes it.  The bulk routine scatters into a full-size
buffer (every tap, before cropping the padding); the trace routine computes,
for chosen output cells, the equivalent gather (a correlation over the
zero-stuffed, padded input with the flipped kernel) in an order that adds the
same products in the same sequence as the scatter: for one output cell the
scatter visits (c, i, j) in increasing order, and so does the flipped kernel
read row-major.  Products that meet a stuffed zero or padding add exactly 0
to a sum that is never −0, so the traced totals equal the bulk output bit for bit.
No fastmath (see :mod:`convtrace.engine.config`).
"""

from __future__ import annotations

import numpy as np

from convtrace.engine.config import jit


@jit
def _scatter(x, w, sh, sw, dh, dw, out):
    """out[co, i·s + a·d, j·s + b·d] += x[ci, i, j] · w[ci, co, a, b] over (ci, i, j, a, b), per output map."""
    c_in, height, width = x.shape
    c_out, kh, kw = w.shape[1], w.shape[2], w.shape[3]
    for co in range(c_out):
        for ci in range(c_in):
            for i in range(height):
                for j in range(width):
                    v = x[ci, i, j]
                    for a in range(kh):
                        r = i * sh + a * dh
                        for b in range(kw):
                            out[co, r, j * sw + b * dw] += v * w[ci, co, a, b]


# One compiled routine serves both: transposed convolutions are homework-sized, and a thread pool's
# start-up would cost more than it saves (see engine/threads.py for the bulk convolution's blocks).
scatter_serial = scatter_parallel = _scatter


@jit
def trace_gather(x, w, sh, sw, dh, dw, ph, pw, cells, windows, real, products, totals):
    """For each (co, oi, oj) in ``cells``: the gather window over the stuffed, padded input.

    ``windows[n, ci, a', b']`` is the stuffed input under the flipped kernel's
    tap (a', b') (0 on a stuffed zero or padding), ``real`` marks taps on a real
    input cell (its index is then recoverable from the arithmetic), ``products``
    the window times the flipped kernel, ``totals`` their sum in row-major order.
    """
    c_in, height, width = x.shape
    kh, kw = w.shape[2], w.shape[3]
    for n in range(cells.shape[0]):
        co, oi, oj = cells[n, 0], cells[n, 1], cells[n, 2]
        acc = totals.dtype.type(0)
        for ci in range(c_in):
            for fa in range(kh):
                a = kh - 1 - fa
                num_r = oi + ph - a * dh
                ok_r = num_r >= 0 and num_r % sh == 0 and num_r // sh < height
                i = num_r // sh
                for fb in range(kw):
                    b = kw - 1 - fb
                    num_c = oj + pw - b * dw
                    ok = ok_r and num_c >= 0 and num_c % sw == 0 and num_c // sw < width
                    if ok:
                        v = x[ci, i, num_c // sw]
                    else:
                        v = x.dtype.type(0)
                    windows[n, ci, fa, fb] = v
                    real[n, ci, fa, fb] = ok
                    p = v * w[ci, co, a, b]
                    products[n, ci, fa, fb] = p
                    acc += p
        totals[n] = acc


def scatter(x, w, stride, dilation, full_shape, parallel=None):
    """The full (uncropped) transposed convolution, shape ``full_shape`` (C_out, Hf, Wf)."""
    out = np.zeros(full_shape, dtype=x.dtype)
    work = x.size * w.shape[1] * w.shape[2] * w.shape[3]
    if parallel is None:
        parallel = work >= (1 << 18)
    fn = scatter_parallel if parallel else scatter_serial
    fn(x, w, stride[0], stride[1], dilation[0], dilation[1], out)
    return out


def trace_cells(x, w, stride, dilation, pads, cells):
    """Gather windows, tap masks, products and totals for ``cells`` (N, 3)."""
    n = cells.shape[0]
    shape = (n, x.shape[0], w.shape[2], w.shape[3])
    windows = np.zeros(shape, dtype=x.dtype)
    real = np.zeros(shape, dtype=np.bool_)
    products = np.zeros(shape, dtype=x.dtype)
    totals = np.zeros(n, dtype=x.dtype)
    trace_gather(x, w, stride[0], stride[1], dilation[0], dilation[1], pads[0], pads[1],
                 np.ascontiguousarray(cells, dtype=np.int64), windows, real, products, totals)
    return windows, real, products, totals
