"""Errors that explain themselves, in English or Spanish.

Every error the library raises carries a message key and its parameters, so the
command line can print it in the user's language; ``str(err)`` is English.
They subclass ValueError or TypeError so plain Python code can catch them the
usual way.
"""

from __future__ import annotations

from convtrace.messages import translate


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
