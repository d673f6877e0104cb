"""Checking and shaping arrays on their way into the engine, and choosing where it runs.

Every operation goes through these: a value becomes a real-valued ndarray or
an error in the user's terms, gets its channel axis, and is computed in one
exact dtype.
"""

from __future__ import annotations

import numbers
from typing import Any

import numpy as np

from convtrace.errors import ConvtraceTypeError, ConvtraceValueError
from convtrace.messages import Term
from convtrace.messages import arrays as array_messages
from convtrace.messages.arrays import (
    BAD_NDIM,
    COMPLEX_VALUES,
    EMPTY,
    NON_FINITE,
    NOT_NUMERIC,
    RAGGED,
    TOO_LARGE_INT,
)
from convtrace.messages.params import BAD_CELLS, CUDA_UNAVAILABLE, UNKNOWN_DEVICE
from convtrace.names import DEVICES

WHAT_INPUT = Term(array_messages.WHAT_INPUT)
WHAT_KERNEL = Term(array_messages.WHAT_KERNEL)


# --------------------------------------------------------------------------- arrays


def as_numeric_array(value: Any, what: str) -> np.ndarray:
    """``value`` as a real-valued ndarray, or an error saying what is wrong with it."""
    arr = value if type(value) is np.ndarray else _as_array(value, what)  # an array: no look-ups
    if arr.dtype.kind == "O":
        arr = _from_objects(arr, what)
    if arr.dtype.kind == "c":
        raise ConvtraceTypeError(COMPLEX_VALUES, what=what)
    if arr.dtype.kind not in "biuf":
        raise ConvtraceTypeError(NOT_NUMERIC, what=what, dtype=str(arr.dtype))
    if arr.size == 0:
        raise ConvtraceValueError(EMPTY, what=what, shape=arr.shape)
    if arr.dtype == np.uint64 and arr.max() > np.iinfo(np.int64).max:
        raise ConvtraceValueError(TOO_LARGE_INT, what=what, max=np.iinfo(np.int64).max)
    return arr


def _as_array(value: Any, what: str) -> np.ndarray:
    """Anything else as an ndarray: a library kernel's weights, nested lists, NumPy scalars …"""
    if hasattr(value, "weights") and hasattr(value, "scale"):
        value = value.weights
    try:
        arr = np.asarray(value)
    except ValueError as exc:
        if "inhomogeneous" in str(exc) or "sequence" in str(exc):
            raise ConvtraceValueError(RAGGED, what=what) from None
        raise ConvtraceTypeError(NOT_NUMERIC, what=what, dtype=type(value).__name__) from None
    except (TypeError, OverflowError, RecursionError):
        raise ConvtraceTypeError(NOT_NUMERIC, what=what, dtype=type(value).__name__) from None
    if arr.dtype.kind == "f" and isinstance(value, (list, tuple)):
        # NumPy makes [2**63, -1] float64: look for Python integers beyond int64 first.
        _from_objects(np.asarray(value, dtype=object), what)
    return arr


INT64_MIN, INT64_MAX = -(1 << 63), (1 << 63) - 1
INT32_LIMIT = (1 << 31) - 1


def _from_objects(arr: np.ndarray, what: str) -> np.ndarray:
    """An object array (Python ints beyond int64, Fractions, None …) as int64 or float64, or an error.

    Integers are never silently made floats: all-integer values that fit stay
    exact int64, and an integer beyond int64 is refused.
    """
    all_integers = True
    for v in arr.ravel():
        if isinstance(v, (bool, np.bool_)):
            continue
        if isinstance(v, numbers.Integral):
            if not INT64_MIN <= int(v) <= INT64_MAX:
                raise ConvtraceValueError(TOO_LARGE_INT, what=what, max=INT64_MAX)
            continue
        if isinstance(v, numbers.Complex) and not isinstance(v, numbers.Real):
            raise ConvtraceTypeError(COMPLEX_VALUES, what=what)
        if not isinstance(v, numbers.Real):
            raise ConvtraceTypeError(NOT_NUMERIC, what=what, dtype=type(v).__name__)
        all_integers = False
    try:
        return arr.astype(np.int64 if all_integers else np.float64)
    except (TypeError, ValueError, OverflowError):
        raise ConvtraceTypeError(NOT_NUMERIC, what=what, dtype="object") from None


def max_abs(arr: np.ndarray) -> int | float:
    """The largest |value| of ``arr`` as a Python number (exact for int64: no abs(-2**63) wrap)."""
    if arr.size == 0:
        return 0
    if arr.dtype.kind in "biu":
        return max(abs(int(arr.max())), abs(int(arr.min())))
    return float(np.max(np.abs(arr)))


def conv_int_bound(x3: np.ndarray, w4: np.ndarray, constant) -> tuple[int, int, int]:
    """(bound, max |x|, max Σ|w|): no integer sum of this convolution can exceed ``bound`` in magnitude."""
    xmax = max(max_abs(x3), abs(int(constant)))
    wmax = max_abs(w4)
    taps = w4[0].size
    if xmax * wmax * taps <= INT64_MAX:  # the quick answer, without summing the weights
        return xmax * wmax * taps, xmax, wmax * taps
    wsum = filter_abs_sum(w4)
    return xmax * wsum, xmax, wsum


def dtype_sum_bound(x_dtype: np.dtype, w4: np.ndarray, constant) -> tuple[int, int, int] | None:
    """(bound, max |x|, max Σ|w|) for every input of ``x_dtype``, an integer type of at most 16 bits
    (uint8, int8, uint16, int16): no sum can exceed ``bound`` in magnitude, whatever the values (so an
    image's output dtype never depends on its pixels).  None for other dtypes or past 2**31 − 1."""
    if x_dtype.kind not in "iu" or x_dtype.itemsize > 2:
        return None
    info = np.iinfo(x_dtype)
    xmax = max(-int(info.min), int(info.max), abs(int(constant)))
    if xmax * max_abs(w4) > INT32_LIMIT:
        return None
    wsum = filter_abs_sum(w4)
    return xmax * wsum, xmax, wsum


def filter_abs_sum(w4: np.ndarray) -> int:
    """The largest Σ|w| of one filter of integer weights (F, G, kh, kw), exactly."""
    flat = w4.reshape(w4.shape[0], -1)
    filters = flat if flat.shape[0] <= 1 or w4.strides[0] != 0 else flat[:1]  # a broadcast 2-D kernel
    if max_abs(w4) * flat.shape[1] <= INT64_MAX:
        return int(np.abs(filters.astype(np.int64)).sum(axis=1).max())
    return max(sum(abs(int(v)) for v in row) for row in filters)


def int32_exact(x_dtype: np.dtype, w4: np.ndarray, constant) -> bool:
    """Whether int32 sums are exact for every input of ``x_dtype`` (see :func:`dtype_sum_bound`)."""
    bound = dtype_sum_bound(x_dtype, w4, constant)
    return bound is not None and bound[0] <= INT32_LIMIT


def check_finite(arr: np.ndarray, what: str) -> None:
    if arr.dtype.kind == "f" and not np.isfinite(arr).all():
        where = tuple(int(i) for i in np.argwhere(~np.isfinite(arr))[0])
        raise ConvtraceValueError(NON_FINITE, what=what, where=where)


def as_channels(arr: np.ndarray, what: str) -> np.ndarray:
    """(H, W) / (W,) / (C, H, W) as (C, H, W)."""
    if arr.ndim == 1:
        return arr[None, None, :]
    if arr.ndim == 2:
        return arr[None]
    if arr.ndim == 3:
        return arr
    raise ConvtraceValueError(BAD_NDIM, what=what, ndim=arr.ndim, shape=arr.shape,
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


# --------------------------------------------------------------------------- devices

#: Output values × taps from which "auto" considers the GPU (below it, launching costs more than it saves).
AUTO_GPU_WORK = 1 << 24

#: Multiply-adds per byte moved to and from the GPU, per CPU thread, from which "auto" sends a job there.
#: The GPU's own time is negligible beside the transfer: a job costs about 0.12 ns per byte moved
#: (pageable host memory over PCIe, 6–12 GB/s), against about 0.1 ns per multiply-add on one CPU thread
#: (the bulk loops on this project's machine: 0.07 at 7×7, 0.12 at 3×3).  So a 3×3 float32 filter (9
#: multiply-adds per 8 bytes) stays on the CPU, and a 9×9 one goes to the GPU on a 2-thread machine but
#: not on a 16-thread one; pooling (a few adds per value) stays on the CPU.  An estimate, to be re-tuned
#: with ``benchmarks/bench_gpu.py`` on a GPU machine.
AUTO_GPU_WORK_PER_BYTE_PER_THREAD = 1.2


def gpu_available() -> bool:
    """Whether convtrace can run on a CUDA GPU here (numba-cuda and a device, or the simulator)."""
    from convtrace.engine import gpu

    return gpu.available()


def gpu_pays_off(work: int, moved_bytes: int | None, cpu_threads: int | None = None) -> bool:
    """Whether a job of ``work`` multiply-adds that moves ``moved_bytes`` to and from the GPU is faster
    there than on ``cpu_threads`` CPU threads (the engine's, by default); see the constants above."""
    if work < AUTO_GPU_WORK:
        return False
    if moved_bytes is None:
        return True
    if cpu_threads is None:
        from convtrace.engine.config import THREADS

        cpu_threads = THREADS
    return work >= AUTO_GPU_WORK_PER_BYTE_PER_THREAD * cpu_threads * moved_bytes


def resolve_device(device: str, work: int, moved_bytes: int | None = None) -> str:
    """'cpu' or 'cuda' for a job of ``work`` multiply-adds moving ``moved_bytes`` (input and output)."""
    name = str(device).strip().lower()
    if name not in DEVICES:
        raise ConvtraceValueError(UNKNOWN_DEVICE, value=device, choices=", ".join(DEVICES))
    if name == "cpu":
        return "cpu"
    if name == "auto":
        return "cuda" if gpu_pays_off(work, moved_bytes) and gpu_available() else "cpu"
    if not gpu_available():
        raise ConvtraceValueError(CUDA_UNAVAILABLE)
    return "cuda"


def bad_cells(shape: tuple[int, ...], value) -> ConvtraceValueError:
    """The error for cells outside an output of ``shape`` (or not cells at all), naming its first and
    last cell: a student reading "shape (1, 1), got (1, 1)" sees no mistake without "counted from 0"."""
    return ConvtraceValueError(BAD_CELLS, shape=tuple(shape), value=value, first=(0,) * len(shape),
                               last=tuple(max(n - 1, 0) for n in shape))


def as_cell_list(cells, out_shape3: tuple[int, int, int], squeeze: bool):
    """``cells`` as a sized collection (a generator is read once), or an error when it is no collection."""
    if cells is None or hasattr(cells, "__len__"):
        return cells
    try:
        return list(cells)
    except TypeError:
        shape = out_shape3[1:] if squeeze else out_shape3
        raise bad_cells(shape, cells) from None


def cells_for(out_shape3: tuple[int, int, int], cells, squeeze: bool) -> np.ndarray:
    """Requested output cells as (N, 3) map/row/col indices (all cells if None)."""
    n_maps, n_rows, n_cols = out_shape3
    if cells is None:
        f, i, j = np.meshgrid(np.arange(n_maps), np.arange(n_rows), np.arange(n_cols), indexing="ij")
        return np.stack([f.ravel(), i.ravel(), j.ravel()], axis=1).astype(np.int64)
    shape = out_shape3[1:] if squeeze else out_shape3
    if isinstance(cells, (str, bytes)) or not hasattr(cells, "__iter__"):
        raise bad_cells(shape, cells)
    rows = []
    for cell in cells:
        try:
            idx = tuple(int(v) for v in cell)
        except (TypeError, ValueError):
            raise bad_cells(shape, cell) from None
        if len(idx) == 2:
            idx = (0,) + idx
        if len(idx) != 3 or (squeeze and idx[0] != 0):
            raise bad_cells(shape, cell)
        if not all(0 <= v < n for v, n in zip(idx, out_shape3, strict=True)):
            raise bad_cells(shape, cell)
        rows.append(idx)
    return np.array(rows, dtype=np.int64).reshape(-1, 3)


def first_cells(out_shape3: tuple[int, int, int], count: int, squeeze: bool) -> list[tuple[int, ...]]:
    """The first ``count`` output cells in reading order (map, row, column)."""
    total = int(np.prod(out_shape3))
    index = np.unravel_index(np.arange(min(count, total)), out_shape3)
    if squeeze:
        return [(int(i), int(j)) for i, j in zip(index[1], index[2], strict=True)]
    return [(int(f), int(i), int(j)) for f, i, j in zip(*index, strict=True)]
