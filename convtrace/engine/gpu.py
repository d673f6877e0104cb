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

A batch keeps each image on the device across its steps
(``convtrace.batch.images.filter_on_gpu``): the decoded image goes up once, as
it is (an 8-bit image filtered as integers is a byte a value, a quarter of its
int32 sums), every step reads the previous one's result where it lies
(``resident=``), kernel scales are applied there (:func:`scaled`), and only the
8- or 16-bit pixels come back (:func:`pixels`, the CPU pixel pass's arithmetic
exactly: rounding half to even, NaN as 0, clipped or absolute).
"""

from __future__ import annotations

import math
import threading

import numpy as np

from convtrace.engine.pool_modes import AVG, MAX, MIN

try:  # numba-cuda, or the CUDA simulator (NUMBA_ENABLE_CUDASIM=1)
    from numba import cuda, float32
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


    @cuda.jit(device=True)
    def _rounded_clip(v, maxval):
        """np.rint(v) clipped to 0…maxval, NaN as 0, as the CPU's pixel pass (ties to even)."""
        if not v > 0:
            return 0
        if v >= maxval:
            return maxval
        whole = math.floor(v)
        part = v - whole  # exact: a float minus its floor
        if part > 0.5 or (part == 0.5 and whole % 2 == 1):
            whole += 1
        return whole

    @cuda.jit(cache=True)
    def _pixels_kernel(sums, scale, absolute, maxval, out):
        j, i = cuda.grid(2)
        channels, height, width = sums.shape
        if i >= height or j >= width:
            return
        for c in range(channels):
            v = float32(sums[c, i, j] * scale)
            if absolute:
                v = abs(v) if v > -math.inf else float32(0.0)
            out[i, j, c] = _rounded_clip(v, maxval)

    @cuda.jit(cache=True)
    def _clipped_integers_kernel(sums, maxval, out):
        j, i = cuda.grid(2)
        channels, height, width = sums.shape
        if i >= height or j >= width:
            return
        for c in range(channels):
            s = sums[c, i, j]
            out[i, j, c] = 0 if s < 0 else (maxval if s > maxval else s)

    @cuda.jit(cache=True)
    def _scaled_kernel(values, scale, out):
        k = cuda.grid(1)
        if k < values.size:
            out[k] = values[k] * scale


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


def is_device_array(a) -> bool:
    """Whether ``a`` already lies on the GPU (a result kept there with ``resident=True``)."""
    # Numba's device arrays (and the simulator's stand-ins for them) copy themselves to the host.
    return cuda is not None and not isinstance(a, np.ndarray) and hasattr(a, "copy_to_host")


def upload(host: np.ndarray, slot="input"):
    """``host`` copied into this thread's device buffer ``slot`` (reused while its size stays the same)."""
    return _to_device(("upload", slot), host, _stream())


def _launch(kernel, out_shape, *args, out_dtype, slot=None, resident=False):
    """Run ``kernel`` over an output of ``out_shape`` on this thread's stream: the host result, or
    with ``resident`` the device array (this thread's buffer ``slot``, valid until its next use).
    Arguments already on the device are used where they lie."""
    stream = _stream()
    n_maps, n_rows, n_cols = out_shape
    threads = _block()
    blocks = (math.ceil(n_cols / threads[0]), math.ceil(n_maps * n_rows / threads[1]))
    name = slot if slot is not None else kernel.__name__ if hasattr(kernel, "__name__") else str(id(kernel))
    device_args = [_to_device((name, k), a, stream) if isinstance(a, np.ndarray) else a for k, a in enumerate(args)]
    out = _buffer((name, "out"), out_shape, out_dtype, stream).reshape(out_shape)
    kernel[blocks, threads, stream](*device_args, out)
    return out if resident else _to_host(out, stream)


def _block():
    # The simulator runs every GPU thread as a Python thread: keep its blocks small.
    return (4, 4) if simulated() else THREADS


def _to_host(device_array, stream):
    host = device_array.copy_to_host(stream=stream)
    stream.synchronize()
    return host


def correlate(x, w, groups, pads, pad_mode, pad_value, stride, dilation, rmap, cmap, out_shape, dtype=None,
              slot=None, resident=False):
    """The GPU twin of :func:`convtrace.engine.correlate` (geometry computed by the caller).

    ``x`` is a host array or one already on the device, in the compute ``dtype`` (``x``'s own when
    None) or, summed in int32, an 8- or 16-bit image as it is (a quarter of the bytes to send)."""
    dtype = x.dtype if dtype is None else np.dtype(dtype)
    if isinstance(x, np.ndarray):
        x = np.ascontiguousarray(x)
    return _launch(_correlate_kernel, out_shape, x, np.ascontiguousarray(w, dtype=dtype),
                   w.shape[0] // groups, rmap, cmap, dtype.type(pad_value), stride[0], stride[1],
                   dilation[0], dilation[1], out_dtype=dtype, slot=slot, resident=resident)


def pool(x, size, pads, stride, dilation, mode_code, init, row_counts, col_counts, out_shape, dtype, slot=None,
         resident=False):
    """The GPU twin of :func:`convtrace.engine.pool` (``x`` on the host or the device)."""
    if isinstance(x, np.ndarray):
        x = np.ascontiguousarray(x)
    return _launch(_pool_kernel, out_shape, x, size[0], size[1], stride[0], stride[1],
                   dilation[0], dilation[1], pads[0], pads[2], mode_code, init, row_counts, col_counts,
                   out_dtype=dtype, slot=slot, resident=resident)


def scaled(values, scale, slot="scaled"):
    """Device values times a kernel's scale, kept on the device: as ``convolution.apply_scale`` (a float
    array keeps its dtype and multiplies by the scale in it; integer sums become float64)."""
    if values.dtype.kind == "f":
        factor, dtype = np.dtype(values.dtype).type(float(scale)), values.dtype
    else:
        factor, dtype = float(scale), np.dtype(np.float64)
    stream = _stream()
    flat = values.reshape(values.size)
    out = _buffer(("scaled", slot), (values.size,), dtype, stream)
    threads = 16 if simulated() else 256
    _scaled_kernel[math.ceil(values.size / threads), threads, stream](flat, factor, out)
    return out.reshape(values.shape)


def pixels(sums, scale, absolute: bool, maxval: int):
    """Device sums (C, H, W) as host (H, W, C) pixels 0…maxval (uint8, or uint16 past 255): each value
    ``float32(sum × scale)``, made absolute when asked, rounded half to even and clipped, as the CPU's
    :func:`convtrace.engine.pixels.interleaved_pixels` in its clip and abs modes.  Only the pixels
    travel back: a byte a value for an 8-bit image, where float32 sums would be four."""
    channels, height, width = sums.shape
    dtype = np.dtype(np.uint16 if maxval > 255 else np.uint8)
    stream = _stream()
    out = _buffer(("pixels", "out"), (height, width, channels), dtype, stream).reshape((height, width, channels))
    threads = _block()
    blocks = (math.ceil(width / threads[0]), math.ceil(height / threads[1]))
    if sums.dtype.kind in "iu" and scale == 1 and not absolute:
        _clipped_integers_kernel[blocks, threads, stream](sums, np.int64(maxval), out)
    else:
        factor = np.dtype(sums.dtype).type(float(scale)) if sums.dtype.kind == "f" else float(scale)
        _pixels_kernel[blocks, threads, stream](sums, factor, bool(absolute), np.float32(maxval), out)
    return _to_host(out, stream)


def to_host(device_array):
    """A device array's values on the host."""
    return _to_host(device_array, _stream())
