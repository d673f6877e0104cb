"""A named filter: integer (or float) weights and an exact scale such as 1/9.

Keeping the scale apart lets integer inputs be summed exactly and scaled once
at the end, and lets the trace show "sum 45 × 1/9 = 5" as the slides do.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction

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
