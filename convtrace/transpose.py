"""Transposed convolution ("deconvolution"), with PyTorch's semantics, run and traced by the engine.

Weights are (C_in, C_out, kh, kw) as ``torch.nn.functional.conv_transpose2d``
takes them; a 2-D kernel goes with a 2-D input.  The output size is, per axis,

    H_out = (H − 1)·s − 2·p + d·(k − 1) + output_padding + 1

(Dumoulin & Visin, "A guide to convolution arithmetic", the transposed
relationships).  Two views of the same numbers:

* scatter: each input cell times the whole kernel, added into the output at
  (i·s − p + a·d, j·s − p + b·d);
* gather: an ordinary correlation (stride 1, dilation d) of the flipped
  kernel over the input with s − 1 zeros stuffed between its cells and
  d·(k − 1) − p zeros around it (plus output_padding at the bottom/right).

Integers stay exact (int64); the trace's totals equal the bulk output bit for bit.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from convtrace.arrays import (
    WHAT_INPUT,
    WHAT_KERNEL,
    as_numeric_array,
    bad_cells,
    check_finite,
    compute_dtype,
    max_abs,
)
from convtrace.engine import transpose as tengine
from convtrace.errors import ConvtraceValueError
from convtrace.limits import INT64_MAX, check_parts, check_work
from convtrace.messages import Term
from convtrace.messages.arrays import BAD_NDIM, CONV_INT_OVERFLOW
from convtrace.messages.network import (
    HINT_TCONV,
    TCONV_CHANNELS,
    TCONV_EMPTY,
    TCONV_OUTPUT_PADDING,
    WHAT_TCONV,
    WHAT_TCONV_TRACE,
)
from convtrace.messages.params import (
    PART_CELLS,
    PART_INPUT,
    PART_OUTPUT,
    PART_WEIGHTS,
    PART_WINDOWS,
)
from convtrace.params import as_pair


@dataclass(frozen=True)
class TConvSpec:
    """Settings of a transposed convolution, checked once (any spelling: ``stride="2x2"``)."""

    stride: Any = 1
    padding: Any = 0
    output_padding: Any = 0
    dilation: Any = 1

    def __post_init__(self) -> None:
        set_ = object.__setattr__
        set_(self, "stride", as_pair(self.stride, "stride"))
        set_(self, "dilation", as_pair(self.dilation, "dilation"))
        set_(self, "padding", as_pair(self.padding, "padding", minimum=0))
        set_(self, "output_padding", as_pair(self.output_padding, "output_padding", minimum=0))
        for axis in range(2):
            limit = max(self.stride[axis], self.dilation[axis])
            if self.output_padding[axis] >= limit:
                raise ConvtraceValueError(TCONV_OUTPUT_PADDING, value=self.output_padding[axis],
                                          stride=self.stride[axis], dilation=self.dilation[axis], limit=limit)

    def to_dict(self) -> dict:
        return {"stride": list(self.stride), "padding": list(self.padding),
                "output_padding": list(self.output_padding), "dilation": list(self.dilation)}


@dataclass(frozen=True)
class TSize:
    """One axis's size arithmetic: H_out = (n − 1)·s − 2·p + d·(k − 1) + op + 1."""

    n: int
    k: int
    stride: int
    padding: int
    output_padding: int
    dilation: int

    @property
    def size(self) -> int:
        return (self.n - 1) * self.stride - 2 * self.padding + self.dilation * (self.k - 1) + self.output_padding + 1

    @property
    def full(self) -> int:
        """Length before cropping the padding: every tap of every input cell, plus output_padding."""
        return (self.n - 1) * self.stride + self.dilation * (self.k - 1) + 1 + self.output_padding

    @property
    def stuffed(self) -> int:
        """The input with stride − 1 zeros between neighbours."""
        return (self.n - 1) * self.stride + 1

    @property
    def gather_pad(self) -> tuple[int, int]:
        """Zeros around the stuffed input in the gather view (negative: rows cropped)."""
        edge = self.dilation * (self.k - 1) - self.padding
        return edge, edge + self.output_padding

    def formula(self) -> str:
        return (f"({self.n} − 1)·{self.stride} − 2·{self.padding} + {self.dilation}·({self.k} − 1) "
                f"+ {self.output_padding} + 1 = {self.size}")

    def to_dict(self) -> dict:
        return {"n": self.n, "k": self.k, "stride": self.stride, "padding": self.padding,
                "output_padding": self.output_padding, "dilation": self.dilation, "size": self.size,
                "formula": self.formula(), "stuffed": self.stuffed, "gather_pad": list(self.gather_pad)}


@dataclass(frozen=True, eq=False)
class ConvTranspose2d:
    """A checked transposed convolution."""

    spec: TConvSpec
    x: np.ndarray          # (C_in, H, W), compute dtype
    weights: np.ndarray    # (C_in, C_out, kh, kw), compute dtype
    squeeze: bool          # 2-D input and kernel: drop the map axis
    rows: TSize
    cols: TSize
    source_input: Any = None
    source_kernel: Any = None

    @property
    def out_shape3(self) -> tuple[int, int, int]:
        return (self.weights.shape[1], self.rows.size, self.cols.size)

    def _full(self, parallel=None) -> np.ndarray:
        return tengine.scatter(self.x, self.weights, self.spec.stride, self.spec.dilation,
                               (self.weights.shape[1], self.rows.full, self.cols.full), parallel)

    def _crop(self, full: np.ndarray) -> np.ndarray:
        ph, pw = self.spec.padding
        out = np.ascontiguousarray(full[:, ph:ph + self.rows.size, pw:pw + self.cols.size])
        return out[0] if self.squeeze else out

    def run(self, parallel: bool | None = None) -> np.ndarray:
        return self._crop(self._full(parallel))

    def trace(self, cells=None) -> TConvTrace:
        """The output with both views of ``cells`` (each (i, j) or (map, i, j); all when None)."""
        cell_idx = _cells(cells, self.out_shape3, self.squeeze)
        n = len(cell_idx)
        c_in, _, kh, kw = self.weights.shape
        check_parts(Term(WHAT_TCONV_TRACE), [
            (Term(PART_OUTPUT), (self.weights.shape[1], self.rows.full, self.cols.full), self.x.dtype.itemsize),
            (Term(PART_CELLS), (n, 3), 8),
            (Term(PART_WINDOWS), (3 * n, c_in, kh, kw), self.x.dtype.itemsize),
        ], Term(HINT_TCONV))
        output = self.run(parallel=False)
        windows, real, products, totals = tengine.trace_cells(self.x, self.weights, self.spec.stride,
                                                              self.spec.dilation, self.spec.padding, cell_idx)
        return TConvTrace(operation=self, output=output, cells=cell_idx, windows=windows, real=real,
                          products=products, totals=totals,
                          flipped=np.ascontiguousarray(self.weights[:, :, ::-1, ::-1]))

    def stuffed_input(self) -> tuple[np.ndarray, np.ndarray]:
        """(C_in, Hs, Ws) the gather view's input: zeros stuffed between cells and around them
        (rows/cols cropped where d·(k−1) − p is negative), and a mask of the real input cells."""
        c_in, height, width = self.x.shape
        (st, sb), (sl, sr) = self.rows.gather_pad, self.cols.gather_pad
        sh, sw = self.spec.stride
        hs, ws = self.rows.stuffed, self.cols.stuffed
        big = np.zeros((c_in, hs + max(st, 0) + max(sb, 0), ws + max(sl, 0) + max(sr, 0)), dtype=self.x.dtype)
        mask = np.zeros(big.shape[1:], dtype=bool)
        r0, c0 = max(st, 0), max(sl, 0)
        big[:, r0:r0 + hs:sh, c0:c0 + ws:sw] = self.x
        mask[r0:r0 + hs:sh, c0:c0 + ws:sw] = True
        rows = slice(-min(st, 0), big.shape[1] + min(sb, 0))
        cols = slice(-min(sl, 0), big.shape[2] + min(sr, 0))
        return big[:, rows, cols], mask[rows, cols]


@dataclass(frozen=True)
class TConvStep:
    """One output cell in both views."""

    out_index: tuple[int, ...]
    out_map: int
    window: np.ndarray      # (C_in, kh, kw) stuffed, padded input under the flipped kernel
    real: np.ndarray        # (C_in, kh, kw) True where the window reads a real input cell
    weights: np.ndarray     # (C_in, kh, kw) flipped kernel for this output map
    products: np.ndarray    # (C_in, kh, kw)
    result: Any
    #: scatter view: (c, i, j, a, b, x, w, product) for every input cell that reaches this output cell
    contributions: tuple[tuple, ...]


@dataclass(frozen=True, eq=False)
class TConvTrace:
    operation: ConvTranspose2d
    output: np.ndarray
    cells: np.ndarray       # (N, 3)
    windows: np.ndarray     # (N, C_in, kh, kw)
    real: np.ndarray
    products: np.ndarray
    totals: np.ndarray      # (N,), equal to the output at the cells, bit for bit
    flipped: np.ndarray     # (C_in, C_out, kh, kw)

    @property
    def spec(self) -> TConvSpec:
        return self.operation.spec

    def __len__(self) -> int:
        return len(self.cells)

    @property
    def steps(self) -> list[TConvStep]:
        return [self.step(n) for n in range(len(self))]

    def step(self, n: int) -> TConvStep:
        op = self.operation
        co, oi, oj = (int(v) for v in self.cells[n])
        (sh, sw), (dh, dw), (ph, pw) = op.spec.stride, op.spec.dilation, op.spec.padding
        kh, kw = op.weights.shape[2:]
        contributions = []
        for c, fa, fb in zip(*np.nonzero(self.real[n]), strict=True):
            a, b = kh - 1 - int(fa), kw - 1 - int(fb)
            i, j = (oi + ph - a * dh) // sh, (oj + pw - b * dw) // sw
            contributions.append((int(c), i, j, a, b, self.windows[n, c, fa, fb].item(),
                                  op.weights[c, co, a, b].item(), self.products[n, c, fa, fb].item()))
        return TConvStep(out_index=(oi, oj) if op.squeeze else (co, oi, oj), out_map=co,
                         window=self.windows[n], real=self.real[n], weights=self.flipped[:, co],
                         products=self.products[n], result=self.totals[n].item(),
                         contributions=tuple(contributions))

    def scatter_block(self, c: int, i: int, j: int, out_map: int = 0) -> tuple[np.ndarray, int, int]:
        """x[c, i, j] times kernel (c, out_map): the block it adds, and where its top-left lands in the
        output (row, col; may be negative or past the edge where padding crops it; dilation spreads taps)."""
        op = self.operation
        block = op.x[c, i, j] * op.weights[c, out_map]
        return block, i * op.spec.stride[0] - op.spec.padding[0], j * op.spec.stride[1] - op.spec.padding[1]


def _cells(cells, out_shape3, squeeze) -> np.ndarray:
    n_maps, n_rows, n_cols = out_shape3
    shape = out_shape3[1:] if squeeze else out_shape3
    if cells is None:
        f, i, j = np.meshgrid(np.arange(n_maps), np.arange(n_rows), np.arange(n_cols), indexing="ij")
        return np.stack([f.ravel(), i.ravel(), j.ravel()], axis=1).astype(np.int64)
    rows = []
    try:
        items = list(cells)
    except TypeError:
        raise bad_cells(shape, cells) from None
    for cell in items:
        try:
            idx = tuple(int(v) for v in cell)
        except (TypeError, ValueError):
            raise bad_cells(shape, cell) from None
        if len(idx) == 2:
            idx = (0,) + idx
        if len(idx) != 3 or (squeeze and idx[0] != 0) or not all(
                0 <= v < m for v, m in zip(idx, out_shape3, strict=True)):
            raise bad_cells(shape, cell)
        rows.append(idx)
    return np.array(rows, dtype=np.int64).reshape(-1, 3)


def prepare_conv_transpose2d(x, w, spec: TConvSpec | None = None, **options) -> ConvTranspose2d:
    """Check a transposed convolution and resolve its sizes without computing."""
    spec = spec if spec is not None else TConvSpec(**options)
    xa = as_numeric_array(x, WHAT_INPUT)
    wa = as_numeric_array(w, WHAT_KERNEL)
    check_finite(xa, WHAT_INPUT)
    check_finite(wa, WHAT_KERNEL)
    if xa.ndim == 2 and wa.ndim == 2:
        x3, w4, squeeze = xa[None], wa[None, None], True
    elif xa.ndim in (2, 3) and wa.ndim == 4:
        x3 = xa[None] if xa.ndim == 2 else xa
        w4, squeeze = wa, False
        if w4.shape[0] != x3.shape[0]:
            raise ConvtraceValueError(TCONV_CHANNELS, kc=w4.shape[0], c=x3.shape[0])
    elif xa.ndim not in (2, 3):
        raise ConvtraceValueError(BAD_NDIM, what=WHAT_INPUT, ndim=xa.ndim, shape=xa.shape,
                                  expected="(H, W) or (C_in, H, W)")
    else:
        raise ConvtraceValueError(BAD_NDIM, what=WHAT_KERNEL, ndim=wa.ndim, shape=wa.shape,
                                  expected="(kh, kw) for a 2-D input, or (C_in, C_out, kh, kw)")
    c_in, height, width = x3.shape
    c_out, kh, kw = w4.shape[1:]
    rows = TSize(height, kh, spec.stride[0], spec.padding[0], spec.output_padding[0], spec.dilation[0])
    cols = TSize(width, kw, spec.stride[1], spec.padding[1], spec.output_padding[1], spec.dilation[1])
    if rows.size < 1 or cols.size < 1:
        raise ConvtraceValueError(TCONV_EMPTY, rows=rows.formula(), cols=cols.formula())
    dtype = compute_dtype(xa, wa)
    check_parts(Term(WHAT_TCONV), [
        (Term(PART_INPUT), x3.shape, dtype.itemsize),
        (Term(PART_WEIGHTS), w4.shape, dtype.itemsize),
        (Term(PART_OUTPUT), (c_out, rows.full, cols.full), dtype.itemsize),
        (Term(PART_OUTPUT), (c_out, rows.size, cols.size), dtype.itemsize),
    ], Term(HINT_TCONV))
    check_work(x3.size * w4.shape[1] * kh * kw, Term(WHAT_TCONV), Term(HINT_TCONV))
    if dtype.kind == "i":
        xmax, wmax = max_abs(x3), max_abs(w4)
        wsum = wmax * c_in * kh * kw
        if xmax * wsum > INT64_MAX:  # the quick bound fails: sum each output map's |weights| exactly
            wsum = max(sum(abs(int(v)) for v in w4[:, co].ravel()) for co in range(c_out))
        if xmax * wsum > INT64_MAX:
            raise ConvtraceValueError(CONV_INT_OVERFLOW, bound=xmax * wsum, xmax=xmax, wsum=wsum, max=INT64_MAX)
    return ConvTranspose2d(spec=spec, x=np.ascontiguousarray(x3, dtype=dtype),
                           weights=np.ascontiguousarray(w4, dtype=dtype), squeeze=squeeze, rows=rows, cols=cols,
                           source_input=x, source_kernel=w)


def conv_transpose2d(x, w, *, stride=1, padding=0, output_padding=0, dilation=1):
    """Transposed convolution as ``torch.nn.functional.conv_transpose2d`` (no bias, groups=1).

    ``x`` (H, W) with ``w`` (kh, kw) gives (H_out, W_out); ``x`` (C_in, H, W)
    (or (H, W) as one channel) with ``w`` (C_in, C_out, kh, kw) gives
    (C_out, H_out, W_out).  ``output_padding`` (< max(stride, dilation))
    adds rows/columns at the bottom/right.  Integers give exact int64.
    """
    spec = TConvSpec(stride=stride, padding=padding, output_padding=output_padding, dilation=dilation)
    return prepare_conv_transpose2d(x, w, spec).run()


def trace_conv_transpose2d(x, w, *, stride=1, padding=0, output_padding=0, dilation=1, cells=None) -> TConvTrace:
    """:func:`conv_transpose2d` with each output cell in both views (scatter and gather)."""
    spec = TConvSpec(stride=stride, padding=padding, output_padding=output_padding, dilation=dilation)
    return prepare_conv_transpose2d(x, w, spec).trace(cells)
