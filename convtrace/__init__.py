"""convtrace: see, check and run convolutions.

The public API is loaded lazily, so ``import convtrace`` (and
``convtrace --help``) neither imports Numba nor compiles anything.
"""

from __future__ import annotations

import importlib

__version__ = "0.1.0"

_EXPORTS = {
    "conv2d": "convtrace.convolution",
    "correlate2d": "convtrace.convolution",
    "convolve2d": "convtrace.convolution",
    "trace_conv2d": "convtrace.convolution",
    "prepare_conv2d": "convtrace.convolution",
    "Conv2d": "convtrace.convolution",
    "ConvTrace": "convtrace.convolution",
    "pool2d": "convtrace.pooling",
    "trace_pool2d": "convtrace.pooling",
    "prepare_pool2d": "convtrace.pooling",
    "Pool2d": "convtrace.pooling",
    "PoolTrace": "convtrace.pooling",
    "ConvSpec": "convtrace.spec",
    "PoolSpec": "convtrace.spec",
    "conv_transpose2d": "convtrace.transpose",
    "trace_conv_transpose2d": "convtrace.transpose",
    "prepare_conv_transpose2d": "convtrace.transpose",
    "ConvTranspose2d": "convtrace.transpose",
    "TConvTrace": "convtrace.transpose",
    "TConvSpec": "convtrace.transpose",
    "Exercise": "convtrace.grading",
    "grade": "convtrace.grading",
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


def _library_kernel(name: str):
    """A kernel by name from the library: the built-in kernels and the CONVTRACE_KERNELS folders."""
    from convtrace.kernels import current_library

    return current_library().get(name)


def _register_library() -> None:
    # The library layer (convtrace.kernel) may not import the kernel files' reader
    # (convtrace.kernels, I/O); the package connects the two, lazily: nothing is read until a name is used.
    from convtrace.kernel import register_kernel_resolver

    register_kernel_resolver(_library_kernel)


_register_library()


def _register_notebook_displays() -> None:
    # Inside IPython/Jupyter, traces, operations and grades display themselves: the displays
    # (convtrace.render.notebook) are registered by type name, so the library never imports rendering
    # and nothing heavy is imported until an object is shown.
    import sys

    if "IPython" not in sys.modules:
        return
    from convtrace.render.notebook import install

    install()


_register_notebook_displays()
