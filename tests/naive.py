"""Slow, obvious reference implementations that every engine routine is compared with.

Plain Python loops over explicitly padded NumPy arrays; nothing clever.  They
follow PyTorch's definitions for pooling and NumPy's np.pad for border modes.
"""

from __future__ import annotations

import math

import numpy as np

NUMPY_PAD_MODE = {"zeros": "constant", "reflect": "reflect", "symmetric": "symmetric",
                  "replicate": "edge", "circular": "wrap"}


def pad(x2, pads, mode="zeros", value=0):
    top, bottom, left, right = pads
    kw = {"constant_values": value} if mode == "zeros" else {}
    return np.pad(x2, ((top, bottom), (left, right)), mode=NUMPY_PAD_MODE[mode], **kw)


def correlate(x2, w2, pads=(0, 0, 0, 0), mode="zeros", value=0, stride=(1, 1), dilation=(1, 1)):
    """Cross-correlation of one 2-D map with one 2-D kernel, as Python sums."""
    xp = pad(x2, pads, mode, value)
    kh, kw = w2.shape
    n_rows = (xp.shape[0] - dilation[0] * (kh - 1) - 1) // stride[0] + 1
    n_cols = (xp.shape[1] - dilation[1] * (kw - 1) - 1) // stride[1] + 1
    out = []
    for i in range(n_rows):
        row = []
        for j in range(n_cols):
            total = 0
            for a in range(kh):
                for b in range(kw):
                    total += w2[a, b] * xp[i * stride[0] + a * dilation[0], j * stride[1] + b * dilation[1]]
            row.append(total)
        out.append(row)
    return np.array(out)


def pool_size(n, k, before, after, stride, dilation, ceil_mode):
    span = dilation * (k - 1) + 1
    if ceil_mode:
        size = math.ceil((n + before + after - span) / stride) + 1
        if (size - 1) * stride >= n + before:
            size -= 1
    else:
        size = (n + before + after - span) // stride + 1
    return size


def pool(x2, size, stride, mode="max", pads=(0, 0, 0, 0), ceil_mode=False, count_include_pad=True,
         dilation=(1, 1)):
    """PyTorch-style pooling of one 2-D map, cell by cell."""
    height, width = x2.shape
    top, bottom, left, right = pads
    n_rows = pool_size(height, size[0], top, bottom, stride[0], dilation[0], ceil_mode)
    n_cols = pool_size(width, size[1], left, right, stride[1], dilation[1], ceil_mode)
    out = np.zeros((n_rows, n_cols))
    for i in range(n_rows):
        for j in range(n_cols):
            cells = []
            rows_in_pad_extent = 0
            cols_in_pad_extent = 0
            for a in range(size[0]):
                r = i * stride[0] - top + a * dilation[0]
                rows_in_pad_extent += r < height + bottom
                for b in range(size[1]):
                    c = j * stride[1] - left + b * dilation[1]
                    if a == 0:
                        cols_in_pad_extent += c < width + right
                    if 0 <= r < height and 0 <= c < width:
                        cells.append(x2[r, c])
            if mode == "max":
                out[i, j] = max(cells) if cells else -np.inf
            elif mode == "min":
                out[i, j] = min(cells) if cells else np.inf
            elif mode == "sum":
                out[i, j] = sum(cells)
            else:
                if count_include_pad:
                    divisor = rows_in_pad_extent * cols_in_pad_extent
                else:
                    divisor = len(cells)
                # A dilated window can miss the input entirely: the mean of nothing is NaN.
                out[i, j] = sum(cells) / divisor if divisor else np.nan
    return out


def conv_transpose(x3, w4, stride=(1, 1), padding=(0, 0), output_padding=(0, 0), dilation=(1, 1)):
    """Transposed convolution as PyTorch defines it, by scattering: x (C_in, H, W), w (C_in, C_out, kh, kw).

    Every input cell times the kernel is added into a full-size output, which
    is then cropped by ``padding`` on each side (output_padding extra at the end).
    Python integers (exact) for integer inputs.
    """
    c_in, height, width = x3.shape
    _, c_out, kh, kw = w4.shape
    full_h = (height - 1) * stride[0] + dilation[0] * (kh - 1) + 1 + output_padding[0]
    full_w = (width - 1) * stride[1] + dilation[1] * (kw - 1) + 1 + output_padding[1]
    full = [[[0 for _ in range(full_w)] for _ in range(full_h)] for _ in range(c_out)]
    for co in range(c_out):
        for ci in range(c_in):
            for i in range(height):
                for j in range(width):
                    for a in range(kh):
                        for b in range(kw):
                            full[co][i * stride[0] + a * dilation[0]][j * stride[1] + b * dilation[1]] += (
                                x3[ci, i, j].item() * w4[ci, co, a, b].item())
    out_h = full_h - 2 * padding[0]
    out_w = full_w - 2 * padding[1]
    return np.array([[row[padding[1]:padding[1] + out_w] for row in plane[padding[0]:padding[0] + out_h]]
                     for plane in full])
