"""Convolution as an operation: checked once, then run or traced by the engine.

:func:`prepare_conv2d` turns an input, a kernel and a :class:`ConvSpec` (or
its keywords, in any spelling) into a :class:`Conv2d`: clean arrays for the
engine plus how to shape the answer.  ``run()`` gives the output; ``trace()``
gives a :class:`ConvTrace`, every number a renderer shows, computed by the
engine.  No arithmetic on the data happens here beyond applying a kernel's
exact scale, which the bulk and traced paths share.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import numpy as np

from convtrace import engine
from convtrace.arrays import (
    WHAT_INPUT,
    WHAT_KERNEL,
    as_cell_list,
    as_channels,
    as_numeric_array,
    cells_for,
    check_finite,
    compute_dtype,
    max_abs,
    resolve_device,
)
from convtrace.errors import ConvtraceValueError
from convtrace.limits import INT64_MAX, check_parts, check_work
from convtrace.messages import Term
from convtrace.messages.arrays import (
    AXIS_COLS,
    AXIS_ROWS,
    BAD_NDIM,
    CHANNEL_MISMATCH,
    CONV_INT_OVERFLOW,
    PAD_VALUE_TOO_LARGE,
)
from convtrace.messages.params import (
    HINT_CONV,
    HINT_TRACE,
    KERNEL_TOO_LARGE,
    PART_CELLS,
    PART_INPUT,
    PART_MAPS,
    PART_OUTPUT,
    PART_PADDED,
    PART_WEIGHTS,
    PART_WINDOWS,
    REFLECT_TOO_LARGE,
    WHAT_CONV,
    WHAT_CONV_TRACE,
)
from convtrace.params import SizeArithmetic, kernel_extent_text, resolve_padding, size_arithmetic
from convtrace.spec import ConvSpec, make_spec


def apply_scale(values: np.ndarray, scale: Fraction) -> np.ndarray:
    """Multiply sums by a kernel's scale (1/9, 1/16 …), once, after exact summing."""
    if scale == 1:
        return values
    if values.dtype.kind == "f":
        return (values * values.dtype.type(float(scale))).astype(values.dtype, copy=False)
    return values * float(scale)


@dataclass(frozen=True, eq=False)
class Conv2d:
    """A checked convolution: everything the engine needs, plus how to shape the answer."""

    spec: ConvSpec
    x: np.ndarray            # (C, H, W), compute dtype, contiguous
    weights: np.ndarray      # (F, G, kh, kw), compute dtype, flipped if asked
    groups: int
    pads: tuple[int, int, int, int]
    scale: Fraction
    squeeze: bool            # drop the leading map axis from the output
    rows: SizeArithmetic
    cols: SizeArithmetic
    source_input: Any = None
    source_kernel: Any = None
    #: Names of the input's channels ("R", "G", "B" for an image), for labels only; None: numbers.
    channel_names: tuple[str, ...] | None = None

    @property
    def params(self) -> dict:
        """The settings with the padding resolved, as exports and titles show them."""
        s = self.spec
        return {"padding": s.padding, "pads": self.pads, "pad_mode": s.pad_mode, "pad_value": s.pad_value,
                "stride": s.stride, "dilation": s.dilation, "flip": s.flip}

    @property
    def out_shape3(self) -> tuple[int, int, int]:
        return (self.weights.shape[0], self.rows.size, self.cols.size)

    def _finish(self, out: np.ndarray) -> np.ndarray:
        out = apply_scale(out, self.scale)
        return out[0] if self.squeeze else out

    def _correlate(self, parallel=None, device="cpu") -> np.ndarray:
        s = self.spec
        return engine.correlate(self.x, self.weights, self.groups, self.pads, s.pad_mode, s.constant,
                                s.stride, s.dilation, parallel=parallel, device=device)

    def run(self, parallel: bool | None = None, device: str = "cpu") -> np.ndarray:
        """The output.  ``parallel=False`` keeps to the calling thread (for worker pools);
        ``device`` is 'cpu', 'cuda' or 'auto' (the GPU when there is one and the work is large)."""
        work = self.rows.size * self.cols.size * self.weights.shape[0] * self.weights[0].size
        return self._finish(self._correlate(parallel, resolve_device(device, work)))

    def trace(self, cells=None) -> ConvTrace:
        """The output with the working of ``cells`` (each (i, j) or (map, i, j); all when None)."""
        s = self.spec
        cells = as_cell_list(cells, self.out_shape3, self.squeeze)
        hp, wp = self.x.shape[1] + self.pads[0] + self.pads[1], self.x.shape[2] + self.pads[2] + self.pads[3]
        check_trace_memory(Term(WHAT_CONV_TRACE), self.out_shape3, cells, self.weights.shape[1:],
                           (self.x.shape[0], hp, wp), self.x.dtype.itemsize)
        out3 = self._correlate()
        cell_idx = cells_for(out3.shape, cells, self.squeeze)
        windows, products, totals = engine.trace_correlate_cells(
            self.x, self.weights, self.groups, self.pads, s.pad_mode, s.constant, s.stride, s.dilation, cell_idx)
        origins = cell_idx[:, 1:] * np.array(s.stride, dtype=np.int64)
        group_width = self.weights.shape[1]
        channels = (cell_idx[:, 0] // (self.weights.shape[0] // self.groups)) * group_width
        padded, mask, padded_origin = traced_neighbourhood(
            self.x, self.pads, s.pad_mode, s.constant, origins, window_span(self.weights.shape[2:], s.dilation))
        given = self.weights[:, :, ::-1, ::-1] if s.flip else self.weights
        return ConvTrace(
            operation=self,
            input=np.asarray(as_numeric_array(self.source_input, WHAT_INPUT)),
            kernel=as_numeric_array(self.source_kernel, WHAT_KERNEL),
            weights=self.weights, given_weights=given, scale=self.scale,
            padded=padded, pad_mask=mask, output=self._finish(out3), cells=cell_idx,
            origins=origins, channels=channels, padded_origin=padded_origin,
            windows=windows, products=products, totals=totals,
            results=apply_scale(totals, self.scale), rows=self.rows, cols=self.cols, squeeze=self.squeeze,
            subtotals=_channel_subtotals(products),
        )


def _channel_subtotals(products: np.ndarray) -> np.ndarray:
    """(N, G): each window's products summed per input channel, left to right in row-major order."""
    flat = products.reshape(products.shape[0], products.shape[1], -1)
    acc = flat[:, :, 0].copy()
    for t in range(1, flat.shape[2]):
        acc = acc + flat[:, :, t]
    return acc


@dataclass(frozen=True)
class ConvStep:
    """One output cell of a traced convolution."""

    out_index: tuple[int, ...]       # (i, j) or (map, i, j), as in the output array
    origin: tuple[int, int]          # the window's top-left in the padded input
    channel: int                     # first input channel the window reads
    window: np.ndarray               # (G, kh, kw) input values under the kernel
    weights: np.ndarray              # (G, kh, kw) weights applied (flipped if flip)
    products: np.ndarray             # (G, kh, kw)
    total: Any                       # the sum of the products, before the scale
    result: Any                      # the output value (total × scale)
    subtotals: Any = None            # (G,) the products summed per input channel, or None
    bias: Any = None                 # the bias added to the sum, when the operation has one


class TraceData:
    """What every trace shares: its operation's settings, and the size of the padded input it shows."""

    @property
    def padded_shape(self) -> tuple[int, int, int]:
        """(C, Hp, Wp): the full padded input's size, of which ``padded`` may hold a part."""
        return (self.operation.x.shape[0],) + tuple(self.pad_mask.shape)

    @property
    def channel_names(self) -> tuple[str, ...] | None:
        return getattr(self.operation, "channel_names", None)

    @property
    def spec(self):
        return self.operation.spec

    @property
    def params(self) -> dict:
        return self.operation.params

    def __len__(self) -> int:
        return len(self.cells)


@dataclass(frozen=True, eq=False)
class ConvTrace(TraceData):
    """Every window of a convolution: values, products and sums, from the engine.

    ``output`` is what :func:`conv2d` returns for the same arguments, and each
    step's ``result`` is the output value at its index.
    """

    operation: Conv2d
    input: np.ndarray
    kernel: np.ndarray
    weights: np.ndarray          # (F, G, kh, kw) as applied
    given_weights: np.ndarray    # (F, G, kh, kw) as written (before a flip)
    scale: Fraction
    #: The padded input around the traced windows: padded[c, i - r0, j - q0] is the padded input at
    #: channel c, row i, column j, with (r0, q0) = ``padded_origin``; all of it when small.
    padded: np.ndarray           # (C, rows, cols) of the padded input, from ``padded_origin``
    pad_mask: np.ndarray         # (Hp, Wp), True on padding cells: the full padded size
    output: np.ndarray
    cells: np.ndarray            # (N, 3): map, row, col
    origins: np.ndarray          # (N, 2)
    channels: np.ndarray         # (N,)
    windows: np.ndarray          # (N, G, kh, kw)
    products: np.ndarray         # (N, G, kh, kw)
    totals: np.ndarray           # (N,)
    results: np.ndarray          # (N,)
    rows: SizeArithmetic
    cols: SizeArithmetic
    squeeze: bool
    subtotals: np.ndarray | None = None   # (N, G): products summed per input channel
    bias: Any = None                      # None: the convolution adds no bias
    padded_origin: tuple[int, int] = (0, 0)   # (row, col) of padded[:, 0, 0] in the padded input


    def _out_index(self, n: int) -> tuple[int, ...]:
        f, i, j = (int(v) for v in self.cells[n])
        return (i, j) if self.squeeze else (f, i, j)

    @property
    def steps(self) -> list[ConvStep]:
        return [self.step(n) for n in range(len(self))]

    def step(self, n: int) -> ConvStep:
        f = int(self.cells[n, 0])
        return ConvStep(
            out_index=self._out_index(n),
            origin=(int(self.origins[n, 0]), int(self.origins[n, 1])),
            channel=int(self.channels[n]),
            window=self.windows[n], weights=self.weights[f], products=self.products[n],
            total=self.totals[n].item(), result=self.results[n].item(),
            subtotals=None if self.subtotals is None else self.subtotals[n],
            bias=None if self.bias is None else np.asarray(self.bias).reshape(-1)[f].item(),
        )


#: Sum integer convolutions in int32 when the bound proves no overflow (max|x| × Σ|w| < 2**31).
#: ``engine.correlate`` accepts int32 arrays (checked: equal to int64 on a sharpen of uint8 values),
#: but results of integer inputs are int64 today (tests/test_conv.py asserts it), so the switch stays
#: off until outputs may be int32 (or the engine writes int32 sums into an int64 ``out=``).
INT32_PATH = False
INT32_LIMIT = 2**31 - 1


#: At most this many padded cells (channels × rows × columns), a trace keeps the whole padded input;
#: above it, only the part around the traced windows that a view shows (see :func:`traced_neighbourhood`).
WHOLE_PADDED_CELLS = 1 << 20

#: Rows and columns kept on each side of a traced window: at least what any view shows around it
#: (the terminal's ``STEP_SIDE`` 9, the pictures' ``MAX_SIDE`` 14, each ``max(side, span + 2)``).
VIEW_SIDE = 16


def window_span(size, dilation) -> tuple[int, int]:
    """Rows and columns a (dilated) window covers."""
    return (int(dilation[0]) * (int(size[0]) - 1) + 1, int(dilation[1]) * (int(size[1]) - 1) + 1)


def neighbourhood(n: int, starts: np.ndarray, span: int) -> tuple[int, int]:
    """[lo, hi) of the padded positions along one axis that the views of windows starting at ``starts``
    can show: each view holds ``max(VIEW_SIDE, span + 2)`` positions containing its window."""
    side = max(VIEW_SIDE, span + 2)
    lo = int(starts.min()) - side if len(starts) else 0
    hi = int(starts.max()) + span + side if len(starts) else 0
    return max(lo, 0), min(max(hi, 0), n)


def traced_neighbourhood(x, pads, pad_mode, constant, origins, span):
    """(padded, mask, origin): the padded input a trace shows, built through the engine's index maps.

    When the whole padded input has at most :data:`WHOLE_PADDED_CELLS` cells, all of it (origin
    (0, 0)), as before.  Otherwise every channel, but only the rows and columns around the traced
    windows that a step view can show: a 12-megapixel photo traced at one cell keeps a few hundred
    values instead of the whole padded copy.  ``mask`` is always the full (Hp, Wp) padding mask.
    """
    top, bottom, left, right = pads
    n_channels, height, width = x.shape
    hp, wp = height + top + bottom, width + left + right
    mask = np.ones((hp, wp), dtype=bool)
    mask[top:top + height, left:left + width] = False
    if n_channels * hp * wp <= WHOLE_PADDED_CELLS or len(origins) == 0:
        values, _ = engine.padded(x, pads, pad_mode, constant)
        return values, mask, (0, 0)
    r0, r1 = neighbourhood(hp, origins[:, 0], span[0])
    q0, q1 = neighbourhood(wp, origins[:, 1], span[1])
    code = engine.PAD_CODES[pad_mode]
    rmap = engine.index_map(height, top, bottom, code)[r0:r1]
    cmap = engine.index_map(width, left, right, code)[q0:q1]
    values = engine.pad(x, np.ascontiguousarray(rmap), np.ascontiguousarray(cmap), x.dtype.type(constant))
    return values, mask, (r0, q0)


def conv_memory_parts(x_shape, w_shape, pads, out_shape, itemsize: int) -> list:
    """What running a convolution allocates, as (name, shape, itemsize) for :func:`~convtrace.limits.check_parts`."""
    _, height, width = x_shape
    return [
        (Term(PART_INPUT), tuple(x_shape), itemsize),
        (Term(PART_WEIGHTS), tuple(w_shape), itemsize),
        (Term(PART_MAPS), (height + pads[0] + pads[1] + width + pads[2] + pads[3],), 8),
        (Term(PART_OUTPUT), tuple(out_shape), itemsize),
    ]


def check_trace_memory(what, out_shape3, cells, window_shape, padded_shape, itemsize: int) -> None:
    """Refuse a trace whose windows, products, padded input or cell list would pass the memory limit."""
    n = (out_shape3[0] * out_shape3[1] * out_shape3[2]) if cells is None else len(cells)
    window = tuple(int(v) for v in window_shape)
    check_parts(what, [
        (Term(PART_OUTPUT), tuple(out_shape3), itemsize),
        (Term(PART_CELLS), (n, 3 * 4), 8),                 # indices, meshgrid and origins
        (Term(PART_WINDOWS), (2 * n,) + window, itemsize),   # windows and products (or inside masks)
        (Term(PART_PADDED), tuple(padded_shape), itemsize + 1),
    ], Term(HINT_TRACE))


def _conv_int_bound(x3: np.ndarray, w4: np.ndarray, constant) -> tuple[int, int, int]:
    """(bound, max |x|, max Σ|w|): no integer sum of this convolution can exceed ``bound`` in magnitude."""
    xmax = max(max_abs(x3), abs(int(constant)))
    wmax = max_abs(w4)
    taps = w4[0].size
    if xmax * wmax * taps <= INT64_MAX:  # the quick answer, without summing the weights
        return xmax * wmax * taps, xmax, wmax * taps
    flat = w4.reshape(w4.shape[0], -1)
    filters = flat if flat.shape[0] <= 1 or w4.strides[0] != 0 else flat[:1]  # a broadcast 2-D kernel
    wsum = max(sum(abs(int(v)) for v in row) for row in filters)
    return xmax * wsum, xmax, wsum


def _check_pad_value(constant, dtype: np.dtype) -> None:
    limit = INT64_MAX if dtype.kind in "iu" else float(np.finfo(dtype).max)
    if abs(constant) > limit:
        raise ConvtraceValueError(PAD_VALUE_TOO_LARGE, value=constant, dtype=str(dtype), max=limit)


def _kernel_scale(kernel: Any) -> Fraction:
    if hasattr(kernel, "weights") and hasattr(kernel, "scale"):
        return Fraction(kernel.scale)
    return Fraction(1)


def prepare_conv2d(x, kernel, spec: ConvSpec | None = None, *, channel_names=None, **options) -> Conv2d:
    """Check a convolution's input, kernel and settings and resolve them without computing.

    Settings come as a :class:`ConvSpec` or as its keywords (``padding``,
    ``pad_mode``, ``pad_value``, ``stride``, ``dilation``, ``flip``).
    ``channel_names`` (e.g. ``("R", "G", "B")``) only labels the input's channels in traces.
    """
    spec = make_spec(ConvSpec, spec, **options)
    if isinstance(kernel, str):  # a library name: "sharpen", "gaussian-3", "enfocar" …
        from convtrace.kernel import named_kernel

        kernel = named_kernel(kernel)
    scale = _kernel_scale(kernel)
    xa = as_numeric_array(x, WHAT_INPUT)
    wa = as_numeric_array(kernel, WHAT_KERNEL)
    check_finite(wa, WHAT_KERNEL)
    x3 = as_channels(xa, WHAT_INPUT)
    channels, height, width = x3.shape

    if wa.ndim == 1:
        wa = wa[None, :]
    if wa.ndim == 2:  # each channel filtered on its own
        w4 = np.broadcast_to(wa, (channels, 1) + wa.shape)
        groups, squeeze = channels, xa.ndim < 3
    elif wa.ndim in (3, 4):
        w4 = wa[None] if wa.ndim == 3 else wa
        if w4.shape[1] != channels:
            raise ConvtraceValueError(CHANNEL_MISMATCH, kc=w4.shape[1], c=channels)
        groups, squeeze = 1, wa.ndim == 3
    else:
        raise ConvtraceValueError(BAD_NDIM, what=WHAT_KERNEL, ndim=wa.ndim, shape=wa.shape,
                                  expected="(kh, kw), (C, kh, kw) or (F, C, kh, kw)")
    kh, kw = w4.shape[2], w4.shape[3]

    stride, dilation = spec.stride, spec.dilation
    pads = resolve_padding(spec.padding, (height, width), (kh, kw), stride, dilation)
    rows = size_arithmetic(height, kh, pads[0], pads[1], stride[0], dilation[0])
    cols = size_arithmetic(width, kw, pads[2], pads[3], stride[1], dilation[1])
    if rows.size < 1 or cols.size < 1:
        raise ConvtraceValueError(
            KERNEL_TOO_LARGE, kernel=kernel_extent_text(kh, kw, dilation),
            padded=f"{height + pads[0] + pads[1]}×{width + pads[2] + pads[3]}",
        )
    if spec.pad_mode == "reflect":
        for pad_amount, n, axis in ((max(pads[:2]), height, AXIS_ROWS), (max(pads[2:]), width, AXIS_COLS)):
            if pad_amount >= n:
                raise ConvtraceValueError(REFLECT_TOO_LARGE, pad=pad_amount, n=n, axis=Term(axis),
                                          limit=n - 1)

    dtype = compute_dtype(xa, wa, spec.constant)
    n_filters, group_width = w4.shape[0], w4.shape[1]
    out_shape = (n_filters, rows.size, cols.size)
    check_parts(Term(WHAT_CONV), conv_memory_parts(x3.shape, w4.shape, pads, out_shape, dtype.itemsize),
                Term(HINT_CONV))
    check_work(n_filters * rows.size * cols.size * group_width * kh * kw, Term(WHAT_CONV), Term(HINT_CONV))
    if dtype.kind == "i":
        bound, xmax, wsum = _conv_int_bound(x3, w4, spec.constant)
        if bound > INT64_MAX:
            if scale == 1:
                raise ConvtraceValueError(CONV_INT_OVERFLOW, bound=bound, xmax=xmax, wsum=wsum, max=INT64_MAX)
            # A scaled kernel's answer is a float anyway: sum in float64 rather than wrap.
            dtype = np.dtype(np.float64)
        elif INT32_PATH and bound <= INT32_LIMIT:
            dtype = np.dtype(np.int32)
    _check_pad_value(spec.constant, dtype)
    weights = w4[:, :, ::-1, ::-1] if spec.flip else w4
    return Conv2d(
        spec=spec,
        x=np.ascontiguousarray(x3, dtype=dtype),
        weights=np.ascontiguousarray(weights, dtype=dtype),
        groups=groups, pads=pads, scale=scale, squeeze=squeeze, rows=rows, cols=cols,
        source_input=x, source_kernel=kernel,
        channel_names=None if channel_names is None else tuple(str(n) for n in channel_names),
    )


def conv2d(x, kernel, *, padding=0, pad_mode="zeros", pad_value=0, stride=1, dilation=1, flip=False,
           device="cpu"):
    """Slide ``kernel`` over ``x`` and sum the element-wise products at each stop.

    By default this is cross-correlation, what CNN layers (PyTorch's conv2d,
    Keras' Conv2D, OpenCV's filter2D) and the course slides compute.
    ``flip=True`` flips the kernel first: true mathematical convolution, as
    ``scipy.signal.convolve2d``.

    Shapes:
      - ``x``: (H, W), (C, H, W), or (W,) taken as a 1×W row.
      - ``kernel`` (kh, kw): filters each channel on its own (C, H', W'), as
        image editors do; (C, kh, kw): one CNN filter summed over the input's
        channels (H', W'); (F, C, kh, kw): F feature maps (F, H', W').

    ``padding``: an int, (ph, pw), (top, bottom, left, right), 'valid',
    'same' (H' = ceil(H / stride); an odd extra row/column goes at the
    bottom/right as in PyTorch and TensorFlow, also when ``flip=True``) or
    'full'.  ``pad_mode``: 'zeros' (the constant ``pad_value``), 'reflect'
    (d c b | a b c d: NumPy's and PyTorch's "reflect", SciPy ndimage's
    "mirror"), 'symmetric' (d c b a | a b c d: SciPy ndimage's "reflect"),
    'replicate' and 'circular'; other libraries' names are mapped, and
    "reflect" always has the NumPy meaning.

    Integer inputs with an integer kernel give exact int64 results; float
    inputs keep their precision (float32 stays float32).

    ``device``: 'cpu' (default), 'cuda' (an NVIDIA GPU through numba-cuda;
    integers exact, floats to float32 rounding) or 'auto' (the GPU when one is
    there and the work is large enough to pay for the transfer).
    """
    spec = ConvSpec(padding=padding, pad_mode=pad_mode, pad_value=pad_value, stride=stride, dilation=dilation,
                    flip=flip)
    return prepare_conv2d(x, kernel, spec).run(device=device)


def correlate2d(x, kernel, **options):
    """Cross-correlation: :func:`conv2d` with ``flip=False`` (the default)."""
    return conv2d(x, kernel, flip=False, **options)


def convolve2d(x, kernel, **options):
    """True convolution (kernel flipped): :func:`conv2d` with ``flip=True``."""
    return conv2d(x, kernel, flip=True, **options)


def trace_conv2d(x, kernel, *, padding=0, pad_mode="zeros", pad_value=0, stride=1, dilation=1,
                 flip=False, cells=None) -> ConvTrace:
    """:func:`conv2d`, with every window's values, products and sum.

    ``cells``: output indices to trace, each (i, j) or (map, i, j); all
    cells when None.  The output matrix is always complete.
    """
    spec = ConvSpec(padding=padding, pad_mode=pad_mode, pad_value=pad_value, stride=stride, dilation=dilation,
                    flip=flip)
    return prepare_conv2d(x, kernel, spec).trace(cells)
