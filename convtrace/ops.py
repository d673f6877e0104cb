"""The public operations: conv2d, pool2d and their traces.

Each wrapper checks and normalises its arguments (explaining mistakes in the
user's terms), hands clean arrays to :mod:`convtrace.engine`, and shapes the
result back.  No arithmetic on the data happens here beyond applying a
kernel's exact scale, which the bulk and traced paths share.
"""

from __future__ import annotations

import numbers
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import numpy as np

from convtrace import engine
from convtrace.errors import ConvtraceTypeError, ConvtraceValueError
from convtrace.i18n import Term
from convtrace.params import (
    SizeArithmetic,
    as_pair,
    kernel_extent_text,
    normalize_pad_mode,
    parse_padding,
    resolve_padding,
    size_arithmetic,
)

WHAT_INPUT = Term("what_input")
WHAT_KERNEL = Term("what_kernel")

POOL_MODES = ("max", "avg", "min", "sum")
_POOL_ALIASES = {"max": "max", "maximum": "max", "avg": "avg", "average": "avg", "mean": "avg",
                 "min": "min", "minimum": "min", "sum": "sum", "add": "sum"}


# --------------------------------------------------------------------------- arrays


def as_numeric_array(value: Any, what: str) -> np.ndarray:
    """``value`` as a real-valued ndarray, or an error saying what is wrong with it."""
    if hasattr(value, "weights") and hasattr(value, "scale"):
        value = value.weights
    try:
        arr = np.asarray(value)
    except ValueError as exc:
        if "inhomogeneous" in str(exc) or "sequence" in str(exc):
            raise ConvtraceValueError("ragged", what=what) from None
        raise ConvtraceTypeError("not_numeric", what=what, dtype=type(value).__name__) from None
    if arr.dtype.kind == "O":
        try:
            arr = arr.astype(np.float64)
        except (TypeError, ValueError):
            raise ConvtraceTypeError("not_numeric", what=what, dtype="object") from None
    if arr.dtype.kind == "c":
        raise ConvtraceTypeError("complex_values", what=what)
    if arr.dtype.kind not in "biuf":
        raise ConvtraceTypeError("not_numeric", what=what, dtype=str(arr.dtype))
    if arr.size == 0:
        raise ConvtraceValueError("empty", what=what, shape=arr.shape)
    if arr.dtype == np.uint64 and arr.max() > np.iinfo(np.int64).max:
        raise ConvtraceValueError("too_large_int", what=what, max=np.iinfo(np.int64).max)
    return arr


def _check_finite(arr: np.ndarray, what: str) -> None:
    if arr.dtype.kind == "f" and not np.isfinite(arr).all():
        where = tuple(int(i) for i in np.argwhere(~np.isfinite(arr))[0])
        raise ConvtraceValueError("non_finite", what=what, where=where)


def _as_channels(arr: np.ndarray, what: str) -> np.ndarray:
    """(H, W) / (W,) / (C, H, W) as (C, H, W)."""
    if arr.ndim == 1:
        return arr[None, None, :]
    if arr.ndim == 2:
        return arr[None]
    if arr.ndim == 3:
        return arr
    raise ConvtraceValueError("bad_ndim", what=what, ndim=arr.ndim, shape=arr.shape,
                              expected="(W,), (H, W) or (C, H, W)")


def _pad_value_is_integral(pad_value: Any) -> bool:
    return isinstance(pad_value, numbers.Integral) or float(pad_value).is_integer()


def compute_dtype(x: np.ndarray, w: np.ndarray | None = None, pad_value: Any = 0) -> np.dtype:
    """The dtype the engine computes in.

    Float inputs keep their precision (float16 is computed as float32), so an
    image in float32 stays float32.  Integer (and bool) inputs with an integer
    kernel and pad value are summed exactly in int64.  Integer inputs with a
    float kernel or pad value give float64.
    """
    if x.dtype.kind == "f":
        return np.dtype(np.float64) if x.dtype == np.float64 else np.dtype(np.float32)
    if (w is None or w.dtype.kind in "biu") and _pad_value_is_integral(pad_value):
        return np.dtype(np.int64)
    return np.dtype(np.float64)


def _check_pad_value(pad_value: Any) -> None:
    if isinstance(pad_value, bool) or not isinstance(pad_value, numbers.Real) or not np.isfinite(pad_value):
        raise ConvtraceValueError("bad_pad_value", value=pad_value)


# --------------------------------------------------------------------------- devices

DEVICES = ("cpu", "cuda", "auto")
#: Output values × taps from which "auto" sends work to the GPU (the transfer must pay off).
AUTO_GPU_WORK = 1 << 24


def gpu_available() -> bool:
    """Whether convtrace can run on a CUDA GPU here (numba-cuda and a device, or the simulator)."""
    from convtrace.engine import gpu

    return gpu.available()


def resolve_device(device: str, work: int) -> str:
    """'cpu' or 'cuda' for a job of ``work`` multiply-adds."""
    name = str(device).strip().lower()
    if name not in DEVICES:
        raise ConvtraceValueError("unknown_device", value=device, choices=", ".join(DEVICES))
    if name == "cpu":
        return "cpu"
    if name == "auto":
        return "cuda" if work >= AUTO_GPU_WORK and gpu_available() else "cpu"
    if not gpu_available():
        raise ConvtraceValueError("cuda_unavailable")
    return "cuda"


# --------------------------------------------------------------------------- convolution


@dataclass(frozen=True)
class ConvCall:
    """A checked convolution: everything the engine needs, plus how to shape the answer.

    ``prepare_conv2d`` makes one; ``run()`` computes the output and
    ``trace(cells)`` the output with every window's working.
    """

    x: np.ndarray            # (C, H, W), compute dtype, contiguous
    weights: np.ndarray      # (F, G, kh, kw), compute dtype, flipped if asked
    groups: int
    pads: tuple[int, int, int, int]
    pad_mode: str
    pad_value: Any
    stride: tuple[int, int]
    dilation: tuple[int, int]
    scale: Fraction
    squeeze: bool            # drop the leading map axis from the output
    rows: SizeArithmetic
    cols: SizeArithmetic
    params: dict

    source_input: Any = None
    source_kernel: Any = None

    def finish(self, out: np.ndarray) -> np.ndarray:
        out = apply_scale(out, self.scale)
        return out[0] if self.squeeze else out

    def _correlate(self, parallel=None, device="cpu") -> np.ndarray:
        return engine.correlate(self.x, self.weights, self.groups, self.pads, self.pad_mode, self.pad_value,
                                self.stride, self.dilation, parallel=parallel, device=device)

    def run(self, parallel: bool | None = None, device: str = "cpu") -> np.ndarray:
        """The output.  ``parallel=False`` keeps to the calling thread (for worker pools);
        ``device`` is 'cpu', 'cuda' or 'auto' (the GPU when there is one and the work is large)."""
        work = self.rows.size * self.cols.size * self.weights.shape[0] * self.weights[0].size
        return self.finish(self._correlate(parallel, resolve_device(device, work)))

    def trace(self, cells=None) -> ConvTrace:
        out3 = self._correlate()
        cell_idx = _cells_for(out3.shape, cells, self.squeeze)
        windows, products, totals = engine.trace_correlate_cells(
            self.x, self.weights, self.groups, self.pads, self.pad_mode, self.pad_value,
            self.stride, self.dilation, cell_idx)
        padded, mask = engine.padded(self.x, self.pads, self.pad_mode, self.pad_value)
        filters_per_group = self.weights.shape[0] // self.groups
        group_width = self.weights.shape[1]
        return ConvTrace(
            input=np.asarray(as_numeric_array(self.source_input, WHAT_INPUT)),
            kernel=as_numeric_array(self.source_kernel, WHAT_KERNEL),
            weights=self.weights, scale=self.scale, params=self.params,
            padded=padded, pad_mask=mask, output=self.finish(out3), cells=cell_idx,
            origins=cell_idx[:, 1:] * np.array(self.stride, dtype=np.int64),
            channels=(cell_idx[:, 0] // filters_per_group) * group_width,
            windows=windows, products=products, totals=totals,
            results=apply_scale(totals, self.scale), rows=self.rows, cols=self.cols, squeeze=self.squeeze,
        )


def apply_scale(values: np.ndarray, scale: Fraction) -> np.ndarray:
    """Multiply sums by a kernel's scale (1/9, 1/16 …), once, after exact summing."""
    if scale == 1:
        return values
    if values.dtype.kind == "f":
        return (values * values.dtype.type(float(scale))).astype(values.dtype, copy=False)
    return values * float(scale)


def prepare_conv2d(x, kernel, *, padding=0, pad_mode="zeros", pad_value=0, stride=1, dilation=1,
                   flip=False) -> ConvCall:
    """Check :func:`conv2d`'s arguments and resolve them (padding, modes, dtype) without computing."""
    scale = Fraction(1)
    if hasattr(kernel, "weights") and hasattr(kernel, "scale"):
        scale = Fraction(kernel.scale)
    xa = as_numeric_array(x, WHAT_INPUT)
    wa = as_numeric_array(kernel, WHAT_KERNEL)
    _check_finite(wa, WHAT_KERNEL)
    _check_pad_value(pad_value)
    x3 = _as_channels(xa, WHAT_INPUT)
    channels, height, width = x3.shape

    if wa.ndim == 1:
        wa = wa[None, :]
    if wa.ndim == 2:  # each channel filtered on its own
        w4 = np.broadcast_to(wa, (channels, 1) + wa.shape)
        groups, squeeze = channels, xa.ndim < 3
    elif wa.ndim in (3, 4):
        w4 = wa[None] if wa.ndim == 3 else wa
        if w4.shape[1] != channels:
            raise ConvtraceValueError("channel_mismatch", kc=w4.shape[1], c=channels)
        groups, squeeze = 1, wa.ndim == 3
    else:
        raise ConvtraceValueError("bad_ndim", what=WHAT_KERNEL, ndim=wa.ndim, shape=wa.shape,
                                  expected="(kh, kw), (C, kh, kw) or (F, C, kh, kw)")
    kh, kw = w4.shape[2], w4.shape[3]

    stride = as_pair(stride, "stride")
    dilation = as_pair(dilation, "dilation")
    mode = normalize_pad_mode(pad_mode)
    pads = resolve_padding(padding, (height, width), (kh, kw), stride, dilation)
    rows = size_arithmetic(height, kh, pads[0], pads[1], stride[0], dilation[0])
    cols = size_arithmetic(width, kw, pads[2], pads[3], stride[1], dilation[1])
    if rows.size < 1 or cols.size < 1:
        raise ConvtraceValueError(
            "kernel_too_large", kernel=kernel_extent_text(kh, kw, dilation),
            padded=f"{height + pads[0] + pads[1]}×{width + pads[2] + pads[3]}",
        )
    if mode == "reflect":
        for pad_amount, n, axis in ((max(pads[:2]), height, "axis_rows"), (max(pads[2:]), width, "axis_cols")):
            if pad_amount >= n:
                raise ConvtraceValueError("reflect_too_large", pad=pad_amount, n=n, axis=Term(axis),
                                          limit=n - 1)

    dtype = compute_dtype(xa, wa, pad_value if mode == "zeros" else 0)
    weights = w4[:, :, ::-1, ::-1] if flip else w4
    params = {
        "padding": parse_padding(padding), "pads": pads, "pad_mode": mode, "pad_value": pad_value,
        "stride": stride, "dilation": dilation, "flip": bool(flip),
    }
    return ConvCall(
        x=np.ascontiguousarray(x3, dtype=dtype),
        weights=np.ascontiguousarray(weights, dtype=dtype),
        groups=groups, pads=pads, pad_mode=mode, pad_value=pad_value if mode == "zeros" else 0,
        stride=stride, dilation=dilation, scale=scale, squeeze=squeeze, rows=rows, cols=cols,
        params=params, source_input=x, source_kernel=kernel,
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
    return prepare_conv2d(x, kernel, padding=padding, pad_mode=pad_mode, pad_value=pad_value, stride=stride,
                          dilation=dilation, flip=flip).run(device=device)


def correlate2d(x, kernel, **options):
    """Cross-correlation: :func:`conv2d` with ``flip=False`` (the default)."""
    return conv2d(x, kernel, flip=False, **options)


def convolve2d(x, kernel, **options):
    """True convolution (kernel flipped): :func:`conv2d` with ``flip=True``."""
    return conv2d(x, kernel, flip=True, **options)


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


@dataclass(frozen=True, eq=False)
class ConvTrace:
    """Every window of a convolution: values, products and sums, from the engine.

    ``output`` is what :func:`conv2d` returns for the same arguments, and each
    step's ``result`` is the output value at its index.
    """

    input: np.ndarray
    kernel: np.ndarray
    weights: np.ndarray          # (F, G, kh, kw) as applied
    scale: Fraction
    params: dict
    padded: np.ndarray           # (C, Hp, Wp)
    pad_mask: np.ndarray         # (Hp, Wp), True on padding cells
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
    op: str = "conv2d"

    def __len__(self) -> int:
        return len(self.cells)

    def __rich_console__(self, console, options):
        from convtrace.render.views import ConvTraceView

        yield ConvTraceView(self)

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
        )


def _cells_for(out_shape3: tuple[int, int, int], cells, squeeze: bool) -> np.ndarray:
    """Requested output cells as (N, 3) map/row/col indices (all cells if None)."""
    n_maps, n_rows, n_cols = out_shape3
    if cells is None:
        f, i, j = np.meshgrid(np.arange(n_maps), np.arange(n_rows), np.arange(n_cols), indexing="ij")
        return np.stack([f.ravel(), i.ravel(), j.ravel()], axis=1).astype(np.int64)
    shape = out_shape3[1:] if squeeze else out_shape3
    rows = []
    for cell in cells:
        try:
            idx = tuple(int(v) for v in cell)
        except (TypeError, ValueError):
            raise ConvtraceValueError("bad_cells", shape=shape, value=cell) from None
        if len(idx) == 2:
            idx = (0,) + idx
        if len(idx) != 3 or (squeeze and idx[0] != 0):
            raise ConvtraceValueError("bad_cells", shape=shape, value=cell)
        if not all(0 <= v < n for v, n in zip(idx, out_shape3, strict=True)):
            raise ConvtraceValueError("bad_cells", shape=shape, value=cell)
        rows.append(idx)
    return np.array(rows, dtype=np.int64).reshape(-1, 3)


def trace_conv2d(x, kernel, *, padding=0, pad_mode="zeros", pad_value=0, stride=1, dilation=1,
                 flip=False, cells=None) -> ConvTrace:
    """:func:`conv2d`, with every window's values, products and sum.

    ``cells``: output indices to trace, each (i, j) or (map, i, j); all
    cells when None.  The output matrix is always complete.
    """
    return prepare_conv2d(x, kernel, padding=padding, pad_mode=pad_mode, pad_value=pad_value, stride=stride,
                          dilation=dilation, flip=flip).trace(cells)


# --------------------------------------------------------------------------- pooling


@dataclass(frozen=True)
class PoolCall:
    """A checked pooling; ``run()`` computes it, ``trace(cells)`` shows its working."""

    x: np.ndarray
    size: tuple[int, int]
    stride: tuple[int, int]
    dilation: tuple[int, int]
    pads: tuple[int, int, int, int]
    mode: str
    ceil_mode: bool
    count_include_pad: bool
    rows: SizeArithmetic
    cols: SizeArithmetic
    squeeze: bool
    params: dict
    source_input: Any = None

    def _pool(self, parallel=None, device="cpu") -> np.ndarray:
        return engine.pool(self.x, self.size, self.pads, self.stride, self.dilation, self.mode,
                           self.rows.size, self.cols.size, self.count_include_pad, parallel=parallel,
                           device=device)

    def run(self, parallel: bool | None = None, device: str = "cpu") -> np.ndarray:
        """The output.  ``parallel=False`` keeps to the calling thread (for worker pools);
        ``device`` is 'cpu', 'cuda' or 'auto' (the GPU when there is one and the work is large)."""
        work = self.x.shape[0] * self.rows.size * self.cols.size * self.size[0] * self.size[1]
        out = self._pool(parallel, resolve_device(device, work))
        return out[0] if self.squeeze else out

    def trace(self, cells=None) -> PoolTrace:
        out3 = self._pool()
        cell_idx = _cells_for(out3.shape, cells, self.squeeze)
        windows, inside, winners, totals, divisors, results = engine.trace_pool_cells(
            self.x, self.size, self.pads, self.stride, self.dilation, self.mode,
            self.rows.size, self.cols.size, self.count_include_pad, cell_idx)
        return PoolTrace(
            input=as_numeric_array(self.source_input, WHAT_INPUT), params=self.params,
            output=out3[0] if self.squeeze else out3, cells=cell_idx,
            origins=cell_idx[:, 1:] * np.array(self.stride, dtype=np.int64),
            windows=windows, inside=inside, winners=winners, totals=totals, divisors=divisors,
            results=results, rows=self.rows, cols=self.cols, squeeze=self.squeeze,
        )


def normalize_pool_mode(mode: str) -> str:
    key = str(mode).strip().lower()
    if key not in _POOL_ALIASES:
        raise ConvtraceValueError("unknown_pool_mode", value=mode, choices=", ".join(POOL_MODES))
    return _POOL_ALIASES[key]


def prepare_pool2d(x, size, *, stride=None, mode="max", padding=0, ceil_mode=False, count_include_pad=True,
                   dilation=1) -> PoolCall:
    """Check :func:`pool2d`'s arguments and resolve them without computing."""
    xa = as_numeric_array(x, WHAT_INPUT)
    x3 = _as_channels(xa, WHAT_INPUT)
    _, height, width = x3.shape
    mode = normalize_pool_mode(mode)
    if isinstance(size, str) and size.strip().lower() == "global":
        size_hw = (height, width)
    else:
        size_hw = as_pair(size, "size")
    stride_hw = size_hw if stride is None else as_pair(stride, "stride")
    dilation_hw = as_pair(dilation, "dilation")
    pads = resolve_padding(padding, (height, width), size_hw, stride_hw, dilation_hw)
    for pad_amount, k, axis in ((pads[0], size_hw[0], "axis_rows"), (pads[1], size_hw[0], "axis_rows"),
                                (pads[2], size_hw[1], "axis_cols"), (pads[3], size_hw[1], "axis_cols")):
        if pad_amount > k // 2:
            raise ConvtraceValueError("pool_pad_too_large", pad=pad_amount, size=k, axis=Term(axis),
                                      limit=k // 2)
    rows = size_arithmetic(height, size_hw[0], pads[0], pads[1], stride_hw[0], dilation_hw[0], ceil_mode)
    cols = size_arithmetic(width, size_hw[1], pads[2], pads[3], stride_hw[1], dilation_hw[1], ceil_mode)
    if rows.size < 1 or cols.size < 1:
        raise ConvtraceValueError(
            "kernel_too_large", kernel=kernel_extent_text(size_hw[0], size_hw[1], dilation_hw),
            padded=f"{height + pads[0] + pads[1]}×{width + pads[2] + pads[3]}",
        )
    dtype = compute_dtype(xa)
    if mode in ("max", "min") and dtype.kind != "f":
        for arith, axis in ((rows, "axis_rows"), (cols, "axis_cols")):
            if _has_empty_window(arith):
                raise ConvtraceValueError("pool_window_empty", axis=Term(axis))
    params = {"size": size_hw, "stride": stride_hw, "padding": parse_padding(padding), "pads": pads,
              "mode": mode, "ceil_mode": bool(ceil_mode), "count_include_pad": bool(count_include_pad),
              "dilation": dilation_hw}
    return PoolCall(np.ascontiguousarray(x3, dtype=dtype), size_hw, stride_hw, dilation_hw, pads, mode,
                    bool(ceil_mode), bool(count_include_pad), rows, cols, xa.ndim < 3, params, source_input=x)


def _has_empty_window(arith: SizeArithmetic) -> bool:
    for o in range(arith.size):
        start = o * arith.stride - arith.pad_before
        if not any(0 <= start + t * arith.dilation < arith.n for t in range(arith.k)):
            return True
    return False


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
    return prepare_pool2d(x, size, stride=stride, mode=mode, padding=padding, ceil_mode=ceil_mode,
                          count_include_pad=count_include_pad, dilation=dilation).run(device=device)


@dataclass(frozen=True)
class PoolStep:
    """One output cell of a traced pooling."""

    out_index: tuple[int, ...]
    origin: tuple[int, int]          # window's top-left in padded coordinates
    window: np.ndarray               # (kh, kw) values (0 where padding)
    inside: np.ndarray               # (kh, kw) True where the cell is in the input
    winner: tuple[int, int] | None   # (a, b) within the window, for max/min
    total: Any                       # sum of the cells (avg/sum)
    divisor: int                     # what the average divides by (1 otherwise)
    result: Any


@dataclass(frozen=True, eq=False)
class PoolTrace:
    """Every pooling window, which cell won or the sum and divisor, from the engine."""

    input: np.ndarray
    params: dict
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
    op: str = "pool2d"

    def __len__(self) -> int:
        return len(self.cells)

    def __rich_console__(self, console, options):
        from convtrace.render.views import PoolTraceView

        yield PoolTraceView(self)

    @property
    def mode(self) -> str:
        return self.params["mode"]

    @property
    def steps(self) -> list[PoolStep]:
        return [self.step(n) for n in range(len(self))]

    def step(self, n: int) -> PoolStep:
        c, i, j = (int(v) for v in self.cells[n])
        a, b = (int(v) for v in self.winners[n])
        return PoolStep(
            out_index=(i, j) if self.squeeze else (c, i, j),
            origin=(int(self.origins[n, 0]), int(self.origins[n, 1])),
            window=self.windows[n], inside=self.inside[n],
            winner=(a, b) if a >= 0 else None,
            total=self.totals[n].item(), divisor=int(self.divisors[n]), result=self.results[n].item(),
        )


def trace_pool2d(x, size, *, stride=None, mode="max", padding=0, ceil_mode=False, count_include_pad=True,
                 dilation=1, cells=None) -> PoolTrace:
    """:func:`pool2d`, with every window, its winner or its sum and divisor."""
    return prepare_pool2d(x, size, stride=stride, mode=mode, padding=padding, ceil_mode=ceil_mode,
                          count_include_pad=count_include_pad, dilation=dilation).trace(cells)
