"""A Pillow image's own pixel memory as a NumPy view, without the copy ``np.asarray`` makes.

NumPy reads a Pillow image through ``tobytes()``: the pixels are packed into a
new bytes object (2 ms for a 1024×768 photo, a fifth of what a batch spends on
it).  Pillow (11.2 and later) also exports its memory through the Arrow C data
interface, a stable ABI: an 8-bit gray image as one buffer of bytes, RGB and
RGBA as four bytes a pixel (RGB's fourth is padding).  :func:`storage_view`
wraps that memory in a read-only array for as long as a ``with`` block lasts;
where Pillow cannot export it (another mode, an image stored in several blocks,
an older Pillow), it gives None and the caller copies as before.
"""

from __future__ import annotations

import contextlib
import ctypes
from collections.abc import Iterator

import numpy as np

#: Modes whose memory is viewed: (Arrow format of the exported array, of its child, bytes a pixel).
VIEWED_MODES = {"L": (b"C", None, 1), "RGB": (b"+w:4", b"C", 4), "RGBA": (b"+w:4", b"C", 4)}


class _ArrowSchema(ctypes.Structure):
    pass


_ArrowSchema._fields_ = [
    ("format", ctypes.c_char_p), ("name", ctypes.c_char_p), ("metadata", ctypes.c_char_p),
    ("flags", ctypes.c_int64), ("n_children", ctypes.c_int64),
    ("children", ctypes.POINTER(ctypes.POINTER(_ArrowSchema))), ("dictionary", ctypes.POINTER(_ArrowSchema)),
    ("release", ctypes.c_void_p), ("private_data", ctypes.c_void_p),
]


class _ArrowArray(ctypes.Structure):
    pass


_ArrowArray._fields_ = [
    ("length", ctypes.c_int64), ("null_count", ctypes.c_int64), ("offset", ctypes.c_int64),
    ("n_buffers", ctypes.c_int64), ("n_children", ctypes.c_int64), ("buffers", ctypes.POINTER(ctypes.c_void_p)),
    ("children", ctypes.POINTER(ctypes.POINTER(_ArrowArray))), ("dictionary", ctypes.POINTER(_ArrowArray)),
    ("release", ctypes.c_void_p), ("private_data", ctypes.c_void_p),
]

try:  # CPython's C API (not on every Python): without it, nothing is viewed
    _capsule_pointer = ctypes.pythonapi.PyCapsule_GetPointer
    _capsule_pointer.restype = ctypes.c_void_p
    _capsule_pointer.argtypes = (ctypes.py_object, ctypes.c_char_p)
except AttributeError:  # pragma: no cover - PyPy and the like
    _capsule_pointer = None


def _data_of(array: _ArrowArray, count: int) -> int | None:
    """The address of ``count`` valid bytes of a uint8 Arrow array, or None."""
    has_nulls = array.null_count not in (0, -1) and array.buffers[0]
    if array.n_buffers != 2 or has_nulls or array.length < count:
        return None
    address = array.buffers[1]
    return None if not address else address + array.offset


def _address_of(img, formats, capsules) -> int | None:
    """Where the exported memory of ``img`` starts, if it is laid out as ``formats`` says."""
    width, height = img.size
    top, child, depth = formats
    schema = _ArrowSchema.from_address(_capsule_pointer(capsules[0], b"arrow_schema"))
    array = _ArrowArray.from_address(_capsule_pointer(capsules[1], b"arrow_array"))
    if schema.format != top or array.length != width * height:
        return None
    if child is None:
        return _data_of(array, width * height)
    if schema.n_children != 1 or array.n_children != 1 or schema.children[0].contents.format != child:
        return None
    address = _data_of(array.children[0].contents, width * height * depth)
    return None if address is None else address + array.offset * depth


@contextlib.contextmanager
def storage_view(img) -> Iterator[np.ndarray | None]:
    """Within the block: ``img``'s pixels as a read-only (H, W) or (H, W, 4) uint8 view, or None."""
    formats = VIEWED_MODES.get(img.mode)
    export = getattr(img, "__arrow_c_array__", None)
    address = None
    if formats is not None and export is not None and _capsule_pointer is not None:
        try:
            capsules = export()
            address = _address_of(img, formats, capsules)
        except Exception:  # noqa: BLE001 - several blocks, an export we do not know: copy instead
            address = None
    if address is None:
        yield None
        return
    width, height = img.size
    depth = formats[2]
    memory = (ctypes.c_uint8 * (width * height * depth)).from_address(address)
    view = np.frombuffer(memory, dtype=np.uint8).reshape((height, width) if depth == 1 else (height, width, depth))
    view.flags.writeable = False
    try:
        yield view
    finally:
        del view, memory, capsules  # the capsules release Pillow's export when they go
