"""Padding as index maps.

A padded axis of length ``before + n + after`` is described by one integer per
padded position: the source index it copies, or -1 for the constant.  The
convolution and pooling loops read through these maps only at the borders, so
the bulk path never materialises a padded copy of the image; the trace uses
the same maps to build the padded matrix it shows.
"""

from __future__ import annotations

import numpy as np

from convtrace.engine.config import jit

ZEROS, REFLECT, SYMMETRIC, REPLICATE, CIRCULAR = 0, 1, 2, 3, 4


@jit
def index_map(n, before, after, mode):
    """Source index for each padded position along one axis (-1: the constant)."""
    total = before + n + after
    out = np.empty(total, dtype=np.int64)
    for p in range(total):
        k = p - before
        if 0 <= k < n:
            out[p] = k
        elif mode == ZEROS:
            out[p] = -1
        elif mode == REPLICATE:
            out[p] = 0 if k < 0 else n - 1
        elif mode == CIRCULAR:
            out[p] = k % n
        elif mode == SYMMETRIC:  # d c b a | a b c d
            m = k % (2 * n)
            out[p] = m if m < n else 2 * n - 1 - m
        else:  # REFLECT: d c b | a b c d
            if n == 1:
                out[p] = 0
            else:
                m = k % (2 * n - 2)
                out[p] = m if m < n else 2 * n - 2 - m
    return out


@jit
def pad(x, rmap, cmap, pad_value):
    """The padded copy of ``x`` (C, H, W) that the index maps describe."""
    channels = x.shape[0]
    out = np.empty((channels, rmap.shape[0], cmap.shape[0]), dtype=x.dtype)
    for c in range(channels):
        for p in range(rmap.shape[0]):
            r = rmap[p]
            for q in range(cmap.shape[0]):
                col = cmap[q]
                if r < 0 or col < 0:
                    out[c, p, q] = pad_value
                else:
                    out[c, p, q] = x[c, r, col]
    return out


def interior_range(n_out, n_in, pad_before, size, stride, dilation):
    """Output positions [lo, hi) whose whole window lies inside the input.

    Outside this range the loops go through the index maps; inside it they
    read the input directly, in contiguous runs the compiler can vectorise.
    """
    lo = -(-pad_before // stride)
    hi = (n_in - 1 + pad_before - (size - 1) * dilation) // stride + 1
    lo = min(max(lo, 0), n_out)
    hi = min(max(hi, lo), n_out)
    return lo, hi
