"""CUDA kernels for convolution and pooling (Numba's CUDA target), one thread per output value.

Imported only when a caller asks for the GPU, so ``import convtrace`` never
needs CUDA.  The kernels read the same padding index maps as the CPU engine
and add products in the same order; integer results are exact, float results
agree with the CPU's to float32 rounding (the GPU compiler may fuse a
multiply and an add).  Kernels are specialised per dtype and dimensionality
by Numba, so they compile once per shape family, not per image, and the
compiled code is cached on disk (``cache=True``) for the next process.  Each
host thread gets its own CUDA stream, so batch workers overlap one image's
transfers with another's kernel, and its own device buffers, reused from one
call to the next while the shapes stay the same (a batch of same-sized frames
allocates device memory once).
"""

from __future__ import annotations

import math
import threading

import numpy as np

from convtrace.engine.pool import AVG, MAX, MIN

try:  # numba-cuda, or the CUDA simulator (NUMBA_ENABLE_CUDASIM=1)
    from numba import cuda
except ImportError:  # pragma: no cover - depends on the installation
    cuda = None

_local = threading.local()
THREADS = (32, 8)


def available() -> bool:
    """Whether a CUDA device (or the simulator) can run the kernels."""
    if cuda is None:
        return False
    try:
        return bool(cuda.is_available())
    except Exception:  # noqa: BLE001 - a broken driver means "not available"
        return False


def simulated() -> bool:
    from numba import config

    return bool(getattr(config, "ENABLE_CUDASIM", 0))


def _stream():
    stream = getattr(_local, "stream", None)
    if stream is None:
        stream = _local.stream = cuda.stream()
    return stream


if cuda is not None:

    @cuda.jit(cache=True)
    def _correlate_kernel(x, w, filters_per_group, rmap, cmap, pad_value, sh, sw, dh, dw, out):
        j, t = cuda.grid(2)
        n_filters, n_rows, n_cols = out.shape
        if t >= n_filters * n_rows or j >= n_cols:
            return
        f = t // n_rows
        i = t - f * n_rows
        groups_width, kh, kw = w.shape[1], w.shape[2], w.shape[3]
        c0 = (f // filters_per_group) * groups_width
        acc = pad_value - pad_value  # zero in the compute dtype
        for g in range(groups_width):
            for a in range(kh):
                r = rmap[i * sh + a * dh]
                for b in range(kw):
                    col = cmap[j * sw + b * dw]
                    if r < 0 or col < 0:
                        v = pad_value
                    else:
                        v = x[c0 + g, r, col]
                    acc += w[f, g, a, b] * v
        out[f, i, j] = acc

    @cuda.jit(cache=True)
    def _pool_kernel(x, kh, kw, sh, sw, dh, dw, pt, pl, mode, init, row_counts, col_counts, out):
        j, t = cuda.grid(2)
        n_maps, n_rows, n_cols = out.shape
        if t >= n_maps * n_rows or j >= n_cols:
            return
        c = t // n_rows
        i = t - c * n_rows
        height, width = x.shape[1], x.shape[2]
        acc = init
        for a in range(kh):
            r = i * sh - pt + a * dh
            if r < 0 or r >= height:
                continue
            for b in range(kw):
                col = j * sw - pl + b * dw
                if col < 0 or col >= width:
                    continue
                v = x[c, r, col]
                if mode == MAX:
                    if v > acc or v != v:
                        acc = v
                elif mode == MIN:
                    if v < acc or v != v:
                        acc = v
                else:
                    acc += v
        if mode == AVG:
            divisor = row_counts[i] * col_counts[j]
            # A dilated window can miss the input entirely: 0/0 is NaN, as on the CPU.
            acc = acc / divisor if divisor > 0 else math.nan
        out[c, i, j] = acc


def _buffer(slot, shape, dtype, stream):
    """This thread's flat device array for argument ``slot``, reused while its size and dtype stay the same."""
    buffers = getattr(_local, "buffers", None)
    if buffers is None:
        buffers = _local.buffers = {}
    dtype = np.dtype(dtype)
    size = math.prod(shape)
    buf = buffers.get(slot)
    if buf is None or buf.size != size or np.dtype(buf.dtype) != dtype:
        buf = buffers[slot] = cuda.device_array(size, dtype=dtype, stream=stream)
    return buf


def _to_device(slot, host, stream):
    buf = _buffer(slot, host.shape, host.dtype, stream)
    buf.copy_to_device(np.ascontiguousarray(host).reshape(-1), stream=stream)
    return buf.reshape(host.shape)


def _launch(kernel, out_shape, *args):
    """Run ``kernel`` over an output of ``out_shape`` on this thread's stream; return the host result."""
    stream = _stream()
    n_maps, n_rows, n_cols = out_shape
    # The simulator runs every GPU thread as a Python thread: keep its blocks small.
    threads = (4, 4) if simulated() else THREADS
    blocks = (math.ceil(n_cols / threads[0]), math.ceil(n_maps * n_rows / threads[1]))
    *args, out_dtype = args
    name = kernel.__name__ if hasattr(kernel, "__name__") else str(id(kernel))
    device_args = [_to_device((name, k), a, stream) if isinstance(a, np.ndarray) else a for k, a in enumerate(args)]
    out = _buffer((name, "out"), out_shape, out_dtype, stream).reshape(out_shape)
    kernel[blocks, threads, stream](*device_args, out)
    host = out.copy_to_host(stream=stream)
    stream.synchronize()
    return host


def correlate(x, w, groups, pads, pad_mode, pad_value, stride, dilation, rmap, cmap, out_shape):
    """The GPU twin of :func:`convtrace.engine.correlate` (geometry computed by the caller)."""
    return _launch(_correlate_kernel, out_shape, np.ascontiguousarray(x), np.ascontiguousarray(w),
                   w.shape[0] // groups, rmap, cmap, x.dtype.type(pad_value), stride[0], stride[1],
                   dilation[0], dilation[1], x.dtype)


def pool(x, size, pads, stride, dilation, mode_code, init, row_counts, col_counts, out_shape, dtype):
    """The GPU twin of :func:`convtrace.engine.pool`."""
    return _launch(_pool_kernel, out_shape, np.ascontiguousarray(x), size[0], size[1], stride[0], stride[1],
                   dilation[0], dilation[1], pads[0], pads[2], mode_code, init, row_counts, col_counts, dtype)
