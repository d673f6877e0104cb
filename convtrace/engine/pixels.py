"""Pixel layout and value range, in one pass each.

Images arrive interleaved (H, W, C) as integers and the engine filters
(C, H, W) floats; these routines convert between the two without the extra
passes that NumPy's transpose, rint, clip and astype would each make.  The
three-channel case is written out so LLVM sees constant strides.
"""

from __future__ import annotations

import numpy as np

from convtrace.engine.config import jit

CLIP, ABS, NORMALIZE = 0, 1, 2


@jit
def planar_float32(pixels):
    """(H, W, C) integers as (C, H, W) float32."""
    height, width, channels = pixels.shape
    out = np.empty((channels, height, width), dtype=np.float32)
    for i in range(height):
        row = pixels[i]
        if channels == 3:
            r, g, b = out[0, i], out[1, i], out[2, i]
            for j in range(width):
                r[j] = row[j, 0]
                g[j] = row[j, 1]
                b[j] = row[j, 2]
        else:
            for c in range(channels):
                plane = out[c, i]
                for j in range(width):
                    plane[j] = row[j, c]
    return out


@jit
def _pixel(v, mode, lo, scale, maxval):
    if mode == ABS:
        v = abs(v)
    elif mode == NORMALIZE:
        v = (v - lo) * scale
    v = np.rint(v)
    return min(max(v, 0.0), maxval)


@jit
def interleaved_pixels(values, mode, maxval, out):
    """(C, H, W) floats into ``out`` (H, W, C) integers 0…maxval: clipped, absolute or stretched.

    Rounds half to even, as np.rint.
    """
    channels, height, width = values.shape
    lo = 0.0
    scale = 1.0
    if mode == NORMALIZE:
        lo = np.min(values)
        hi = np.max(values)
        scale = maxval / (hi - lo) if hi > lo else 0.0
    for i in range(height):
        row = out[i]
        if channels == 3:
            r, g, b = values[0, i], values[1, i], values[2, i]
            for j in range(width):
                row[j, 0] = _pixel(r[j], mode, lo, scale, maxval)
                row[j, 1] = _pixel(g[j], mode, lo, scale, maxval)
                row[j, 2] = _pixel(b[j], mode, lo, scale, maxval)
        else:
            for c in range(channels):
                plane = values[c, i]
                for j in range(width):
                    row[j, c] = _pixel(plane[j], mode, lo, scale, maxval)
    return out
