"""The public operations in one namespace: convolution, pooling and their traces.

The operations live in :mod:`convtrace.convolution` and
:mod:`convtrace.pooling`, array checks in :mod:`convtrace.arrays`; this module
gathers them for ``from convtrace import ops``.
"""

from __future__ import annotations

from convtrace.arrays import (
    AUTO_GPU_WORK,
    DEVICES,
    WHAT_INPUT,
    WHAT_KERNEL,
    as_numeric_array,
    compute_dtype,
    gpu_available,
    resolve_device,
)
from convtrace.convolution import (
    Conv2d,
    ConvStep,
    ConvTrace,
    apply_scale,
    conv2d,
    convolve2d,
    correlate2d,
    prepare_conv2d,
    trace_conv2d,
)
from convtrace.pooling import Pool2d, PoolStep, PoolTrace, pool2d, prepare_pool2d, trace_pool2d
from convtrace.spec import POOL_MODES, ConvSpec, PoolSpec, normalize_pool_mode

__all__ = [
    "AUTO_GPU_WORK", "DEVICES", "POOL_MODES", "WHAT_INPUT", "WHAT_KERNEL", "Conv2d", "ConvSpec", "ConvStep",
    "ConvTrace", "Pool2d", "PoolSpec", "PoolStep", "PoolTrace", "apply_scale", "as_numeric_array",
    "compute_dtype", "conv2d", "convolve2d", "correlate2d", "gpu_available", "normalize_pool_mode",
    "pool2d", "prepare_conv2d", "prepare_pool2d", "resolve_device", "trace_conv2d", "trace_pool2d",
]
