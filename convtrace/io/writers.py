"""Writing files without ever clobbering or half-writing what the user owns.

Data goes to a temporary file in the target's folder first and is moved into
place in one step, so an interrupted write leaves no partial file.  Without
``overwrite`` the move refuses to replace an existing file, even one that
appeared while we were writing.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from convtrace.errors import ConvtraceValueError
from convtrace.messages.options import OUTPUT_EXISTS

TEMP_PREFIX = ".convtrace-"


def write_atomic(path: Path, data: bytes, *, overwrite: bool = False) -> None:
    """Write ``data`` to ``path`` all at once; refuse an existing ``path`` unless ``overwrite``."""
    path = Path(path)
    if path.exists() and not overwrite:
        raise ConvtraceValueError(OUTPUT_EXISTS, where=str(path))
    folder = path.parent if str(path.parent) else Path(".")
    fd, tmp_name = tempfile.mkstemp(prefix=TEMP_PREFIX, suffix=".tmp", dir=folder)
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if overwrite:
            os.replace(tmp, path)
        else:
            try:
                os.link(tmp, path)  # fails if path appeared meanwhile: never clobbers
            except FileExistsError:
                raise ConvtraceValueError(OUTPUT_EXISTS, where=str(path)) from None
            except OSError:  # file systems without hard links
                if path.exists():
                    raise ConvtraceValueError(OUTPUT_EXISTS, where=str(path)) from None
                os.replace(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()
