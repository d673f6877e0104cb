"""Pooling as an operation: checked once, then run or traced by the engine.

:func:`prepare_pool2d` turns an input and a :class:`PoolSpec` (or its
keywords) into a :class:`Pool2d`; ``run()`` gives the output and ``trace()``
a :class:`PoolTrace` holding every window, its winner or its sum, divisor and
why that divisor — all computed by the engine.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import numpy as np

from convtrace import convolution, engine
from convtrace.arrays import (
    WHAT_INPUT,
    as_cell_list,
    as_channels,
    as_numeric_array,
    cells_for,
    compute_dtype,
    max_abs,
    resolve_device,
)
from convtrace.convolution import TraceData, check_trace_memory, traced_neighbourhood, window_span
from convtrace.errors import ConvtraceValueError
from convtrace.limits import INT64_MAX, check_parts, check_work
from convtrace.messages import Term
from convtrace.messages.arrays import AXIS_COLS, AXIS_ROWS, POOL_INT_OVERFLOW
from convtrace.messages.params import (
    HINT_POOL,
    PART_INPUT,
    PART_OUTPUT,
    POOL_PAD_TOO_LARGE,
    POOL_WINDOW_EMPTY,
    WHAT_POOL,
    WHAT_POOL_TRACE,
    WINDOW_TOO_LARGE,
)
from convtrace.neighbourhood import output_region, pool_crop
from convtrace.params import SizeArithmetic, kernel_extent_text, resolved_padding, size_arithmetic
from convtrace.spec import PoolSpec, make_spec

#: Why an average divides by what it does (see :attr:`PoolStep.divisor_reason`).
DIVISOR_FULL, DIVISOR_INCLUDE, DIVISOR_EXCLUDE = "full", "include", "exclude"


@dataclass(frozen=True, eq=False)
class Pool2d:
    """A checked pooling; ``run()`` computes it, ``trace(cells)`` shows its working."""

    spec: PoolSpec
    source3: np.ndarray      # (C, H, W), the input as given (its own dtype; a view where it can be)
    dtype: np.dtype          # the compute dtype: int64, float32 or float64
    size: tuple[int, int]
    stride: tuple[int, int]
    pads: tuple[int, int, int, int]
    rows: SizeArithmetic
    cols: SizeArithmetic
    squeeze: bool
    source_input: Any = None
    #: Names of the input's channels ("R", "G", "B" for an image), for labels only; None: numbers.
    channel_names: tuple[str, ...] | None = None

    @cached_property
    def x(self) -> np.ndarray:
        """(C, H, W): the whole input in the compute dtype, contiguous; made when first needed."""
        return np.ascontiguousarray(self.source3, dtype=self.dtype)

    @property
    def x_shape(self) -> tuple[int, int, int]:
        """(C, H, W) of the input, without converting it."""
        return tuple(int(v) for v in self.source3.shape)

    @property
    def dilation(self) -> tuple[int, int]:
        return self.spec.dilation

    @property
    def mode(self) -> str:
        return self.spec.mode

    @property
    def params(self) -> dict:
        """The settings with window, stride and padding resolved, as exports and titles show them."""
        s = self.spec
        return {"size": self.size, "stride": self.stride, "padding": s.padding, "pads": self.pads,
                "mode": s.mode, "ceil_mode": s.ceil_mode, "count_include_pad": s.count_include_pad,
                "dilation": s.dilation}

    @property
    def out_shape3(self) -> tuple[int, int, int]:
        return (int(self.source3.shape[0]), self.rows.size, self.cols.size)

    def _pool(self, parallel=None, device="cpu") -> np.ndarray:
        s = self.spec
        return engine.pool(self.x, self.size, self.pads, self.stride, s.dilation, s.mode,
                           self.rows.size, self.cols.size, s.count_include_pad, parallel=parallel,
                           device=device)

    def run(self, parallel: bool | None = None, device: str = "cpu") -> np.ndarray:
        """The output.  ``parallel=False`` keeps to the calling thread (for worker pools);
        ``device`` is 'cpu', 'cuda' or 'auto' (the GPU when there is one and the work is large)."""
        outputs = self.x_shape[0] * self.rows.size * self.cols.size
        moved = (math.prod(self.x_shape) + outputs) * self.dtype.itemsize
        out = self._pool(parallel, resolve_device(device, outputs * self.size[0] * self.size[1], moved))
        return out[0] if self.squeeze else out

    def device_run(self, x, resident) -> object:
        """:meth:`run` on the GPU from ``x`` already there, the result kept there (see
        :meth:`convtrace.convolution.Conv2d.device_sums`)."""
        s = self.spec
        return engine.pool(x, self.size, self.pads, self.stride, s.dilation, s.mode, self.rows.size,
                           self.cols.size, s.count_include_pad, device="cuda", resident=resident)

    def trace(self, cells=None) -> PoolTrace:
        """The output with the working of ``cells`` (each (i, j) or (channel, i, j); all when None).

        As :meth:`Conv2d.trace <convtrace.convolution.Conv2d.trace>`: chosen cells of a large output keep
        only the output around them (``output_origin``), and of a large input only the input around them."""
        s = self.spec
        cells = as_cell_list(cells, self.out_shape3, self.squeeze)
        c, height, width = self.x_shape
        padded_shape = (c, height + self.pads[0] + self.pads[1], width + self.pads[2] + self.pads[3])
        itemsize = max(self.dtype.itemsize, 8)
        if cells is None or math.prod(self.out_shape3) <= convolution.WHOLE_OUTPUT_CELLS:
            check_trace_memory(Term(WHAT_POOL_TRACE), self.out_shape3, cells, self.size, padded_shape, itemsize)
            cell_idx = cells_for(self.out_shape3, cells, self.squeeze)
            x, pads, n_rows, n_cols, local, output_origin = self.x, self.pads, self.rows.size, self.cols.size, \
                cell_idx, (0, 0)
        else:
            cell_idx = cells_for(self.out_shape3, cells, self.squeeze)
            x, pads, (n_rows, n_cols), output_origin = self._crop(cell_idx)
            check_trace_memory(Term(WHAT_POOL_TRACE), (c, n_rows, n_cols), cells, self.size, (2,) + x.shape, itemsize)
            local = cell_idx - np.array([0, output_origin[0], output_origin[1]], dtype=np.int64)
        # The output there from the input there, with the padding that keeps each window's cells and divisor.
        out3 = engine.pool(x, self.size, pads, self.stride, s.dilation, s.mode, n_rows, n_cols, s.count_include_pad)
        windows, inside, winners, totals, divisors, results = engine.trace_pool_cells(
            x, self.size, pads, self.stride, s.dilation, s.mode, n_rows, n_cols, s.count_include_pad, local)
        # Padding is implicit in pooling; the view shows it as cells outside the input.
        origins = cell_idx[:, 1:] * np.array(self.stride, dtype=np.int64)
        padded, mask, padded_origin = traced_neighbourhood(self.source3, self.dtype, self.pads, "zeros", 0, origins,
                                                           window_span(self.size, s.dilation))
        return PoolTrace(
            operation=self, input=as_numeric_array(self.source_input, WHAT_INPUT),
            padded=padded, pad_mask=mask, padded_origin=padded_origin,
            output=out3[0] if self.squeeze else out3, cells=cell_idx,
            origins=origins,
            windows=windows, inside=inside, winners=winners, totals=totals, divisors=divisors,
            results=results, rows=self.rows, cols=self.cols, squeeze=self.squeeze, output_origin=output_origin,
        )

    def _crop(self, cells: np.ndarray):
        """(input part, its pads, (rows, cols) of output, output origin): the output rows and columns
        around ``cells`` and the part of the input (in the compute dtype) their windows read."""
        rows, cols = output_region(cells, self.out_shape3)
        top, bottom, left, right = self.pads
        (r0, r1), part_top, part_bottom = pool_crop(self.x_shape[1], top, bottom, self.size[0], self.stride[0],
                                                    self.spec.dilation[0], rows)
        (q0, q1), part_left, part_right = pool_crop(self.x_shape[2], left, right, self.size[1], self.stride[1],
                                                    self.spec.dilation[1], cols)
        x = np.ascontiguousarray(self.source3[:, r0:r1, q0:q1], dtype=self.dtype)
        return (x, (part_top, part_bottom, part_left, part_right), (rows[1] - rows[0], cols[1] - cols[0]),
                (rows[0], cols[0]))


@dataclass(frozen=True)
class PoolStep:
    """One output cell of a traced pooling."""

    out_index: tuple[int, ...]
    channel: int
    origin: tuple[int, int]          # window's top-left in padded coordinates
    window: np.ndarray               # (kh, kw) values (0 where padding)
    inside: np.ndarray               # (kh, kw) True where the cell is in the input
    winner: tuple[int, int] | None   # (a, b) within the window, for max/min
    total: Any                       # sum of the cells (avg/sum)
    divisor: int                     # what the average divides by (1 otherwise)
    divisor_reason: str              # DIVISOR_FULL, DIVISOR_INCLUDE or DIVISOR_EXCLUDE
    result: Any


@dataclass(frozen=True, eq=False)
class PoolTrace(TraceData):
    """Every pooling window, which cell won or the sum and divisor, from the engine.

    ``output`` is what :func:`pool2d` returns, or for chosen cells of a large output the rows and
    columns around them from ``output_origin`` (as :class:`~convtrace.convolution.ConvTrace`)."""

    operation: Pool2d
    input: np.ndarray
    #: The input with its implicit padding shown as 0, around the traced windows: padded[c, i - r0, j - q0]
    #: is padded row i, column j, with (r0, q0) = ``padded_origin``; all of it when small.
    padded: np.ndarray           # (C, rows, cols) from ``padded_origin``
    pad_mask: np.ndarray         # (Hp, Wp), True on padding cells: the full padded size
    output: np.ndarray
    cells: np.ndarray
    origins: np.ndarray
    windows: np.ndarray
    inside: np.ndarray
    winners: np.ndarray
    totals: np.ndarray
    divisors: np.ndarray
    results: np.ndarray
    rows: SizeArithmetic
    cols: SizeArithmetic
    squeeze: bool
    padded_origin: tuple[int, int] = (0, 0)   # (row, col) of padded[:, 0, 0] in the padded input
    output_origin: tuple[int, int] = (0, 0)   # (row, col) of output[..., 0, 0] in the whole output

    @property
    def mode(self) -> str:
        return self.spec.mode

    @property
    def steps(self) -> list[PoolStep]:
        return [self.step(n) for n in range(len(self))]

    def _divisor_reason(self, divisor: int) -> str:
        kh, kw = self.operation.size
        if not self.spec.count_include_pad:
            return DIVISOR_EXCLUDE
        return DIVISOR_FULL if divisor == kh * kw else DIVISOR_INCLUDE

    def step(self, n: int) -> PoolStep:
        c, i, j = (int(v) for v in self.cells[n])
        a, b = (int(v) for v in self.winners[n])
        divisor = int(self.divisors[n])
        return PoolStep(
            out_index=(i, j) if self.squeeze else (c, i, j), channel=c,
            origin=(int(self.origins[n, 0]), int(self.origins[n, 1])),
            window=self.windows[n], inside=self.inside[n],
            winner=(a, b) if a >= 0 else None,
            total=self.totals[n].item(), divisor=divisor, divisor_reason=self._divisor_reason(divisor),
            result=self.results[n].item(),
        )


def _has_empty_window(arith: SizeArithmetic) -> bool:
    for o in range(arith.size):
        start = o * arith.stride - arith.pad_before
        if not any(0 <= start + t * arith.dilation < arith.n for t in range(arith.k)):
            return True
    return False


def prepare_pool2d(x, size=None, spec: PoolSpec | None = None, *, channel_names=None, **options) -> Pool2d:
    """Check a pooling's input and settings and resolve them without computing.

    Settings come as a :class:`PoolSpec` or as its keywords (``size``,
    ``stride``, ``mode``, ``padding``, ``ceil_mode``, ``count_include_pad``,
    ``dilation``).  ``channel_names`` (e.g. ``("R", "G", "B")``) only labels the channels in traces.
    """
    if size is not None:
        options["size"] = size
    spec = make_spec(PoolSpec, spec, **options)
    xa = as_numeric_array(x, WHAT_INPUT)
    x3 = as_channels(xa, WHAT_INPUT)
    _, height, width = x3.shape
    size_hw = spec.window((height, width))
    stride_hw = spec.stride_for(size_hw)
    dilation_hw = spec.dilation
    pads = resolved_padding(spec.padding, (int(height), int(width)), size_hw, stride_hw, dilation_hw)
    for pad_amount, k, axis in ((pads[0], size_hw[0], AXIS_ROWS), (pads[1], size_hw[0], AXIS_ROWS),
                                (pads[2], size_hw[1], AXIS_COLS), (pads[3], size_hw[1], AXIS_COLS)):
        if pad_amount > k // 2:
            raise ConvtraceValueError(POOL_PAD_TOO_LARGE, pad=pad_amount, size=k, axis=Term(axis),
                                      limit=k // 2)
    rows = size_arithmetic(height, size_hw[0], pads[0], pads[1], stride_hw[0], dilation_hw[0], spec.ceil_mode)
    cols = size_arithmetic(width, size_hw[1], pads[2], pads[3], stride_hw[1], dilation_hw[1], spec.ceil_mode)
    if rows.size < 1 or cols.size < 1:
        raise ConvtraceValueError(
            WINDOW_TOO_LARGE, kernel=kernel_extent_text(size_hw[0], size_hw[1], dilation_hw),
            padded=f"{height + pads[0] + pads[1]}×{width + pads[2] + pads[3]}",
        )
    dtype = compute_dtype(xa)
    out_shape = (x3.shape[0], rows.size, cols.size)
    check_parts(Term(WHAT_POOL), [
        (Term(PART_INPUT), x3.shape, dtype.itemsize),
        (Term(PART_OUTPUT), out_shape, 8),
    ], Term(HINT_POOL))
    check_work(x3.shape[0] * rows.size * cols.size * size_hw[0] * size_hw[1] + rows.size * size_hw[0]
               + cols.size * size_hw[1], Term(WHAT_POOL), Term(HINT_POOL))
    if spec.mode == "sum" and dtype.kind == "i":
        taps = min(size_hw[0], height) * min(size_hw[1], width)
        xmax = max_abs(x3)
        if xmax * taps > INT64_MAX:
            raise ConvtraceValueError(POOL_INT_OVERFLOW, bound=xmax * taps, xmax=xmax, taps=taps, max=INT64_MAX)
    if spec.mode in ("max", "min") and dtype.kind != "f":
        for arith, axis in ((rows, AXIS_ROWS), (cols, AXIS_COLS)):
            if _has_empty_window(arith):
                raise ConvtraceValueError(POOL_WINDOW_EMPTY, axis=Term(axis))
    return Pool2d(spec, x3, dtype, size_hw, stride_hw, pads, rows, cols, xa.ndim < 3, source_input=x,
                  channel_names=None if channel_names is None else tuple(str(n) for n in channel_names))


def pool2d(x, size, *, stride=None, mode="max", padding=0, ceil_mode=False, count_include_pad=True,
           dilation=1, device="cpu"):
    """Pool each channel of ``x`` with ``size`` windows: max, avg, min or sum.

    Matches PyTorch's max_pool2d / avg_pool2d: ``stride`` defaults to
    ``size``; ``size='global'`` pools the whole map to one value; padding is
    at most half the window, padded cells never win a max (they act as -inf)
    and, with ``count_include_pad`` (the default), count in the average's
    divisor but add nothing to its sum; ``ceil_mode`` rounds the output size
    up but drops a window that would start inside the right padding.

    Integer inputs give exact int64 results for max, min and sum; averages
    are float64.  Float inputs keep their precision.  With dilation (which
    PyTorch's avg_pool2d lacks) an average window can miss the input
    entirely; with ``count_include_pad=False`` its value is NaN.  ``device`` as in
    :func:`conv2d`.
    """
    spec = make_spec(PoolSpec, size=size, stride=stride, mode=mode, padding=padding, ceil_mode=ceil_mode,
                     count_include_pad=count_include_pad, dilation=dilation)
    return prepare_pool2d(x, spec=spec).run(device=device)


def trace_pool2d(x, size, *, stride=None, mode="max", padding=0, ceil_mode=False, count_include_pad=True,
                 dilation=1, cells=None) -> PoolTrace:
    """:func:`pool2d`, with every window, its winner or its sum and divisor."""
    spec = PoolSpec(size=size, stride=stride, mode=mode, padding=padding, ceil_mode=ceil_mode,
                    count_include_pad=count_include_pad, dilation=dilation)
    return prepare_pool2d(x, spec=spec).trace(cells)
