"""The files a command reads, so that it never writes over one of them (``-o`` naming INPUT, ``--force`` or not).

Standard library only: the command line enters :func:`inputs_protected` for
every command without loading NumPy.  Outside it (the library in a notebook,
a batch's workers) nothing is recorded and nothing is refused.
"""

from __future__ import annotations

import contextlib
import os

#: The resolved paths read by the command running now; None when no command is running.
_files_read: set[str] | None = None


def note_read(path) -> None:
    """Remember that ``path`` is an input of the command running now (if one is)."""
    if _files_read is not None and isinstance(path, (str, os.PathLike)):
        _files_read.add(os.path.realpath(path))


def is_input(path) -> bool:
    """Whether ``path`` (by any name: links are resolved) is a file the running command has read."""
    return _files_read is not None and os.path.realpath(path) in _files_read


@contextlib.contextmanager
def inputs_protected():
    """Within the block, what is read is remembered and :func:`is_input` answers for it."""
    global _files_read
    outer, _files_read = _files_read, set()
    try:
        yield
    finally:
        _files_read = outer
