"""One image: decode, filter, encode and write it, every problem a failed Outcome.

The same code serves a run on one machine (:func:`process`, on worker threads)
and a run on a cluster (:func:`render`, whose bytes the cluster's storage
writer puts in place).  Outputs are written under a temporary name beside their
destination and renamed, so a reader never sees half an image.
"""

from __future__ import annotations

import inspect
from pathlib import Path

import numpy as np

from convtrace.batch.folders import _inside
from convtrace.batch.outcomes import Outcome, _error_outcome, _first_line, _outcome
from convtrace.batch.plan import BatchPlan, KernelStep
from convtrace.errors import ConvtraceError
from convtrace.io.images import JPEG_QUALITY, PNG_LEVEL
from convtrace.io.writers import TEMP_PREFIX, write_atomic
from convtrace.kernel import Kernel
from convtrace.messages.batch import (
    BATCH_REASON_BOMB,
    BATCH_REASON_CANNOT_WRITE,
    BATCH_REASON_DAMAGED,
    BATCH_REASON_EXISTS,
    BATCH_REASON_INSIDE_IN,
    BATCH_REASON_NO_READ_PERMISSION,
    BATCH_REASON_NOT_IMAGE,
    BATCH_REASON_REPLACES_INPUT,
    BATCH_REASON_TOO_LARGE,
    BATCH_REASON_UNEXPECTED,
)
from convtrace.messages.options import OUTPUT_EXISTS

#: Formats that cannot store an alpha channel: it is dropped.
NO_ALPHA_FORMATS = ("JPEG", "BMP", "PPM")
PIL_FORMAT = {".png": "PNG", ".jpg": "JPEG", ".jpeg": "JPEG", ".bmp": "BMP", ".gif": "GIF", ".tif": "TIFF",
              ".tiff": "TIFF", ".webp": "WEBP", ".pgm": "PPM", ".ppm": "PPM"}


# ----------------------------------------------------------------------------- one image


def decode(path: Path, keep_integers: bool = False):
    """(channels (C, H, W), alpha or None, max pixel value, Pillow mode) of an image file.

    The channels are float32, or with ``keep_integers`` an 8- or 16-bit image's own integers (see
    :attr:`BatchPlan.filters_integers`).  8-bit gray, RGB and RGBA images are read from Pillow's own
    memory (:mod:`convtrace.io.pixel_memory`), not from a packed copy of it.
    """
    from convtrace.io.pixel_memory import storage_view
    from convtrace.io.readers import _array_of, opened_image

    with opened_image(path) as img:
        mode = img.mode
        with storage_view(img) as view:
            if view is not None:
                return (*_planes(view, mode, keep_integers, 255), mode)
        arr = _array_of(img)
    if mode in ("I", "F"):
        arr, mode = arr.astype(np.float32), "F"
    if mode.startswith("I;16"):
        maxval = 65535
    elif mode == "F":
        maxval = float(max(np.nanmax(arr), 1.0)) if arr.size else 1.0
        maxval = 65535 if maxval > 255 else 255
    else:
        maxval = 255
    return (*_planes(arr, mode, keep_integers, maxval), mode)


#: Colour channels of the modes whose pixels carry more: alpha (RGBA, LA), or padding (Pillow's RGB memory).
COLOURS = {"RGB": 3, "RGBA": 3, "LA": 1}


def _planes(arr: np.ndarray, mode: str, keep_integers: bool, maxval):
    """(channels (C, H, W), alpha or None, maxval) of (H, W) or (H, W, C) pixels."""
    from convtrace.engine.pixels import planar

    dtype = arr.dtype if keep_integers and arr.dtype in (np.uint8, np.uint16) else np.float32
    if arr.ndim == 2:  # a copy: ``arr`` may be Pillow's memory, gone with the image
        return np.array(arr[None], dtype=dtype), None, maxval
    alpha = arr[..., -1].copy() if mode in ("RGBA", "LA") else None
    colours = COLOURS.get(mode, arr.shape[2])
    pixels = np.ascontiguousarray(arr)
    return planar(pixels, np.empty((colours,) + arr.shape[:2], dtype=dtype)), alpha, maxval


def filter_pixels(channels: np.ndarray, plan: BatchPlan, scaled: bool = True) -> np.ndarray | tuple:
    """Apply the plan's steps to (C, H, W) pixels as :func:`decode` gives them, in the calling thread.

    ``scaled=False`` gives ``(sums, scale)`` instead: the last convolution's sums before its kernel's
    scale, which :func:`to_pixels` applies in its one pass (one full-size multiply fewer per image).
    """
    from convtrace.convolution import apply_scale

    x, scale = _channels_filtered(channels, plan), 1
    for step in plan.steps:
        if scale != 1:  # the previous convolution's sums, scaled before the next step reads them
            x = apply_scale(x, scale)
        scale = 1
        operation = _prepared(step, x, plan)
        if isinstance(step, KernelStep):
            out = operation.sums(parallel=False, device=plan.device)
            scale = operation.scale
        else:
            out = operation.run(parallel=False, device=plan.device)
        x = out if out.ndim == 3 else out[None]
    if scaled:
        return apply_scale(x, scale) if scale != 1 else x
    return x, scale


def _channels_filtered(channels: np.ndarray, plan: BatchPlan) -> np.ndarray:
    """The planes the steps filter: the image's, or its ITU-R 601 luma (as Pillow's convert("L"))."""
    if plan.channels == "gray" and channels.shape[0] == 3:
        red, green, blue = channels
        return (red * np.float32(0.299) + green * np.float32(0.587) + blue * np.float32(0.114))[None]
    return channels


def _step_kernel(step: KernelStep, channels: int, plan: BatchPlan) -> Kernel:
    kernel = step.kernel
    if plan.channels == "sum" and kernel.weights.ndim == 2 and channels > 1:
        return Kernel(kernel.name, np.repeat(kernel.weights[None], channels, axis=0), kernel.scale)
    return kernel


def _prepared(step, x: np.ndarray, plan: BatchPlan):
    """``step`` checked and resolved for an input like ``x``, without computing."""
    from convtrace.convolution import prepare_conv2d
    from convtrace.pooling import prepare_pool2d

    if isinstance(step, KernelStep):
        return prepare_conv2d(x, _step_kernel(step, x.shape[0], plan), step.spec)
    return prepare_pool2d(x, spec=step)


def filter_device(channels: np.ndarray, plan: BatchPlan) -> str:
    """Where the plan filters these channels: 'cpu' or 'cuda'.  'auto' weighs the first step's work
    against what :func:`filter_on_gpu` moves: the image as decoded and its pixels back."""
    from convtrace.arrays import resolve_device

    if plan.device == "cpu":
        return "cpu"
    x = _channels_filtered(channels, plan)
    operation = _prepared(plan.steps[0], x, plan)
    outputs = operation.out_shape3[0] * operation.rows.size * operation.cols.size
    window = operation.weights[0].size if hasattr(operation, "weights") else operation.size[0] * operation.size[1]
    return resolve_device(plan.device, outputs * window, x.nbytes + outputs)


def filter_on_gpu(channels: np.ndarray, plan: BatchPlan, maxval: int) -> np.ndarray:
    """:func:`filter_pixels` and :func:`to_pixels` on the GPU: (H, W, C) pixels 0…maxval.

    The decoded image goes to the device once, as it is (an 8-bit image filtered as integers is a
    byte a value, not the four of its int32 sums); every step reads the previous one's result where
    it lies, kernel scales are applied there, and only the pixels come back (a min–max stretch
    brings back the values instead, to stretch them on the CPU).  Each step is prepared, checked and
    typed as on the CPU: the first on the image itself, later ones on a stand-in of the previous
    result's shape and float dtype, which is all their checks read.
    """
    from convtrace.engine import gpu

    x_host = _channels_filtered(channels, plan)
    x, scale = gpu.upload(x_host), 1
    for k, step in enumerate(plan.steps):
        if scale != 1:
            x = gpu.scaled(x, scale, slot=k)
        scale = 1
        like = x_host if k == 0 else _stand_in(x) if np.dtype(x.dtype).kind == "f" else gpu.to_host(x)
        operation = _prepared(step, like, plan)
        if isinstance(step, KernelStep):
            x = operation.device_sums(x, resident=("step", k))
            scale = operation.scale
        else:
            if np.dtype(x.dtype) != operation.dtype:
                x = gpu.upload(np.asarray(gpu.to_host(x), dtype=operation.dtype), slot=k)
            x = operation.device_run(x, resident=("step", k))
    if plan.range_mode == "normalize":
        return to_pixels(gpu.to_host(x), "normalize", maxval, scale)
    return gpu.pixels(x, scale, plan.range_mode == "abs", maxval)


def _stand_in(device_array) -> np.ndarray:
    """A host array of ``device_array``'s shape and dtype that takes no memory (its checks read no values)."""
    return np.broadcast_to(np.zeros((), dtype=device_array.dtype), device_array.shape)


def to_pixels(values: np.ndarray, range_mode: str, maxval: int, scale=1) -> np.ndarray:
    """Filtered (C, H, W) values (times ``scale``) as (H, W, C) pixels 0…maxval: clipped, absolute,
    or stretched min–max, in one pass."""
    from convtrace.io.images import pixels

    return pixels(values, range_mode, maxval, scale)


def output_image(pixels: np.ndarray, alpha: np.ndarray | None, suffix: str):
    """(H, W, C) pixels (and alpha) as a Pillow image, with the format and options to save it as ``suffix``."""
    from PIL import Image

    fmt = PIL_FORMAT.get(suffix.lower(), "PNG")
    size = pixels.shape[:2]
    if pixels.shape[2] == 1:
        img = Image.fromarray(pixels[..., 0])
        if alpha is not None and fmt not in NO_ALPHA_FORMATS and pixels.dtype == np.uint8:
            img = Image.merge("LA", (img, Image.fromarray(_fit(alpha, size))))
    else:
        rgb = pixels[..., :3]
        if rgb.dtype != np.uint8:
            rgb = (rgb >> 8).astype(np.uint8)
        img = Image.fromarray(np.ascontiguousarray(rgb), "RGB")
        if alpha is not None and fmt not in NO_ALPHA_FORMATS:
            img.putalpha(Image.fromarray(_fit(alpha, size)))
    if fmt == "GIF":
        img = img.convert("P") if img.mode in ("RGB", "L", "LA", "RGBA") else img
    options = {"quality": JPEG_QUALITY} if fmt in ("JPEG", "WEBP") else {"compress_level": PNG_LEVEL} if fmt == "PNG" else {}
    return img, fmt, options


def encode(pixels: np.ndarray, alpha: np.ndarray | None, suffix: str) -> bytes:
    """(H, W, C) pixels (and alpha) as the bytes of an image file of type ``suffix``."""
    import io

    img, fmt, options = output_image(pixels, alpha, suffix)
    buffer = io.BytesIO()
    img.save(buffer, format=fmt, **options)
    return buffer.getvalue()


def _fit(alpha: np.ndarray, shape) -> np.ndarray:
    """The alpha channel unchanged, or resized (nearest) when the filter changed the size."""
    if alpha.shape == tuple(shape):
        return alpha
    from PIL import Image

    return np.asarray(Image.fromarray(alpha).resize((shape[1], shape[0]), Image.Resampling.NEAREST))


def _filtered_image(source, plan: BatchPlan, suffix: str):
    """Read and filter one image: the Pillow image to save, its format and options, and whether the
    input's transparency is lost (a JPEG holds none): the summary says so."""
    channels, alpha, maxval, _ = decode(source, keep_integers=plan.filters_integers)
    if filter_device(channels, plan) == "cuda":
        img, fmt, options = output_image(filter_on_gpu(channels, plan, maxval), alpha, suffix)
    else:
        sums, scale = filter_pixels(channels, plan, scaled=False)
        img, fmt, options = output_image(to_pixels(sums, plan.range_mode, maxval, scale), alpha, suffix)
    return img, fmt, options, alpha is not None and "A" not in img.mode and "transparency" not in img.info


def _failed(source, target: Path, err: Exception) -> Outcome:
    """The failed Outcome for a problem reading, filtering or encoding an image, saying why."""
    from PIL import Image, UnidentifiedImageError

    if isinstance(err, (Image.DecompressionBombError, Image.DecompressionBombWarning)):
        return _outcome(source, target, "failed", BATCH_REASON_BOMB)
    if isinstance(err, UnidentifiedImageError):
        return _outcome(source, target, "failed", BATCH_REASON_NOT_IMAGE)
    if isinstance(err, ConvtraceError):
        return _error_outcome(source, target, err)
    if isinstance(err, PermissionError):
        return _outcome(source, target, "failed", BATCH_REASON_NO_READ_PERMISSION)
    if isinstance(err, (MemoryError, OverflowError)):
        return _outcome(source, target, "failed", BATCH_REASON_TOO_LARGE, reason=_first_line(err))
    if isinstance(err, (OSError, ValueError, SyntaxError, EOFError)):
        return _outcome(source, target, "failed", BATCH_REASON_DAMAGED, reason=_first_line(err))
    return _outcome(source, target, "failed", BATCH_REASON_UNEXPECTED, reason=_first_line(err))


def render(source, target: Path, plan: BatchPlan, suffix: str | None = None) -> bytes | Outcome:
    """Read, filter and encode one image: the bytes of the output file, or a failed Outcome saying why.

    ``source`` is a path or a binary file object (what a worker read from a URL); ``suffix`` is the
    output's type (``target``'s own by default).  Everything but writing: the same on one machine
    and on a cluster.
    """
    import io

    try:
        img, fmt, options, _ = _filtered_image(source, plan, suffix or target.suffix)
        buffer = io.BytesIO()
        img.save(buffer, format=fmt, **options)
        return buffer.getvalue()
    except Exception as err:  # noqa: BLE001 - one image never stops the folder nor prints a traceback
        return _failed(source, target, err)


class _EncodingFailed(Exception):
    """Raised through :func:`write_atomic` when the encoder fails: a problem of the image, not the disk."""


#: Whether :func:`~convtrace.io.writers.write_atomic` can name its temporary files after a run.
_WRITER_TAKES_PREFIX = "prefix" in inspect.signature(write_atomic).parameters


def temp_prefix(run_id: str = "") -> str:
    """The name every temporary file of run ``run_id`` starts with (``.convtrace-<run>-``)."""
    return f"{TEMP_PREFIX}{run_id}-" if run_id else TEMP_PREFIX


def process(source: Path, target: Path, plan: BatchPlan, forbidden: Path | None = None,
            run_id: str = "") -> Outcome:
    """Filter one image into ``target``; every problem becomes a failed Outcome with a reason.

    ``forbidden`` (IN, resolved) is a folder the output must not land in, even through a link.
    ``run_id`` names the run's temporary files (``.convtrace-<run_id>-…``), so that the ones a
    killed process left behind can be told from any other run's and removed.
    """
    if forbidden is not None and _inside(target.parent.resolve(), forbidden):
        return _outcome(source, target, "failed", BATCH_REASON_INSIDE_IN)
    if target.exists() and not plan.overwrite:
        return _outcome(source, target, "skipped", BATCH_REASON_EXISTS)
    if target.exists() and source.resolve() == target.resolve():
        return _outcome(source, target, "failed", BATCH_REASON_REPLACES_INPUT)
    try:  # reading and filtering
        img, fmt, options, dropped_alpha = _filtered_image(source, plan, target.suffix)
    except Exception as err:  # noqa: BLE001 - one image never stops the folder nor prints a traceback
        return _failed(source, target, err)

    def save(handle) -> None:
        # Into the file itself: Pillow encodes a file without holding the GIL (into memory it holds
        # it), so the worker threads encode in parallel.
        try:
            img.save(handle, format=fmt, **options)
        except OSError as err:
            if err.errno is not None:  # the disk's (full, gone): reported as a write that failed
                raise
            raise _EncodingFailed() from err
        except Exception as err:
            raise _EncodingFailed() from err

    try:  # writing
        target.parent.mkdir(parents=True, exist_ok=True)
        if run_id and _WRITER_TAKES_PREFIX:
            write_atomic(target, save, overwrite=plan.overwrite, prefix=temp_prefix(run_id))
        else:
            write_atomic(target, save, overwrite=plan.overwrite)
    except _EncodingFailed as failure:
        return _failed(source, target, failure.__cause__)
    except ConvtraceError as err:
        if err.key == OUTPUT_EXISTS:
            return _outcome(source, target, "skipped", BATCH_REASON_EXISTS)
        return _error_outcome(source, target, err)
    except OSError as err:
        return _outcome(source, target, "failed", BATCH_REASON_CANNOT_WRITE, path=str(target),
                        reason=err.strerror or _first_line(err))
    return Outcome(source, target, "done", dropped_alpha=dropped_alpha)
