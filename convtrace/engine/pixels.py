"""Pixel layout and value range, in one pass each.

Images arrive interleaved (H, W, C) as integers and the engine filters
(C, H, W) arrays; these routines convert between the two without the extra
passes that NumPy's transpose, multiply, nan_to_num, rint, clip and astype
would each make (and without their full-size temporaries).  The
three-channel case is written out so LLVM sees constant strides.
"""

from __future__ import annotations

import numpy as np

from convtrace.engine.config import jit, jit_inline

CLIP, ABS, NORMALIZE = 0, 1, 2


@jit
def planar(pixels, out):
    """The first C channels of (H, W, ≥C) integers into ``out``, (C, H, W) of ``out``'s dtype (float32, or
    the pixels' own): an RGB image Pillow stores in four bytes a pixel is read where it lies."""
    height, width = pixels.shape[0], pixels.shape[1]
    channels = out.shape[0]
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


@jit_inline
def _value(s, scale):
    """A sum times the kernel's scale, as the float32 an image result holds."""
    return np.float32(s * scale)


@jit_inline
def _clipped(v, maxval):
    """rint(v) within 0…maxval; NaN gives 0 (as np.nan_to_num would, before clipping)."""
    r = np.rint(v)
    r = r if r > 0 else np.float32(0.0)
    return r if r < maxval else maxval


@jit_inline
def _finite(v, maxval):
    """NaN as 0, +inf as maxval, -inf as 0 (np.nan_to_num's choices for an image)."""
    if v != v or v == -np.inf:
        return np.float32(0.0)
    return maxval if v == np.inf else v


@jit
def _range(sums, scale, maxval):
    lo = np.float64(np.inf)
    hi = np.float64(-np.inf)
    for c in range(sums.shape[0]):
        for i in range(sums.shape[1]):
            line = sums[c, i]
            for j in range(line.shape[0]):
                v = np.float64(_finite(_value(line[j], scale), maxval))
                lo = min(lo, v)
                hi = max(hi, v)
    return lo, hi


@jit
def _integer_range(sums, scale, maxval):
    """:func:`_range` of integer sums: their least and greatest, then those two converted.  The
    conversion (× scale in float64, to float32) never decreases or, for a negative scale, never
    increases, so the extremes land on the ends; an integer min–max loop is vectorised, a float one
    (NaN to respect) is not."""
    s = sums.reshape(-1)
    if s.size == 0:
        return np.float64(np.inf), np.float64(-np.inf)
    least = s[0]
    greatest = s[0]
    for q in range(s.size):
        least = min(least, s[q])
        greatest = max(greatest, s[q])
    a = np.float64(_finite(_value(least, scale), maxval))
    b = np.float64(_finite(_value(greatest, scale), maxval))
    return min(a, b), max(a, b)


@jit_inline
def _converted(sums, out, convert, params):
    """``out`` (H, W, C) = ``convert(v, params)`` of every value of ``sums`` (C, H, W), both C-contiguous.

    Flat arrays and unsigned offsets, with the three channels of a pixel stored in one loop body:
    so LLVM vectorises the loop for one or three channels, interleaving the stores (a row at a time
    through views, each channel on its own, it stayed scalar: 5–9× slower).
    """
    one = np.uint64(1)
    three = np.uint64(3)
    s = sums.reshape(-1)
    o = out.reshape(-1)
    channels = np.uint64(sums.shape[0])
    plane = np.uint64(sums.shape[1]) * np.uint64(sums.shape[2])
    if channels == three:
        two_planes = plane + plane
        for q in range(plane):
            k = three * q
            o[k] = convert(s[q], params)
            o[k + one] = convert(s[plane + q], params)
            o[k + one + one] = convert(s[two_planes + q], params)
    else:
        for c in range(channels):
            first = c * plane
            for q in range(plane):
                o[q * channels + c] = convert(s[first + q], params)
    return out


@jit_inline
def _clip_value(v, params):
    scale, maxval = params
    return _clipped(_value(v, scale), maxval)


@jit_inline
def _clip_integer(v, params):
    maxval = params[0]
    r = v if v < maxval else maxval
    return r if r > 0 else maxval - maxval


@jit_inline
def _absolute_integer(v, params):
    maxval = params[0]
    r = v if v > 0 else -v  # the most negative integer stays negative: past maxval, as its true |v| is
    return r if maxval > r >= 0 else maxval


@jit_inline
def _absolute_value(v, params):
    scale, maxval = params
    f = _value(v, scale)
    return _clipped(abs(f) if f > -np.inf else np.float32(0.0), maxval)


@jit_inline
def _stretched_value(v, params):
    scale, maxval, lo, stretch = params
    f = np.float64(_finite(_value(v, scale), maxval))
    return min(max(np.rint((f - lo) * stretch), 0.0), np.float64(maxval))


@jit
def _clipped_pixels(sums, scale, maxval, out):
    return _converted(sums, out, _clip_value, (scale, maxval))


@jit
def _clipped_integers(sums, maxval, out):
    # Integer sums with no scale: clipping them is what rounding and clipping float32(sum) gives
    # (a sum past float32's 2**24 clips to maxval either way), without the float round trip.
    return _converted(sums, out, _clip_integer, (maxval,))


@jit
def _absolute_integers(sums, maxval, out):
    # As _clipped_integers: |sum| clipped, what rounding and clipping float32(|sum|) gives.
    return _converted(sums, out, _absolute_integer, (maxval,))


@jit
def _absolute_pixels(sums, scale, maxval, out):
    return _converted(sums, out, _absolute_value, (scale, maxval))


@jit
def _stretched_pixels(sums, scale, maxval, lo, hi, out):
    stretch = np.float64(maxval) / (hi - lo) if hi > lo else 0.0
    return _converted(sums, out, _stretched_value, (scale, maxval, lo, stretch))


_BY_MODE = {CLIP: _clipped_pixels, ABS: _absolute_pixels}


def interleaved_pixels(sums, scale, mode, maxval, out):
    """(C, H, W) sums into ``out`` (H, W, C) integer pixels 0…maxval, one pass.

    Each value is ``float32(sum × scale)`` (``scale`` 1 for results already scaled), NaN as 0 and
    ±inf as maxval or 0, then clipped, made absolute, or stretched min–max (``mode``); rounding is half
    to even, as np.rint.  ``maxval`` is a float32.  ``out`` must be C-contiguous (a fresh array); one or
    three channels convert in vectorised loops.  One compiled routine per mode, so a first run
    compiles only the one it uses.
    """
    if out.shape != sums.shape[1:] + sums.shape[:1] or not out.flags.c_contiguous:
        raise ValueError(f"out must be a C-contiguous array of shape {sums.shape[1:] + sums.shape[:1]}")
    sums = np.ascontiguousarray(sums)
    if mode in (CLIP, ABS) and sums.dtype.kind in "iu" and scale == 1:
        # Clipped in the sums' own integers where maxval is one of them (narrower vectors).
        bound = sums.dtype.type(maxval) if maxval <= np.iinfo(sums.dtype).max else np.int64(maxval)
        return (_clipped_integers if mode == CLIP else _absolute_integers)(sums, bound, out)
    if mode == NORMALIZE:
        lo, hi = (_integer_range if sums.dtype.kind in "iu" else _range)(sums, scale, maxval)
        return _stretched_pixels(sums, scale, maxval, lo, hi, out)
    return _BY_MODE[mode](sums, scale, maxval, out)
