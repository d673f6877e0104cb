"""A result as an image file: the same pixels ``convtrace batch`` writes for the same filter.

Values outside 0…maxval become pixels as ``--range`` says — ``clip`` (the
default), ``abs`` (edge maps) or ``normalize`` (min–max per image) — through
the engine's one-pass conversion, the routine ``batch`` uses.
"""

from __future__ import annotations

import io

import numpy as np

from convtrace.errors import ConvtraceValueError
from convtrace.messages.options import JPEG_CHANNELS, PNG_CHANNELS

#: ``--range`` names and the engine's codes for them (convtrace.engine.pixels).
RANGE_CODES = {"clip": 0, "abs": 1, "normalize": 2}
RANGE_MODES = tuple(RANGE_CODES)

#: zlib level for PNG files: 2–3× faster to write than Pillow's default 6, for files about 1% (photos)
#: to 13% (edge maps) larger.
PNG_LEVEL = 3


def image_maxval(source) -> int:
    """The largest pixel value of an image read as ``source``: 65535 for 16-bit images, else 255."""
    dtype = getattr(source, "dtype", None)
    return 65535 if dtype is not None and np.dtype(dtype).kind == "u" and np.dtype(dtype).itemsize == 2 else 255


def pixels(output, range_mode: str = "clip", maxval: int = 255, scale=1) -> np.ndarray:
    """A (H, W), (C, H, W) or 1-D result as (H, W, C) pixels 0…maxval (uint8, or uint16 past 255).

    ``output`` may be a convolution's sums before its kernel's ``scale`` (1/16 …): the engine's one
    pass multiplies, rounds and clips without a full-size float copy of the image.
    """
    from convtrace.engine.pixels import interleaved_pixels

    values = np.asarray(output)
    if values.dtype.kind not in "iuf" or values.dtype.itemsize < 4:
        values = values.astype(np.float64 if values.dtype.kind == "f" else np.int64)
    if values.ndim == 1:
        values = values[None, None, :]
    elif values.ndim == 2:
        values = values[None]
    values = np.ascontiguousarray(values)
    factor = values.dtype.type(float(scale)) if values.dtype.kind == "f" else float(scale)
    dtype = np.uint16 if maxval > 255 else np.uint8
    out = np.empty(values.shape[1:] + values.shape[:1], dtype=dtype)
    return interleaved_pixels(values, factor, RANGE_CODES[range_mode], np.float32(maxval), out)


def result_png(operation, range_mode: str = "clip", device: str = "cpu", image_format: str = "PNG") -> bytes:
    """An operation's whole output as a PNG (or a JPEG: ``image_format="JPEG"``).  A convolution's sums
    go to pixels with its kernel's scale applied in the same pass, so a 1/256 Gaussian on a photo makes
    no full-size float64 copy."""
    from convtrace.convolution import Conv2d

    maxval = image_maxval(operation.source_input)
    if isinstance(operation, Conv2d):
        return png_bytes(operation.sums(device=device), range_mode, maxval, scale=operation.scale,
                         image_format=image_format)
    return png_bytes(operation.run(device=device), range_mode, maxval, image_format=image_format)


#: JPEG (and WebP) quality of image results: ``conv -o out.jpg`` and ``convtrace batch``.
JPEG_QUALITY = 92


def png_bytes(output, range_mode: str = "clip", maxval: int = 255, alpha: np.ndarray | None = None,
              scale=1, image_format: str = "PNG") -> bytes:
    """The result as a PNG: one channel is grayscale (16-bit when ``maxval`` is 65535), three are RGB,
    four RGBA (the fourth channel, filtered, as alpha); ``alpha`` (H, W) is added as is.  Any other
    number of maps is refused: a PNG cannot hold them.  ``scale``: see :func:`pixels`.

    ``image_format="JPEG"``: the same pixels as an 8-bit JPEG (quality 92, as a batch writes), gray or
    RGB only, without alpha: a JPEG has neither an alpha channel nor 16 bits.
    """
    from PIL import Image

    jpeg = image_format == "JPEG"
    shape = np.shape(output)
    channels = shape[0] if len(shape) == 3 else 1
    if channels not in ((1, 3) if jpeg else (1, 3, 4)):
        raise ConvtraceValueError(JPEG_CHANNELS if jpeg else PNG_CHANNELS, n=channels)
    px = pixels(output, range_mode, maxval, scale)
    if px.dtype != np.uint8 and (jpeg or channels != 1):  # only a gray PNG keeps 16 bits
        px = (px >> 8).astype(np.uint8)
    if channels == 1:
        img = Image.fromarray(px[..., 0])
        if alpha is not None and px.dtype == np.uint8 and not jpeg:
            img = Image.merge("LA", (img, Image.fromarray(np.asarray(alpha, dtype=np.uint8))))
    else:
        mode = "RGBA" if channels == 4 else "RGB"
        px = np.ascontiguousarray(px)
        img = Image.frombuffer(mode, (px.shape[1], px.shape[0]), px, "raw", mode, 0, 1)  # shares px
        if alpha is not None and channels == 3 and not jpeg:
            img.putalpha(Image.fromarray(np.asarray(alpha, dtype=np.uint8)))
    if jpeg:
        buffer = io.BytesIO()
        img.save(buffer, format="JPEG", quality=JPEG_QUALITY)
        return buffer.getvalue()
    buffer = io.BytesIO()
    img.save(buffer, format="PNG", compress_level=PNG_LEVEL)
    return buffer.getvalue()
