"""Convolution as an operation: checked once, then run or traced by the engine.

:func:`prepare_conv2d` turns an input, a kernel and a :class:`ConvSpec` (or
its keywords, in any spelling) into a :class:`Conv2d`: clean arrays for the
engine plus how to shape the answer.  ``run()`` gives the output; ``trace()``
gives a :class:`ConvTrace`, every number a renderer shows, computed by the
engine.  No arithmetic on the data happens here beyond applying a kernel's
exact scale, which the bulk and traced paths share.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass
from fractions import Fraction
from functools import cached_property
from typing import Any

import numpy as np

from convtrace import engine
from convtrace.arrays import (
    INT32_LIMIT,
    WHAT_INPUT,
    WHAT_KERNEL,
    as_cell_list,
    as_channels,
    as_numeric_array,
    cells_for,
    check_finite,
    compute_dtype,
    conv_int_bound,
    dtype_sum_bound,
    filter_abs_sum,
    max_abs,
    resolve_device,
)
from convtrace.errors import ConvtraceValueError
from convtrace.limits import INT64_MAX, check_parts, check_work, parts_bytes
from convtrace.messages import Term
from convtrace.messages.arrays import (
    AXIS_COLS,
    AXIS_ROWS,
    BAD_NDIM,
    BAD_OUT,
    BAD_RESULT_DTYPE,
    CHANNEL_MISMATCH,
    CONV_INT_OVERFLOW,
    PAD_VALUE_TOO_LARGE,
    RESULT_NOT_INTEGER,
    RESULT_TOO_NARROW,
)
from convtrace.messages.params import (
    HINT_CONV,
    KERNEL_TOO_LARGE,
    PART_INPUT,
    PART_MAPS,
    PART_OUTPUT,
    PART_WEIGHTS,
    REFLECT_TOO_LARGE,
    WHAT_CONV,
    WHAT_CONV_TRACE,
)
from convtrace.neighbourhood import (
    VIEW_SIDE,
    TraceData,
    check_trace_memory,
    output_region,
    padded_part,
    window_span,
)
from convtrace.neighbourhood import traced_neighbourhood as _traced_neighbourhood
from convtrace.params import SizeArithmetic, kernel_extent_text, resolved_padding, size_arithmetic
from convtrace.spec import ConvSpec, make_spec

__all__ = ["VIEW_SIDE", "WHOLE_OUTPUT_CELLS", "WHOLE_PADDED_CELLS", "Conv2d", "ConvStep", "ConvTrace", "TraceData",
           "check_trace_memory", "conv2d", "convolve2d", "correlate2d", "prepare_conv2d", "trace_conv2d",
           "traced_neighbourhood", "window_span"]

#: At most this many padded cells (channels × rows × columns), a trace keeps the whole padded input;
#: above it, only the part around the traced windows that a view shows (see :func:`traced_neighbourhood`).
WHOLE_PADDED_CELLS = 1 << 20

#: At most this many output cells (maps × rows × columns), a trace of chosen cells computes and keeps the
#: whole output; above it, only the rows and columns around the traced cells that a view shows
#: (:func:`~convtrace.neighbourhood.output_region`), from ``output_origin`` (see :class:`ConvTrace`).
WHOLE_OUTPUT_CELLS = 1 << 20

#: Sum integer convolutions in int32 when the input is an integer type of at most 16 bits (an image) and
#: no sum can pass int32 whatever its values (see :func:`~convtrace.arrays.int32_exact`).
INT32_PATH = True


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
    source3: np.ndarray      # (C, H, W), the input as given (its own dtype; a view where it can be)
    dtype: np.dtype          # the compute dtype: int32, int64, float32 or float64
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
    #: A narrower exact result dtype asked for (int16, every sum proved to fit); None: the compute dtype's.
    result_dtype: np.dtype | None = None
    #: A narrower dtype the bulk loops may add in on the CPU, the result still of ``dtype``: int16 for an
    #: 8-bit image whose sums provably fit it (sharpen, Sobel …), from the dtypes; None: ``dtype``.
    sum_dtype: np.dtype | None = None

    @classmethod
    def _of(cls, **fields) -> Conv2d:
        """One made from all its fields at once (a frozen dataclass's ``__init__`` sets them one by one)."""
        op = object.__new__(cls)
        op.__dict__.update(fields)
        return op

    @cached_property
    def x(self) -> np.ndarray:
        """(C, H, W): the whole input in the compute dtype, contiguous; made when first needed (``run()``,
        a trace of a small input), so a trace of a photo converts only the rows and columns it reads."""
        return np.ascontiguousarray(self.source3, dtype=self.dtype)

    @property
    def x_shape(self) -> tuple[int, int, int]:
        """(C, H, W) of the input, without converting it."""
        return tuple(int(v) for v in self.source3.shape)

    @property
    def params(self) -> dict:
        """The settings with the padding resolved, as exports and titles show them."""
        s = self.spec
        return {"padding": s.padding, "pads": self.pads, "pad_mode": s.pad_mode, "pad_value": s.pad_value,
                "stride": s.stride, "dilation": s.dilation, "flip": s.flip}

    @property
    def out_shape3(self) -> tuple[int, int, int]:
        return (self.weights.shape[0], self.rows.size, self.cols.size)

    def _shaped(self, out3: np.ndarray) -> np.ndarray:
        """(F, H', W') as :meth:`run` returns it: the map axis dropped for one map of one 2-D input."""
        return out3[0] if self.squeeze else out3

    def _finish(self, out: np.ndarray) -> np.ndarray:
        return self._shaped(apply_scale(out, self.scale))

    def _input(self) -> np.ndarray:
        """The input for one run: ``x`` when a trace made it, else the input as given.  The engine reads
        an 8- or 16-bit image summed in int32 as it is (no int32 copy, in the bulk routines) and converts
        anything else to the compute dtype in a copy that is not kept."""
        cached = self.__dict__.get("x")
        return cached if cached is not None else self.source3

    def _correlate(self, parallel=None, device="cpu", out=None) -> np.ndarray:
        s = self.spec
        # Sums proved to fit int16 are made in int16 on the CPU, twice the values per vector instruction
        # (exact: no sum leaves the range); an int16 result asked for is stored as it is, with no int32 pass.
        cpu = device == "cpu"
        dtype = self.result_dtype if self.result_dtype is not None and cpu else self.dtype
        return engine.correlate(self._input(), self.weights, self.groups, self.pads, s.pad_mode, s.constant,
                                s.stride, s.dilation, parallel=parallel, out=out, device=device, dtype=dtype,
                                sums=self.sum_dtype if cpu else None)

    @property
    def out_shape(self) -> tuple[int, ...]:
        """The output's shape, as :meth:`run` returns it."""
        return self.out_shape3[1:] if self.squeeze else self.out_shape3

    @property
    def out_dtype(self) -> np.dtype:
        """The output's dtype: the compute dtype, or float64 for integer sums under a scale such as 1/16,
        or the narrower ``dtype=`` asked for (int16)."""
        if self.result_dtype is not None:
            return self.result_dtype
        return self.dtype if self.scale == 1 or self.dtype.kind == "f" else np.dtype(np.float64)

    def _device(self, device: str) -> str:
        if device == "cpu":
            return device
        outputs = self.rows.size * self.cols.size * self.weights.shape[0]
        moved = (self.source3.size + outputs) * self.dtype.itemsize
        return resolve_device(device, outputs * self.weights[0].size, moved)

    def run(self, parallel: bool | None = None, device: str = "cpu", out: np.ndarray | None = None) -> np.ndarray:
        """The output.  ``parallel=False`` keeps to the calling thread (for worker pools);
        ``device`` is 'cpu', 'cuda' or 'auto' (the GPU when there is one and the work is large).
        ``out``: a C-contiguous array of :attr:`out_shape` and :attr:`out_dtype` to fill and return
        instead of allocating (a video's frames, a batch of same-sized images)."""
        if out is None:
            if self.result_dtype is None:
                return self._finish(self._correlate(parallel, self._device(device)))
            out = np.empty(self.out_shape, dtype=self.result_dtype)
        self._check_out(out)
        out3 = out.reshape(self.out_shape3)
        if self.out_dtype == self.dtype or self.result_dtype is not None:  # a narrower dtype has no scale
            sums = self._correlate(parallel, self._device(device), out=out3)
            if self.scale != 1:
                np.multiply(sums, self.dtype.type(float(self.scale)), out=sums)
        else:
            np.multiply(self._correlate(parallel, self._device(device)), float(self.scale), out=out3)
        return out

    def sums(self, parallel: bool | None = None, device: str = "cpu") -> np.ndarray:
        """The output before the kernel's scale (the exact integer sums of a 1/16 kernel), shaped as
        :meth:`run`'s: an image path multiplies, rounds and clips in one pass, with no full-size
        float64 copy (``convtrace.io.images.pixels(sums, scale=op.scale)``)."""
        return self._shaped(self._correlate(parallel, self._device(device)))

    def device_sums(self, x, resident) -> object:
        """:meth:`sums` computed on the GPU from ``x``, this operation's input already sent there (a
        previous step's result, or the image as the engine reads it), and kept there in the calling
        thread's device buffer named ``resident``: a chain of steps sends an image once and brings
        back only its pixels (see ``convtrace.engine.gpu``)."""
        s = self.spec
        return engine.correlate(x, self.weights, self.groups, self.pads, s.pad_mode, s.constant, s.stride,
                                s.dilation, device="cuda", dtype=self.dtype, resident=resident)

    def _check_out(self, out) -> None:
        ok = (isinstance(out, np.ndarray) and out.shape == self.out_shape and out.dtype == self.out_dtype
              and out.flags.c_contiguous and out.flags.writeable and not np.shares_memory(out, self.source3))
        if not ok:
            got = (f"{type(out).__name__} {getattr(out, 'shape', '')} {getattr(out, 'dtype', '')}").strip()
            raise ConvtraceValueError(BAD_OUT, shape=self.out_shape, dtype=str(self.out_dtype), got=got)

    def trace(self, cells=None) -> ConvTrace:
        """The output with the working of ``cells`` (each (i, j) or (map, i, j); all when None).

        Past :data:`WHOLE_OUTPUT_CELLS` output cells, chosen cells keep only the output around them
        (``output_origin``); past :data:`WHOLE_PADDED_CELLS`, only the padded input around their windows."""
        s = self.spec
        cells = as_cell_list(cells, self.out_shape3, self.squeeze)
        span = window_span(self.weights.shape[2:], s.dilation)
        c, height, width = self.x_shape
        padded_shape = (c, height + self.pads[0] + self.pads[1], width + self.pads[2] + self.pads[3])
        whole = cells is None or math.prod(self.out_shape3) <= WHOLE_OUTPUT_CELLS
        if whole:
            check_trace_memory(Term(WHAT_CONV_TRACE), self.out_shape3, cells, self.weights.shape[1:], padded_shape,
                               self.dtype.itemsize)
            cell_idx = cells_for(self.out_shape3, cells, self.squeeze)
            out3 = self._correlate()
            windows, products, totals = engine.trace_correlate_cells(
                self.x, self.weights, self.groups, self.pads, s.pad_mode, s.constant, s.stride, s.dilation, cell_idx)
            output_origin = (0, 0)
        else:
            cell_idx = cells_for(self.out_shape3, cells, self.squeeze)
            rows, cols = output_region(cell_idx, self.out_shape3)
            kept = (self.out_shape3[0], rows[1] - rows[0], cols[1] - cols[0])
            part_rows = (rows[0] * s.stride[0], (rows[1] - 1) * s.stride[0] + span[0])
            part_cols = (cols[0] * s.stride[1], (cols[1] - 1) * s.stride[1] + span[1])
            check_trace_memory(Term(WHAT_CONV_TRACE), kept, cells, self.weights.shape[1:],
                               (2 * c, part_rows[1] - part_rows[0], part_cols[1] - part_cols[0]), self.dtype.itemsize)
            # The output there from the padded input there: each cell sums the same products in the same order.
            part = padded_part(self.source3, self.dtype, self.pads, s.pad_mode, s.constant, part_rows, part_cols)
            unpadded = (0, 0, 0, 0)
            out3 = engine.correlate(part, self.weights, self.groups, unpadded, "zeros", s.constant, s.stride,
                                    s.dilation)
            local = cell_idx - np.array([0, rows[0], cols[0]], dtype=np.int64)
            windows, products, totals = engine.trace_correlate_cells(
                part, self.weights, self.groups, unpadded, "zeros", s.constant, s.stride, s.dilation, local)
            output_origin = (rows[0], cols[0])
        origins = cell_idx[:, 1:] * np.array(s.stride, dtype=np.int64)
        group_width = self.weights.shape[1]
        channels = (cell_idx[:, 0] // (self.weights.shape[0] // self.groups)) * group_width
        padded, mask, padded_origin = traced_neighbourhood(
            self.source3, self.dtype, self.pads, s.pad_mode, s.constant, origins, span)
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
            subtotals=_channel_subtotals(products), output_origin=output_origin,
        )


def traced_neighbourhood(x3, dtype, pads, pad_mode, constant, origins, span):
    """:func:`convtrace.neighbourhood.traced_neighbourhood` under :data:`WHOLE_PADDED_CELLS` (read when called)."""
    return _traced_neighbourhood(x3, dtype, pads, pad_mode, constant, origins, span, WHOLE_PADDED_CELLS)


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


@dataclass(frozen=True, eq=False)
class ConvTrace(TraceData):
    """Every window of a convolution: values, products and sums, from the engine.

    ``output`` is what :func:`conv2d` returns for the same arguments, and each
    step's ``result`` is the output value at its index.  A trace of chosen cells of a large output
    (more than ``WHOLE_OUTPUT_CELLS``) keeps only the rows and columns around them, every map:
    ``output[..., i - r0, j - q0]`` is the output at row i, column j, with (r0, q0) = ``output_origin``;
    ``output_shape`` is the whole output's shape and :meth:`whole_output` computes all of it.
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
    output_origin: tuple[int, int] = (0, 0)   # (row, col) of output[..., 0, 0] in the whole output

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


_PART_TERMS = (Term(PART_INPUT), Term(PART_WEIGHTS), Term(PART_MAPS), Term(PART_OUTPUT))
_WHAT_CONV, _HINT_CONV = Term(WHAT_CONV), Term(HINT_CONV)


def conv_memory_parts(x_shape, w_shape, pads, out_shape, itemsize: int) -> list:
    """What running a convolution allocates, as (name, shape, itemsize) for :func:`~convtrace.limits.check_parts`."""
    _, height, width = x_shape
    return [
        (_PART_TERMS[0], tuple(x_shape), itemsize),
        (_PART_TERMS[1], tuple(w_shape), itemsize),
        (_PART_TERMS[2], (height + pads[0] + pads[1] + width + pads[2] + pads[3],), 8),
        (_PART_TERMS[3], tuple(out_shape), itemsize),
    ]


def _check_pad_value(constant, dtype: np.dtype) -> None:
    if constant == 0:
        return
    limit = INT64_MAX if dtype.kind in "iu" else float(np.finfo(dtype).max)
    if abs(constant) > limit:
        raise ConvtraceValueError(PAD_VALUE_TOO_LARGE, value=constant, dtype=str(dtype), max=limit)


_NO_SCALE = Fraction(1)


def _kernel_scale(kernel: Any) -> Fraction:
    if type(kernel) is not np.ndarray and hasattr(kernel, "weights") and hasattr(kernel, "scale"):
        return Fraction(kernel.scale)
    return _NO_SCALE


def prepare_conv2d(x, kernel, spec: ConvSpec | None = None, *, channel_names=None, dtype=None,
                   **options) -> Conv2d:
    """Check a convolution's input, kernel and settings and resolve them without computing.

    Settings come as a :class:`ConvSpec` or as its keywords (``padding``,
    ``pad_mode``, ``pad_value``, ``stride``, ``dilation``, ``flip``).
    ``channel_names`` (e.g. ``("R", "G", "B")``) only labels the input's channels in traces.
    ``dtype``: see :func:`conv2d`.
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
    shape = _conv_shape(x3.shape, xa.ndim, wa.shape, xa.dtype, wa.dtype, spec)
    check_parts(_WHAT_CONV, shape.memory_parts, _HINT_CONV, need=shape.memory_need)
    check_work(shape.work, _WHAT_CONV, _HINT_CONV)
    if wa.ndim < 3:  # each channel filtered on its own
        wa = wa.reshape(wa.shape[-2:] if wa.ndim == 2 else (1, wa.shape[0]))
        w4 = wa[None, None] if shape.groups == 1 else np.broadcast_to(wa, (shape.groups, 1) + wa.shape)
    else:
        w4 = wa[None] if wa.ndim == 3 else wa

    dtype_asked, dtype, sum_dtype = dtype, shape.dtype, None
    constant = spec.constant if any(shape.pads) else 0  # with no padding cells the pad value is never summed
    if dtype.kind == "i":
        bound = dtype_sum_bound(xa.dtype, w4, constant) if INT32_PATH else None  # from the dtypes
        if bound is not None and bound[0] <= INT32_LIMIT:  # no scan of the pixels
            dtype = np.dtype(np.int32)
            if xa.dtype.itemsize == 1 and bound[0] <= NARROW_LIMIT:
                sum_dtype = NARROW_RESULT
        else:
            bound, xmax, wsum = conv_int_bound(x3, w4, constant)
            if bound > INT64_MAX:
                if scale == 1:
                    raise ConvtraceValueError(CONV_INT_OVERFLOW, bound=bound, xmax=xmax, wsum=wsum, max=INT64_MAX)
                # A scaled kernel's answer is a float anyway: sum in float64 rather than wrap.
                dtype = np.dtype(np.float64)
        _check_pad_value(constant, dtype)
    result_dtype = None if dtype_asked is None else _result_dtype(dtype_asked, dtype, xa.dtype, x3, w4,
                                                                   constant, scale)
    weights = w4[:, :, ::-1, ::-1] if spec.flip else w4
    return Conv2d._of(
        spec=spec, source3=x3, dtype=dtype,
        weights=np.ascontiguousarray(weights, dtype=dtype),
        groups=shape.groups, pads=shape.pads, scale=scale, squeeze=shape.squeeze, rows=shape.rows,
        cols=shape.cols, source_input=x, source_kernel=kernel,
        channel_names=None if channel_names is None else tuple(str(n) for n in channel_names),
        result_dtype=result_dtype, sum_dtype=sum_dtype,
    )


@dataclass(frozen=True)
class _ConvShape:
    """What a convolution's shapes, dtypes and settings decide, whatever the values."""

    groups: int
    squeeze: bool
    pads: tuple[int, int, int, int]
    rows: SizeArithmetic
    cols: SizeArithmetic
    dtype: np.dtype                # the compute dtype before an integer input's bounds narrow it
    memory_parts: list
    memory_need: int               # the parts' bytes
    work: int


@functools.lru_cache(maxsize=64)
def _conv_shape(x3_shape, x_ndim, w_shape, x_dtype, w_dtype, spec: ConvSpec) -> _ConvShape:
    """Checks and arithmetic made once per shape: a loop over frames or same-sized images repeats
    only the checks of values (the kernel's, the memory limit's), about half a small call's time."""
    channels, height, width = x3_shape
    w_ndim = len(w_shape)
    if w_ndim in (1, 2):  # a row (1×kw), or a kernel filtering each channel on its own
        kh, kw = w_shape if w_ndim == 2 else (1, w_shape[0])
        w4_shape, groups, squeeze = (channels, 1, kh, kw), channels, x_ndim < 3
    elif w_ndim in (3, 4):
        w4_shape = (1,) + w_shape if w_ndim == 3 else w_shape
        if w4_shape[1] != channels:
            raise ConvtraceValueError(CHANNEL_MISMATCH, kc=w4_shape[1], c=channels)
        groups, squeeze = 1, w_ndim == 3
    else:
        raise ConvtraceValueError(BAD_NDIM, what=WHAT_KERNEL, ndim=w_ndim, shape=w_shape,
                                  expected="(kh, kw), (C, kh, kw) or (F, C, kh, kw)")
    n_filters, group_width, kh, kw = (int(v) for v in w4_shape)

    stride, dilation = spec.stride, spec.dilation
    pads = resolved_padding(spec.padding, (int(height), int(width)), (kh, kw), stride, dilation)
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

    dtype = compute_dtype(np.empty(0, x_dtype), np.empty(0, w_dtype), spec.constant)
    if dtype.kind != "i":  # an integer input's own dtype decides, after its bounds (see prepare_conv2d)
        _check_pad_value(spec.constant, dtype)
    out_shape = (n_filters, rows.size, cols.size)
    parts = conv_memory_parts(x3_shape, w4_shape, pads, out_shape, dtype.itemsize)
    return _ConvShape(groups=groups, squeeze=squeeze, pads=pads, rows=rows, cols=cols, dtype=dtype,
                      memory_parts=parts, memory_need=parts_bytes(parts), work=n_filters * rows.size * cols.size * group_width * kh * kw)


#: The narrower exact result a caller may ask for, and the largest |sum| it holds.
NARROW_RESULT = np.dtype(np.int16)
NARROW_LIMIT = int(np.iinfo(np.int16).max)


def _result_dtype(asked, dtype: np.dtype, x_dtype: np.dtype, x3, w4, constant, scale) -> np.dtype | None:
    """The result dtype ``dtype=`` asks for: None for the default, int16 when every sum is proved to
    fit it (from an 8- or 16-bit input's dtype, or else from the input's values), or a refusal."""
    default = dtype if scale == 1 or dtype.kind == "f" else np.dtype(np.float64)
    try:
        wanted = np.dtype(asked)
    except (TypeError, ValueError):
        raise ConvtraceValueError(BAD_RESULT_DTYPE, value=repr(asked), dtype=default.name) from None
    if wanted == default:
        return None
    if wanted != NARROW_RESULT:
        raise ConvtraceValueError(BAD_RESULT_DTYPE, value=wanted.name, dtype=default.name)
    if default.kind != "i":
        raise ConvtraceValueError(RESULT_NOT_INTEGER, dtype=default.name)
    bound = dtype_sum_bound(x_dtype, w4, constant)
    if bound is None:  # a wider input (Python integers): its values decide
        xmax = max(max_abs(x3), abs(int(constant)))
        wsum = filter_abs_sum(w4)
        bound = (xmax * wsum, xmax, wsum)
    if bound[0] > NARROW_LIMIT:
        raise ConvtraceValueError(RESULT_TOO_NARROW, bound=bound[0], xmax=bound[1], wsum=bound[2],
                                  dtype=default.name)
    return NARROW_RESULT


def conv2d(x, kernel, *, padding=0, pad_mode="zeros", pad_value=0, stride=1, dilation=1, flip=False,
           device="cpu", out=None, dtype=None):
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

    Integer inputs with an integer kernel give exact integer results: 8- and
    16-bit integer inputs (uint8, int8, uint16, int16: images) give exact int32
    results when the sums provably fit (the dtype's largest |value| × Σ|w| of
    a filter < 2**31, whatever the pixels), otherwise int64; Python lists,
    bool, int32 and int64 arrays give int64.  Float inputs keep their
    precision (float32 stays float32).

    ``device``: 'cpu' (default), 'cuda' (an NVIDIA GPU through numba-cuda;
    integers exact, floats to float32 rounding) or 'auto' (the GPU when one is
    there and the work is large enough to pay for the transfer).

    ``out``: an array to fill instead of allocating one (its shape and dtype
    must be the result's, as :class:`Conv2d`'s ``out_shape``/``out_dtype``
    say; C-contiguous, not sharing memory with ``x``); it is returned.

    ``dtype``: ``np.int16`` for exact results in half the memory of int32 (a
    photo's sharpened values: 32 MB instead of 64 for 4096²), as OpenCV's
    ``ddepth=CV_16S``; allowed only when every sum provably fits (an 8-bit
    image under a small integer kernel, from the dtypes alone), refused with
    the bound otherwise.  On the CPU the sums are made in int16 too (twice the values per vector
    instruction, and an 8-bit image read as it is): exact, since no sum can leave the range.
    """
    spec = make_spec(ConvSpec, padding=padding, pad_mode=pad_mode, pad_value=pad_value, stride=stride,
                     dilation=dilation, flip=flip)
    return prepare_conv2d(x, kernel, spec, dtype=dtype).run(device=device, out=out)


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
    cells when None.  The output matrix is complete, except for chosen cells
    of an output of more than ``WHOLE_OUTPUT_CELLS`` values (a photo): then it
    holds the rows and columns around them, from ``trace.output_origin``.
    """
    spec = ConvSpec(padding=padding, pad_mode=pad_mode, pad_value=pad_value, stride=stride, dilation=dilation,
                    flip=flip)
    return prepare_conv2d(x, kernel, spec).trace(cells)
