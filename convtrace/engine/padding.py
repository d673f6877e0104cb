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


def index_map(n, before, after, mode):
    """Source index for each padded position along one axis (-1: the constant)."""
    out = np.empty(before + n + after, dtype=np.int64)
    fill_index_map(n, before, mode, out)
    return out


@jit
def fill_index_map(n, before, mode, out):
    """The index map of :func:`index_map` written into ``out`` (allocating outside compiled code
    keeps this routine, like every one on a trace's path, quick to compile)."""
    for p in range(out.shape[0]):
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


def pad(x, rmap, cmap, pad_value):
    """The padded copy of ``x`` (C, H, W) that the index maps describe."""
    out = np.empty((x.shape[0], rmap.shape[0], cmap.shape[0]), dtype=x.dtype)
    fill_padded(x, rmap, cmap, pad_value, out)
    return out


@jit
def fill_padded(x, rmap, cmap, pad_value, out):
    """The padded copy of :func:`pad` written into ``out`` (C, len(rmap), len(cmap))."""
    for c in range(out.shape[0]):
        for i in range(out.shape[1]):
            r = rmap[i]
            for j in range(out.shape[2]):
                col = cmap[j]
                if r < 0 or col < 0:
                    out[c, i, j] = pad_value
                else:
                    out[c, i, j] = x[c, r, col]


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
