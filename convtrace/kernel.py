"""A named filter: integer (or float) weights and an exact scale such as 1/9.

Keeping the scale apart lets integer inputs be summed exactly and scaled once
at the end, and lets the trace show "sum 45 × 1/9 = 5" as the slides do.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from fractions import Fraction
from typing import TYPE_CHECKING

from convtrace.errors import ConvtraceValueError
from convtrace.messages.parsing import UNKNOWN_KERNEL

if TYPE_CHECKING:  # numpy is imported by whoever makes a Kernel; `import convtrace` stays light
    import numpy as np


@dataclass(frozen=True, eq=False)
class Kernel:
    """A filter from the kernel library (or made by hand)."""

    name: str
    weights: np.ndarray
    scale: Fraction = Fraction(1)
    description: str = ""
    aliases: tuple[str, ...] = field(default_factory=tuple)
    descriptions: dict[str, str] = field(default_factory=dict)

    def describe(self, lang: str = "en") -> str:
        """The one-line description in ``lang`` (English when there is none)."""
        return self.descriptions.get(lang) or self.description

    @property
    def array(self) -> np.ndarray:
        """The weights times the scale, as the plain matrix other tools would use."""
        if self.scale == 1:
            return self.weights.copy()
        return self.weights * float(self.scale)

    def __array__(self, dtype=None, copy=None):
        arr = self.array
        return arr if dtype is None else arr.astype(dtype)

    @property
    def shape(self) -> tuple[int, ...]:
        return self.weights.shape


#: How a kernel's library name becomes a Kernel.  The library lives in the I/O layer (it reads
#: files: the built-in kernels/ and CONVTRACE_KERNELS), which this layer may not import; the
#: package (convtrace/__init__.py) registers it, so ``conv2d(x, "sharpen")`` works whatever was
#: imported first.
_resolver: Callable[[str], Kernel] | None = None


def register_kernel_resolver(resolver: Callable[[str], Kernel] | None) -> None:
    """Make ``resolver(name)`` the way :func:`named_kernel` finds a kernel by name (None: no library)."""
    global _resolver
    _resolver = resolver


def named_kernel(name: str) -> Kernel:
    """The library kernel called ``name`` (or one of its aliases, e.g. "enfocar" for sharpen)."""
    if _resolver is None:
        raise ConvtraceValueError(UNKNOWN_KERNEL, name=name, suggestions="…")
    return _resolver(name)
