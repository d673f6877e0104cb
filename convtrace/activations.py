"""The rest of the slides' pipeline after convolution and pooling.

Element-wise activations keep the input's shape; integer inputs stay integers
where the function allows it (relu), and become floats otherwise.
"""

from __future__ import annotations

import numbers

import numpy as np

from convtrace.arrays import WHAT_INPUT, as_numeric_array
from convtrace.errors import ConvtraceTypeError, ConvtraceValueError
from convtrace.messages.arrays import BAD_AXIS, NOT_REAL_NUMBER


def _slope(value) -> float:
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real) or not np.isfinite(float(value)):
        raise ConvtraceTypeError(NOT_REAL_NUMBER, name="negative_slope", value=value)
    return float(value)


def _axis(axis, arr: np.ndarray):
    """``axis`` checked against ``arr``: None, or an int (negative counts from the end)."""
    if axis is None:
        return None
    ok = isinstance(axis, numbers.Integral) and not isinstance(axis, (bool, np.bool_))
    if not ok or not -arr.ndim <= int(axis) < max(arr.ndim, 1) or arr.ndim == 0:
        raise ConvtraceValueError(BAD_AXIS, axis=axis, what=WHAT_INPUT, ndim=arr.ndim, low=-arr.ndim,
                                  high=max(arr.ndim - 1, 0))
    return int(axis)


def relu(x):
    """max(0, x), element-wise: negatives become 0."""
    arr = as_numeric_array(x, WHAT_INPUT)
    return np.maximum(arr, arr.dtype.type(0))


def leaky_relu(x, negative_slope: float = 0.01):
    """x where x > 0, else ``negative_slope`` · x (PyTorch's default slope 0.01)."""
    slope = _slope(negative_slope)
    arr = as_numeric_array(x, WHAT_INPUT)
    arr = arr if arr.dtype.kind == "f" else arr.astype(np.float64)
    return np.where(arr > 0, arr, arr * arr.dtype.type(slope))


def sigmoid(x):
    """1 / (1 + e^−x), computed without overflow for large |x|."""
    arr = as_numeric_array(x, WHAT_INPUT)
    arr = arr if arr.dtype.kind == "f" else arr.astype(np.float64)
    out = np.empty_like(arr)
    pos = arr >= 0
    out[pos] = 1 / (1 + np.exp(-arr[pos]))
    ex = np.exp(arr[~pos])
    out[~pos] = ex / (1 + ex)
    return out


def tanh(x):
    """The hyperbolic tangent, element-wise."""
    arr = as_numeric_array(x, WHAT_INPUT)
    return np.tanh(arr if arr.dtype.kind == "f" else arr.astype(np.float64))


def softmax(x, axis=None):
    """exp(x_i) / Σ exp(x_j): probabilities that sum to 1.

    ``axis=None`` (as scipy.special.softmax) takes all values together, what
    the slides do with a flattened feature vector; pass an axis for rows.
    """
    arr = as_numeric_array(x, WHAT_INPUT)
    arr = arr if arr.dtype.kind == "f" else arr.astype(np.float64)
    axis = _axis(axis, arr)
    shifted = arr - np.max(arr, axis=axis, keepdims=True)
    ex = np.exp(shifted)
    return ex / np.sum(ex, axis=axis, keepdims=True)


def flatten(x):
    """All values as one vector, in row-major (C, H, W) order as PyTorch's flatten."""
    return np.ravel(as_numeric_array(x, WHAT_INPUT))
