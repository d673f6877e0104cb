"""Writing files without ever clobbering or half-writing what the user owns.

Data goes to a temporary file in the target's folder first and is moved into
place in one step, so an interrupted write leaves no partial file.  Without
``overwrite`` the move refuses to replace an existing file, even one that
appeared while we were writing.

Permissions: a new file gets the mode any other program would give it, 0666
less the umask (0644 under the usual umask 022); a file replaced with
``overwrite`` keeps its own mode (a 0640 file stays 0640).

Refused with one clear error, before anything is written: a folder that does
not exist ("create it first"), a path whose folder is a file, a target that
is a folder or not a regular file (a device, a pipe: never replaced, with or
without ``overwrite``), and a folder or file the user may not write.
"""

from __future__ import annotations

import errno
import os
import stat
import tempfile
from pathlib import Path

from convtrace.errors import ConvtraceValueError, os_reason
from convtrace.io.inputs import is_input
from convtrace.messages.options import OUTPUT_EXISTS, OUTPUT_IS_INPUT
from convtrace.messages.parsing import (
    OUTPUT_FOLDER_MISSING,
    OUTPUT_FOLDER_NOT_FOLDER,
    OUTPUT_IS_FOLDER,
    OUTPUT_NOT_REGULAR,
    OUTPUT_PERMISSION,
    OUTPUT_UNWRITABLE,
)

TEMP_PREFIX = ".convtrace-"


def current_umask() -> int:
    """The process's umask (read by setting it and putting it straight back)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _os_error(exc: OSError, path: Path) -> ConvtraceValueError:
    if isinstance(exc, PermissionError) or exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return ConvtraceValueError(OUTPUT_PERMISSION, where=str(path))
    return ConvtraceValueError(OUTPUT_UNWRITABLE, where=str(path), reason=os_reason(exc))


def _target_mode(path: Path, overwrite: bool) -> int:
    """The mode the written file gets; refuses targets that must never be replaced."""
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return 0o666 & ~current_umask()
    except NotADirectoryError:
        raise ConvtraceValueError(OUTPUT_FOLDER_NOT_FOLDER, where=str(path), folder=str(path.parent)) from None
    except OSError as exc:
        raise _os_error(exc, path) from None
    if stat.S_ISDIR(st.st_mode):
        raise ConvtraceValueError(OUTPUT_IS_FOLDER, where=str(path))
    if not stat.S_ISREG(st.st_mode):
        raise ConvtraceValueError(OUTPUT_NOT_REGULAR, where=str(path))
    if not overwrite:
        raise ConvtraceValueError(OUTPUT_EXISTS, where=str(path))
    return stat.S_IMODE(st.st_mode)


def _check_folder(folder: Path, path: Path) -> None:
    try:
        st = os.stat(folder)
    except FileNotFoundError:
        raise ConvtraceValueError(OUTPUT_FOLDER_MISSING, where=str(path), folder=str(folder)) from None
    except NotADirectoryError:
        raise ConvtraceValueError(OUTPUT_FOLDER_NOT_FOLDER, where=str(path), folder=str(folder)) from None
    except OSError as exc:
        raise _os_error(exc, path) from None
    if not stat.S_ISDIR(st.st_mode):
        raise ConvtraceValueError(OUTPUT_FOLDER_NOT_FOLDER, where=str(path), folder=str(folder))


def write_atomic(path: Path, data, *, overwrite: bool = False, prefix: str = TEMP_PREFIX) -> None:
    """Write ``data`` to ``path`` all at once; refuse an existing ``path`` unless ``overwrite``.

    ``data`` is bytes, or a function that writes the file into the binary handle it is given: an
    encoder that writes to a real file can work while other threads run (Pillow holds the GIL
    while encoding into memory, not into a file).  Whatever it raises is raised, and nothing is
    left behind.
    """
    path = Path(path)
    if is_input(path):
        raise ConvtraceValueError(OUTPUT_IS_INPUT, where=str(path))
    folder = path.parent if str(path.parent) else Path(".")
    _check_folder(folder, path)
    mode = _target_mode(path, overwrite)
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=prefix, suffix=".tmp", dir=folder)
    except OSError as exc:
        raise _os_error(exc, path) from None
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as handle:
            os.fchmod(handle.fileno(), mode)
            if callable(data):
                data(handle)
            else:
                handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if overwrite:
            if path.is_dir():  # a folder that appeared meanwhile is never replaced
                raise ConvtraceValueError(OUTPUT_IS_FOLDER, where=str(path))
            os.replace(tmp, path)
        else:
            try:
                os.link(tmp, path)  # fails if path appeared meanwhile: never clobbers
            except FileExistsError:
                raise ConvtraceValueError(OUTPUT_EXISTS, where=str(path)) from None
            except OSError:  # file systems without hard links
                if path.exists() or path.is_symlink():
                    raise ConvtraceValueError(OUTPUT_EXISTS, where=str(path)) from None
                os.replace(tmp, path)
    except OSError as exc:
        raise _os_error(exc, path) from None
    finally:
        try:
            tmp.unlink()
        except FileNotFoundError:
            pass
        except OSError:  # pragma: no cover - nothing more to do; the target is intact
            pass
