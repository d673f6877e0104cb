"""Padding as index maps.

A padded axis of length ``before + n + after`` is described by one integer per
padded position: the source index it copies, or -1 for the constant.  The
convolution and pooling loops read through these maps only at the borders, so
the bulk path never materialises a padded copy of the image; the trace uses
the same maps to build the padded matrix it shows.  Maps and padded copies move
values without computing any, so they are NumPy gathers rather than compiled
loops (a first run compiles only what sums).
"""

from __future__ import annotations

import numpy as np

ZEROS, REFLECT, SYMMETRIC, REPLICATE, CIRCULAR = 0, 1, 2, 3, 4


def index_map(n, before, after, mode):
    """Source index for each padded position along one axis (-1: the constant).

    One vectorised NumPy expression per mode, not a compiled loop: a map is a gather of
    indices with no arithmetic on values, and compiling it cost a first run 0.3 s.
    """
    k = np.arange(-before, n + after, dtype=np.int64)
    if mode == ZEROS:
        return np.where((k >= 0) & (k < n), k, -1)
    if mode == REPLICATE:
        return np.clip(k, 0, n - 1)
    if mode == CIRCULAR:
        return k % n
    if mode == SYMMETRIC:  # d c b a | a b c d
        m = k % (2 * n)
        return np.where(m < n, m, 2 * n - 1 - m)
    if n == 1:  # REFLECT of a single value: itself
        return np.zeros_like(k)
    m = k % (2 * n - 2)  # REFLECT: d c b | a b c d
    return np.where(m < n, m, 2 * n - 2 - m)


def pad(x, rmap, cmap, pad_value):
    """The padded copy of ``x`` (C, H, W) that the index maps describe.

    A gather through the maps (the same the loops read through), then the constant where a map
    says -1: every value is copied, none computed, so NumPy's one indexing call does it.  An ``x``
    without rows or columns (a crop lying wholly in constant padding, whose maps are all -1) gives
    the constant everywhere.
    """
    if x.shape[1] == 0 or x.shape[2] == 0:
        return np.full((x.shape[0], rmap.size, cmap.size), pad_value, dtype=x.dtype)
    out = x[:, np.maximum(rmap, 0)[:, None], np.maximum(cmap, 0)[None, :]]
    out[:, rmap < 0, :] = pad_value
    out[:, :, cmap < 0] = pad_value
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
