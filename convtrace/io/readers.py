"""Where a matrix comes from: a file, standard input, an image, or the command line itself."""

from __future__ import annotations

import contextlib
import os
import sys
from pathlib import Path

import numpy as np

from convtrace.errors import ConvtraceValueError, os_reason
from convtrace.io.inputs import note_read
from convtrace.io.matrix import ParsedMatrix, looks_inline, parse_matrix_text
from convtrace.messages import Term
from convtrace.messages.options import OS_NOT_ENOUGH_MEMORY
from convtrace.messages.parsing import (
    BINARY_BMP,
    BINARY_DATA,
    BINARY_GIF,
    BINARY_JPEG,
    BINARY_NPY,
    BINARY_PDF,
    BINARY_PNG,
    BINARY_RENAME,
    BINARY_SAVE_AS,
    BINARY_TIFF,
    BINARY_WEBP,
    BINARY_WHAT_WORKS,
    BINARY_ZIP,
    EMPTY_ARGUMENT,
    FILE_UNREADABLE,
    HINT_NPY_ARRAY,
    IMAGE_BOMB,
    IMAGE_BROKEN,
    IMAGE_UNREADABLE,
    IS_DIRECTORY,
    JSON_NOT_MATRIX,
    NO_SUCH_FILE,
    NOT_TEXT_FILE,
    NPY_EMPTY,
    NPY_OBJECTS,
    NPY_TRUNCATED,
    NPY_UNREADABLE,
    WHAT_NPY_ARRAY,
)

IMAGE_SUFFIXES = frozenset({".png", ".jpg", ".jpeg", ".bmp", ".gif", ".tif", ".tiff", ".webp", ".pgm", ".ppm"})


@contextlib.contextmanager
def opened_image(path: Path):
    """An image file opened with Pillow, its pixels loaded and its mode normalised, for a ``with`` block.

    Palette images become RGB (RGBA with transparency), 1-bit becomes L, CMYK
    and other colour spaces become RGB; a GIF gives its first frame.  A
    decompression bomb raises Pillow's DecompressionBombWarning as an error.
    """
    import warnings

    from PIL import Image

    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        note_read(path)
        with Image.open(path) as img:
            img.seek(0)
            img.load()
            mode = img.mode
            if mode == "P":
                img = img.convert("RGBA" if "transparency" in img.info else "RGB")
            elif mode == "PA":
                img = img.convert("RGBA")
            elif mode == "1":
                img = img.convert("L")
            elif mode in ("CMYK", "YCbCr", "LAB", "HSV"):
                img = img.convert("RGB")
            yield img


def open_pixels(path: Path) -> tuple[np.ndarray, str]:
    """An image's pixels as Pillow gives them, (H, W) or (H, W, C), and its mode after normalising
    (see :func:`opened_image`)."""
    with opened_image(path) as img:
        return _array_of(img), img.mode


#: Images up to this many bytes are converted to an array in one go; larger ones band by band.
WHOLE_IMAGE_BYTES = 8 << 20
BAND_ROWS = 256


def _array_of(img) -> np.ndarray:
    """``np.asarray(img)``, without its two full-size temporaries for a large image.

    NumPy reads a Pillow image through ``tobytes()``, which builds the raw bytes in chunks and then
    joins them: three copies of a 12-megapixel photo at once.  Copying bands of rows into one array
    keeps the peak at the image plus the array.
    """
    width, height = img.size
    sample_bytes = 4 if img.mode in ("I", "F") else 2 if img.mode.startswith("I;16") else 1
    if height <= BAND_ROWS or width * height * len(img.getbands()) * sample_bytes <= WHOLE_IMAGE_BYTES:
        return np.asarray(img)
    first = np.asarray(img.crop((0, 0, width, BAND_ROWS)))
    out = np.empty((height,) + first.shape[1:], dtype=first.dtype)
    out[:BAND_ROWS] = first
    for top in range(BAND_ROWS, height, BAND_ROWS):
        out[top:top + BAND_ROWS] = np.asarray(img.crop((0, top, width, min(height, top + BAND_ROWS))))
    out.flags.writeable = False  # read-only, as np.asarray's: one compiled variant for the engine's readers
    return out


def read_image(path: Path) -> np.ndarray:
    """Pixels as (H, W) for grayscale or (C, H, W) for colour (RGB, RGBA), first frame of a GIF."""
    from PIL import Image, UnidentifiedImageError

    try:
        arr, _ = open_pixels(path)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ConvtraceValueError(IMAGE_BOMB, where=str(path)) from None
    except UnidentifiedImageError:
        raise ConvtraceValueError(IMAGE_UNREADABLE, where=str(path)) from None
    except OSError as exc:
        raise ConvtraceValueError(IMAGE_BROKEN, where=str(path), reason=os_reason(exc)) from None
    if arr.ndim == 3:
        arr = np.moveaxis(arr, -1, 0)
    return np.ascontiguousarray(arr)


def _npy_header(handle, where: str) -> tuple[tuple[int, ...], np.dtype]:
    """The shape and dtype a .npy file's header declares, read without loading any data."""
    from numpy.lib import format as npy_format

    try:
        version = npy_format.read_magic(handle)
        if version == (1, 0):
            shape, _, dtype = npy_format.read_array_header_1_0(handle)
        elif version == (2, 0):
            shape, _, dtype = npy_format.read_array_header_2_0(handle)
        else:  # 3.0 (utf-8 field names of structured arrays): never an array of plain numbers
            raise ValueError(f"format version {version[0]}.{version[1]} is not supported; save with numpy.save")
    except (ValueError, OSError, EOFError, SyntaxError, TypeError) as exc:
        raise ConvtraceValueError(NPY_UNREADABLE, where=where, reason=str(exc) or type(exc).__name__) from None
    return tuple(int(n) for n in shape), np.dtype(dtype)


def read_npy(path: Path, where: str | None = None) -> np.ndarray:
    """The array in a .npy file, checked from its header before anything is allocated.

    Refused with one clear error: an empty or damaged file, Python objects
    (pickles are never loaded), an empty array, a header promising more data
    than the file holds, or an array past the memory limit
    (:mod:`convtrace.limits`, ``CONVTRACE_MAX_MEMORY``).
    """
    import math

    from convtrace.limits import check_parts

    where = str(path) if where is None else where
    note_read(path)
    try:
        with open(path, "rb") as handle:
            size = os.fstat(handle.fileno()).st_size
            if size == 0:
                raise ConvtraceValueError(NPY_UNREADABLE, where=where, reason="the file is empty")
            shape, dtype = _npy_header(handle, where)
            if dtype.hasobject:
                raise ConvtraceValueError(NPY_OBJECTS, where=where, dtype=str(dtype))
            count = math.prod(shape)
            if count == 0:
                raise ConvtraceValueError(NPY_EMPTY, where=where, shape=str(shape))
            need = count * dtype.itemsize
            have = size - handle.tell()
            if need > have:
                raise ConvtraceValueError(NPY_TRUNCATED, where=where, shape=str(shape), need=need, have=have)
            check_parts(Term(WHAT_NPY_ARRAY), [(where, shape, dtype.itemsize)], hint=Term(HINT_NPY_ARRAY))
            handle.seek(0)
            arr = np.load(handle, allow_pickle=False)
    except PermissionError as exc:
        raise ConvtraceValueError(FILE_UNREADABLE, where=where, reason=os_reason(exc)) from None
    except (ValueError, OSError, EOFError) as exc:
        if isinstance(exc, ConvtraceValueError):
            raise
        raise ConvtraceValueError(NPY_UNREADABLE, where=where, reason=str(exc) or type(exc).__name__) from None
    except MemoryError:
        raise ConvtraceValueError(NPY_UNREADABLE, where=where, reason=Term(OS_NOT_ENOUGH_MEMORY)) from None
    return np.asarray(arr)


#: The first bytes of files that are not text, and what each is (a photo saved as ``.txt`` …).
_BINARY_SIGNATURES = (
    (b"\x89PNG\r\n\x1a\n", BINARY_PNG, ".png"), (b"\xff\xd8\xff", BINARY_JPEG, ".jpg"),
    (b"GIF8", BINARY_GIF, ".gif"), (b"BM", BINARY_BMP, ".bmp"), (b"II*\x00", BINARY_TIFF, ".tif"),
    (b"MM\x00*", BINARY_TIFF, ".tif"), (b"\x93NUMPY", BINARY_NPY, ".npy"),
    (b"PK\x03\x04", BINARY_ZIP, None), (b"%PDF", BINARY_PDF, None),
)


def _binary_kind(data: bytes) -> tuple[str, str | None] | None:
    """What ``data`` is when it is not text: (what, the suffix to give it), or None for text."""
    if data.startswith(b"RIFF") and data[8:12] == b"WEBP":
        return BINARY_WEBP, ".webp"
    for signature, what, suffix in _BINARY_SIGNATURES:
        if data.startswith(signature) and (signature != b"BM" or b"\x00" in data[:64]):
            return what, suffix
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):  # UTF-16 text has a zero byte in every ASCII character
        return None
    head = data[:4096]
    if b"\x00" in head:
        return BINARY_DATA, None
    return None


def read_text_file(path: Path) -> str:
    note_read(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ConvtraceValueError(FILE_UNREADABLE, where=str(path), reason=os_reason(exc)) from None
    kind = _binary_kind(data)
    if kind is not None:
        what, suffix = kind
        if suffix and path.suffix.lower() != suffix:
            hint = Term(BINARY_RENAME, suffix=suffix)
        else:
            hint = Term(BINARY_SAVE_AS if what in (BINARY_ZIP, BINARY_PDF) else BINARY_WHAT_WORKS)
        raise ConvtraceValueError(NOT_TEXT_FILE, where=str(path), what=Term(what), hint=hint)
    return decoded_text(data)


def decoded_text(data: bytes) -> str:
    """A text file's characters: UTF-8 (with or without a BOM); UTF-16 with its BOM (Notepad's
    "Unicode"); else Windows' code page 1252, whose byte 0x96 is the en dash Word puts for a minus;
    bytes it has no character for as Latin-1."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            pass
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def _json_without_matrix(text: str) -> bool:
    """Valid JSON that is not (nested) lists of values: objects, a lone string, …"""
    import json

    try:
        doc = json.loads(text)
    except (ValueError, RecursionError):
        # Broken syntax, nesting past Python's stack, an integer of thousands of digits:
        # the matrix reader reports each where it happens.
        return False

    def lists_only(item) -> bool:
        if isinstance(item, list):
            return all(lists_only(v) for v in item)
        return not isinstance(item, dict)

    try:
        return not isinstance(doc, list) or not lists_only(doc)
    except RecursionError:
        return False


def read_matrix(spec: str, *, allow_blank: bool = False, stdin=None) -> ParsedMatrix:
    """The matrix that ``spec`` names: a path, ``-`` (standard input) or an inline matrix."""
    if not spec.strip():
        raise ConvtraceValueError(EMPTY_ARGUMENT, shown=repr(spec))
    if spec == "-":
        stream = sys.stdin if stdin is None else stdin
        return parse_matrix_text(stream.read(), "<stdin>", allow_blank=allow_blank)
    path = Path(spec)
    try:
        exists = path.exists()
    except OSError:
        exists = False
    if exists:
        if path.is_dir():
            raise ConvtraceValueError(IS_DIRECTORY, where=spec)
        suffix = path.suffix.lower()
        if suffix == ".npy":
            return ParsedMatrix(values=read_npy(path, spec), source=spec)
        if suffix in IMAGE_SUFFIXES:
            return ParsedMatrix(values=read_image(path), source=spec)
        text = read_text_file(path)
        if suffix == ".json" and _json_without_matrix(text):
            raise ConvtraceValueError(JSON_NOT_MATRIX, where=spec)
        return parse_matrix_text(text, spec, allow_blank=allow_blank)
    if looks_inline(spec) or (allow_blank and spec.strip() and "\n" not in spec and ";" in spec):
        return parse_matrix_text(spec, "<argument>", inline=True, allow_blank=allow_blank)
    raise ConvtraceValueError(NO_SUCH_FILE, where=spec)
