"""convtrace: see, check and run convolutions.

The public API is loaded lazily, so ``import convtrace`` (and
``convtrace --help``) neither imports Numba nor compiles anything.
"""

from __future__ import annotations

import importlib

__version__ = "0.1.0"

_EXPORTS = {
    "conv2d": "convtrace.ops",
    "correlate2d": "convtrace.ops",
    "convolve2d": "convtrace.ops",
    "pool2d": "convtrace.ops",
    "trace_conv2d": "convtrace.ops",
    "trace_pool2d": "convtrace.ops",
    "prepare_conv2d": "convtrace.ops",
    "prepare_pool2d": "convtrace.ops",
    "ConvTrace": "convtrace.ops",
    "PoolTrace": "convtrace.ops",
    "output_size": "convtrace.params",
    "resolve_padding": "convtrace.params",
    "same_padding": "convtrace.params",
    "full_padding": "convtrace.params",
    "normalize_pad_mode": "convtrace.params",
    "relu": "convtrace.activations",
    "leaky_relu": "convtrace.activations",
    "sigmoid": "convtrace.activations",
    "tanh": "convtrace.activations",
    "softmax": "convtrace.activations",
    "flatten": "convtrace.activations",
    "Kernel": "convtrace.kernel",
    "ConvtraceError": "convtrace.errors",
}

__all__ = sorted(_EXPORTS) + ["__version__"]


def __getattr__(name: str):
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'convtrace' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__():
    return __all__
