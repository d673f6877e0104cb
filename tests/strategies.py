"""Hypothesis strategies for convolution and pooling problems, and independent references."""

from __future__ import annotations

import numpy as np
from hypothesis import assume
from hypothesis import strategies as st
from scipy import signal

from tests import naive

PAD_MODES = ("zeros", "reflect", "symmetric", "replicate", "circular")
DTYPES = (np.int64, np.float64, np.float32)


def arrays(draw, shape, dtype):
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    if np.dtype(dtype).kind == "f":
        return (rng.standard_normal(shape) * 4).astype(dtype)
    return rng.integers(-9, 10, size=shape).astype(dtype)


@st.composite
def conv_problems(draw, max_side=9, max_k=4, modes=PAD_MODES, dtypes=DTYPES):
    """A 2-D map, a kernel, padding, mode, stride and dilation that fit together."""
    dtype = draw(st.sampled_from(dtypes))
    height, width = draw(st.integers(1, max_side)), draw(st.integers(1, max_side))
    kh, kw = draw(st.integers(1, max_k)), draw(st.integers(1, max_k))
    stride = (draw(st.integers(1, 3)), draw(st.integers(1, 3)))
    dilation = (draw(st.integers(1, 3)), draw(st.integers(1, 3)))
    mode = draw(st.sampled_from(modes))
    pads = [draw(st.integers(0, 3)) for _ in range(4)]
    # Grow the bottom/right padding until the dilated kernel fits.
    pads[1] = max(pads[1], dilation[0] * (kh - 1) + 1 - height - pads[0])
    pads[3] = max(pads[3], dilation[1] * (kw - 1) + 1 - width - pads[2])
    if mode == "reflect":
        assume(max(pads[:2]) < height and max(pads[2:]) < width)
    pad_value = draw(st.integers(-3, 3)) if mode == "zeros" else 0
    x = arrays(draw, (height, width), dtype)
    w = arrays(draw, (kh, kw), dtype)
    return dict(x=x, w=w, pads=tuple(pads), mode=mode, pad_value=pad_value, stride=stride, dilation=dilation)


def dilate(w, dilation):
    """The kernel with (d - 1) zeros between taps: what dilation means."""
    kh, kw = w.shape
    out = np.zeros((dilation[0] * (kh - 1) + 1, dilation[1] * (kw - 1) + 1), dtype=w.dtype)
    out[:: dilation[0], :: dilation[1]] = w
    return out


def scipy_reference(x, w, pads, mode, pad_value, stride, dilation):
    """np.pad + scipy.signal.correlate2d('valid') with a dilated kernel, then subsampled."""
    xp = naive.pad(x, pads, mode, pad_value)
    full = signal.correlate2d(xp, dilate(w, dilation), mode="valid")
    return full[:: stride[0], :: stride[1]]


@st.composite
def pool_problems(draw, dtypes=(np.int64, np.float64, np.float32), max_dilation=3):
    dtype = draw(st.sampled_from(dtypes))
    height, width = draw(st.integers(1, 10)), draw(st.integers(1, 10))
    size = (draw(st.integers(1, 4)), draw(st.integers(1, 4)))
    stride = (draw(st.integers(1, 4)), draw(st.integers(1, 4)))
    dilation = (draw(st.integers(1, max_dilation)), draw(st.integers(1, max_dilation)))
    pad = (draw(st.integers(0, size[0] // 2)), draw(st.integers(0, size[1] // 2)))
    mode = draw(st.sampled_from(["max", "avg", "min", "sum"]))
    ceil_mode = draw(st.booleans())
    include = draw(st.booleans())
    span = (dilation[0] * (size[0] - 1) + 1, dilation[1] * (size[1] - 1) + 1)
    assume(height + 2 * pad[0] >= span[0] and width + 2 * pad[1] >= span[1])
    x = arrays(draw, (height, width), dtype)
    return dict(x=x, size=size, stride=stride, dilation=dilation, pad=pad, mode=mode, ceil_mode=ceil_mode,
                count_include_pad=include)


def has_empty_int_window(p):
    """Integer max/min cannot pool a window made only of padding (no -inf)."""
    ref = naive.pool(p["x"], p["size"], p["stride"], "max", (p["pad"][0],) * 2 + (p["pad"][1],) * 2,
                     p["ceil_mode"], True, p["dilation"])
    return np.isinf(ref).any()
