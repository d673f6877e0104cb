"""Errors that explain themselves, in English or Spanish.

Every error the library raises carries a message key and its parameters, so the
command line can print it in the user's language; ``str(err)`` is English.
They subclass ValueError or TypeError so plain Python code can catch them the
usual way.
"""

from __future__ import annotations

import errno

from convtrace.messages import Term, translate
from convtrace.messages.options import (
    OS_FILE_CUT_SHORT,
    OS_IS_DIR,
    OS_NAME_TOO_LONG,
    OS_NO_SPACE,
    OS_NOT_DIR,
    OS_NOT_FOUND,
    OS_PERMISSION,
    OS_READ_ONLY,
)

#: The operating system's refusals a user can fix, and how each is said.
OS_REASONS = {
    errno.ENOENT: OS_NOT_FOUND,
    errno.EACCES: OS_PERMISSION,
    errno.EPERM: OS_PERMISSION,
    errno.EISDIR: OS_IS_DIR,
    errno.ENOTDIR: OS_NOT_DIR,
    errno.ENOSPC: OS_NO_SPACE,
    errno.EROFS: OS_READ_ONLY,
    errno.ENAMETOOLONG: OS_NAME_TOO_LONG,
}


def os_reason(exc: OSError) -> str:
    """Why the system (or Pillow) refused, as a term translated with the message it goes in; the
    system's own words where convtrace has none."""
    key = OS_REASONS.get(getattr(exc, "errno", None))
    if key is None and isinstance(exc, PermissionError):
        key = OS_PERMISSION
    if key is None and "truncated" in str(exc):  # Pillow: "image file is truncated (3 bytes not processed)"
        key = OS_FILE_CUT_SHORT
    if key is not None:
        return Term(key)
    return getattr(exc, "strerror", None) or str(exc) or type(exc).__name__


class ConvtraceError(Exception):
    """Base of every error convtrace raises on purpose."""

    def __init__(self, key: str, **params: object) -> None:
        self.key = key
        self.params = params
        super().__init__(self.message("en"))

    def message(self, lang: str = "en") -> str:
        return translate(self.key, lang, **self.params)

    def __reduce__(self):
        # Rebuilt from its key and parameters (a Dask worker's error reaches the client whole):
        # the default would pass the English message back as the key.
        return _rebuilt, (type(self), self.key, self.params)


def _rebuilt(cls, key: str, params: dict) -> ConvtraceError:
    return cls(key, **params)


class ConvtraceValueError(ConvtraceError, ValueError):
    """A value is out of range, the wrong shape, or inconsistent with another."""


class ConvtraceTypeError(ConvtraceError, TypeError):
    """A value has a type convtrace cannot compute with."""
