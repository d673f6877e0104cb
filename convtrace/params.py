"""Reading and checking convolution parameters: padding, stride, dilation, border modes.

The output-size arithmetic lives here, once: ``floor((n + p_total - d*(k-1) - 1) / s) + 1``
(ceil for pooling's ``ceil_mode``), so the trace can show it with the numbers filled in.
"""

from __future__ import annotations

import functools
import numbers
import re
from dataclasses import dataclass
from functools import cached_property

import numpy as np

from convtrace.errors import ConvtraceValueError
from convtrace.limits import MAX_PARAM
from convtrace.messages import Term
from convtrace.messages.params import (
    BAD_BOOL_PARAM,
    BAD_INT_PARAM,
    BAD_PADDING,
    EXPECTED_INT_PAIR,
    EXPECTED_PAIR_OF_POSITIVE_INTS,
    EXPECTED_POSITIVE_INT,
    EXPECTED_POSITIVE_INT_PAIR,
    KERNEL_EXTENT_DILATED,
    KERNEL_TOO_LARGE,
    NEGATIVE_PADDING,
    PARAM_TOO_LARGE,
    PARAM_TOO_SMALL,
    UNKNOWN_PAD_MODE,
    param_name,
)
from convtrace.names import PAD_MODES

#: Other libraries' names for convtrace's five border modes.  Careful: SciPy's
#: ndimage "reflect" is NumPy's "symmetric" (d c b a | a b c d); convtrace
#: uses the NumPy / PyTorch meaning of "reflect" (d c b | a b c d), so
#: "reflect" here never means SciPy's.
PAD_MODE_ALIASES = {
    # constant
    "zeros": "zeros", "zero": "zeros", "constant": "zeros", "fill": "zeros", "grid_constant": "zeros",
    "border_constant": "zeros", "black": "zeros", "background": "zeros",
    # d c b | a b c d
    "reflect": "reflect", "mirror": "reflect", "reflect_101": "reflect", "reflect101": "reflect",
    "border_reflect_101": "reflect", "border_reflect101": "reflect", "border_default": "reflect",
    # d c b a | a b c d
    "symmetric": "symmetric", "symm": "symmetric", "half_symmetric": "symmetric", "grid_mirror": "symmetric",
    "border_reflect": "symmetric",
    # a a a | a b c d
    "replicate": "replicate", "edge": "replicate", "nearest": "replicate", "clamp": "replicate",
    "border_replicate": "replicate",
    # b c d | a b c d
    "circular": "circular", "wrap": "circular", "grid_wrap": "circular", "periodic": "circular",
    "tile": "circular", "border_wrap": "circular",
}

PADDING_KEYWORDS = ("valid", "same", "full")


def normalize_pad_mode(name: str) -> str:
    """convtrace's name for a border mode given in any library's spelling."""
    if not isinstance(name, str):
        raise ConvtraceValueError(UNKNOWN_PAD_MODE, value=name, choices=", ".join(PAD_MODES))
    key = re.sub(r"[\s\-]+", "_", name.strip().lower())
    if key.startswith("cv2."):
        key = key[4:]
    if key in PAD_MODE_ALIASES:
        return PAD_MODE_ALIASES[key]
    raise ConvtraceValueError(UNKNOWN_PAD_MODE, value=name, choices=", ".join(PAD_MODES))


def as_bool(value: object, name: str) -> bool:
    """A real boolean: ``flip="no"`` is an error, not a truthy string."""
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    raise ConvtraceValueError(BAD_BOOL_PARAM, name=name, value=value)


def _as_int(value: object, name: str, expected: str | Term) -> int:
    if type(value) is int:  # the common case, before the costlier checks below
        return value
    if isinstance(value, (bool, np.bool_)):
        raise ConvtraceValueError(BAD_INT_PARAM, name=param_name(name), expected=expected, value=value)
    if isinstance(value, numbers.Integral):
        return int(value)
    try:
        if isinstance(value, numbers.Real) and float(value).is_integer():
            return int(value)
    except (OverflowError, ValueError, TypeError):
        pass
    if isinstance(value, str) and re.fullmatch(r"\s*[+-]?\d{1,4300}\s*", value):
        return int(value)
    raise ConvtraceValueError(BAD_INT_PARAM, name=param_name(name), expected=expected, value=value)


def _check_range(value: int, name: str, minimum: int) -> int:
    """``value`` between ``minimum`` and :data:`~convtrace.limits.MAX_PARAM`, or an error."""
    if value < minimum:
        raise ConvtraceValueError(PARAM_TOO_SMALL, name=param_name(name), minimum=minimum, value=value)
    if value > MAX_PARAM:
        raise ConvtraceValueError(PARAM_TOO_LARGE, name=param_name(name), maximum=MAX_PARAM, value=value)
    return value


#: An x or × between two numbers, as in 3x3 or 2 × 2.
_TIMES = re.compile(r"(?<=\d)\s*[x×]\s*(?=[-+]?\d)")


def _split(value: object) -> object:
    """'2,3' / '2x3' / '2 × 3' / '2 3' as a tuple of strings; other values unchanged.  An x or × only
    separates two numbers: in '1,1,x' it is a part (and refused), not a separator to drop."""
    if isinstance(value, str):
        text = _TIMES.sub(",", value.strip().strip("()[]"))
        parts = [p for p in re.split(r"[\s,;]+", text) if p]
        if len(parts) > 1:
            return tuple(parts)
        if parts:
            return parts[0]
    return value


def as_pair(value: object, name: str, minimum: int = 1) -> tuple[int, int]:
    """An int or a pair of ints (each >= ``minimum``) as (rows, cols)."""
    expected = Term(EXPECTED_INT_PAIR if minimum <= 0 else EXPECTED_POSITIVE_INT_PAIR)
    value = _split(value)
    if isinstance(value, (tuple, list)):
        if len(value) == 1:
            value = (value[0], value[0])
        if len(value) != 2:
            raise ConvtraceValueError(BAD_INT_PARAM, name=param_name(name), expected=expected, value=value)
        pair = (_as_int(value[0], name, expected), _as_int(value[1], name, expected))
    else:
        single = _as_int(value, name, expected)
        pair = (single, single)
    for v in pair:
        _check_range(v, name, minimum)
    return pair


def parse_padding(value: object) -> str | tuple[int, int, int, int]:
    """'valid' / 'same' / 'full', or explicit (top, bottom, left, right)."""
    raw, value = value, _split(value)
    if isinstance(value, str) and value.strip().lower() in PADDING_KEYWORDS:
        return value.strip().lower()
    try:
        if isinstance(value, (tuple, list)):
            sides = tuple(_as_int(v, "padding", "") for v in value)
        else:
            sides = (_as_int(value, "padding", ""),)
    except ConvtraceValueError:
        raise ConvtraceValueError(BAD_PADDING, value=raw) from None
    if len(sides) == 1:
        sides = sides * 4
    elif len(sides) == 2:
        sides = (sides[0], sides[0], sides[1], sides[1])
    elif len(sides) != 4:
        raise ConvtraceValueError(BAD_PADDING, value=raw)
    if any(s < 0 for s in sides):
        raise ConvtraceValueError(NEGATIVE_PADDING, value=raw)
    for side in sides:
        _check_range(side, "padding", 0)
    return sides  # type: ignore[return-value]


def _positive(value: object, name: str) -> int:
    """A positive int setting (1 … MAX_PARAM), or an error naming it."""
    return _check_range(_as_int(value, name, Term(EXPECTED_POSITIVE_INT)), name, 1)


def _positive_pair(value: object, name: str) -> tuple[int, int]:
    if not isinstance(value, (tuple, list, np.ndarray)) or len(value) != 2:
        raise ConvtraceValueError(BAD_INT_PARAM, name=param_name(name), expected=Term(EXPECTED_PAIR_OF_POSITIVE_INTS),
                                  value=value)
    return _positive(value[0], name), _positive(value[1], name)


def same_padding(n: int, k: int, stride: int = 1, dilation: int = 1) -> tuple[int, int]:
    """(before, after) padding for 'same': n' = ceil(n / stride), extra at the end.

    The odd pixel goes after (bottom/right), as PyTorch's padding='same' and
    TensorFlow's 'SAME' do.
    """
    n, k = _positive(n, "n"), _positive(k, "k")
    stride, dilation = _positive(stride, "stride"), _positive(dilation, "dilation")
    out = -(-n // stride)
    total = max((out - 1) * stride + dilation * (k - 1) + 1 - n, 0)
    return total // 2, total - total // 2


def full_padding(k: int, dilation: int = 1) -> tuple[int, int]:
    """(before, after) padding for 'full': every overlap of kernel and input."""
    k, dilation = _positive(k, "k"), _positive(dilation, "dilation")
    return dilation * (k - 1), dilation * (k - 1)


def resolve_padding(
    padding: object,
    input_hw: tuple[int, int],
    kernel_hw: tuple[int, int],
    stride: tuple[int, int] = (1, 1),
    dilation: tuple[int, int] = (1, 1),
) -> tuple[int, int, int, int]:
    """The padding actually applied, (top, bottom, left, right), for any padding spec."""
    spec = parse_padding(padding)
    if spec == "valid":
        return (0, 0, 0, 0)
    if isinstance(spec, str):
        input_hw = _positive_pair(input_hw, "input_hw")
        kernel_hw = _positive_pair(kernel_hw, "kernel_hw")
        stride = _positive_pair(stride, "stride")
        dilation = _positive_pair(dilation, "dilation")
    if spec == "same":
        rows = same_padding(input_hw[0], kernel_hw[0], stride[0], dilation[0])
        cols = same_padding(input_hw[1], kernel_hw[1], stride[1], dilation[1])
        return rows + cols
    if spec == "full":
        return full_padding(kernel_hw[0], dilation[0]) + full_padding(kernel_hw[1], dilation[1])
    return spec  # type: ignore[return-value]


@functools.lru_cache(maxsize=64)
def resolved_padding(padding: str | tuple[int, int, int, int], input_hw: tuple[int, int],
                     kernel_hw: tuple[int, int], stride: tuple[int, int],
                     dilation: tuple[int, int]) -> tuple[int, int, int, int]:
    """:func:`resolve_padding` for a spec's checked settings, remembered: a loop over same-sized
    images resolves them once (the checks cost more than the convolution of a small image)."""
    return resolve_padding(padding, input_hw, kernel_hw, stride, dilation)


@dataclass(frozen=True)
class SizeArithmetic:
    """One axis of the output-size formula, with every number the trace shows."""

    n: int
    k: int
    pad_before: int
    pad_after: int
    stride: int
    dilation: int
    ceil_mode: bool
    size: int

    @cached_property
    def never_read(self) -> tuple[int, ...]:
        """Input positions (0-based) that no window ever reads."""
        if self.size < 1:
            return tuple(range(self.n))
        # Mark what the windows read with one strided slice per output position or per tap,
        # whichever is fewer: memory stays O(n) however large the window or the output.
        read = np.zeros(self.n, dtype=bool)
        outer, outer_step, inner, inner_step = (
            (self.size, self.stride, self.k, self.dilation) if self.size <= self.k
            else (self.k, self.dilation, self.size, self.stride))
        for o in range(outer):
            first = o * outer_step - self.pad_before
            # inner indices t with 0 <= first + t * inner_step < n
            lo = 0 if first >= 0 else -(first // inner_step)
            hi = min(inner - 1, (self.n - 1 - first) // inner_step) if first <= self.n - 1 else -1
            if lo <= hi:
                read[first + lo * inner_step:first + hi * inner_step + 1:inner_step] = True
        return tuple(int(p) for p in np.flatnonzero(~read))

    @property
    def pad_total(self) -> int:
        return self.pad_before + self.pad_after

    @property
    def span(self) -> int:
        """The dilated window's extent, d·(k−1)+1."""
        return self.dilation * (self.k - 1) + 1

    @property
    def numerator(self) -> int:
        return self.n + self.pad_total - self.dilation * (self.k - 1) - 1

    @property
    def exact(self) -> bool:
        """Whether the stride divides the numerator evenly (no leftover rows/cols)."""
        return self.numerator % self.stride == 0


def _size_formula(n, k, before, after, stride, dilation, ceil_mode):
    numerator = n + before + after - dilation * (k - 1) - 1
    if numerator < 0:
        return 0
    if not ceil_mode:
        return numerator // stride + 1
    size = -(-numerator // stride) + 1
    # PyTorch: the last window must start inside the input or the left padding.
    if (size - 1) * stride >= n + before:
        size -= 1
    return size


def size_arithmetic(n, k, before=0, after=0, stride=1, dilation=1, ceil_mode=False) -> SizeArithmetic:
    """The output-size arithmetic along one axis, and which inputs no window reads."""
    return _size_arithmetic(int(n), int(k), int(before), int(after), int(stride), int(dilation), bool(ceil_mode))


@functools.lru_cache(maxsize=64)
def _size_arithmetic(n, k, before, after, stride, dilation, ceil_mode) -> SizeArithmetic:
    # Immutable: a loop over same-sized images shares one (and its never_read, made once).
    size = _size_formula(n, k, before, after, stride, dilation, ceil_mode)
    return SizeArithmetic(n, k, before, after, stride, dilation, ceil_mode, size)


def output_size(n: int, k: int, padding: object = 0, stride: int = 1, dilation: int = 1,
                ceil_mode: bool = False) -> int:
    """Output length along one axis: ⌊(n + p_total − d·(k−1) − 1) / s⌋ + 1.

    ``padding`` is the padding on each side (an int), a ``(before, after)``
    pair, or 'valid' / 'same' / 'full'.  ``ceil_mode`` rounds up as PyTorch's
    pooling does, dropping a last window that would start in the right padding.
    Raises ValueError when the window does not fit at all.
    """
    n, k = _positive(n, "n"), _positive(k, "k")
    ceil_mode = as_bool(ceil_mode, "ceil_mode")
    stride = as_pair(stride, "stride")[0]
    dilation = as_pair(dilation, "dilation")[0]
    if isinstance(padding, str) and padding.strip().lower() in PADDING_KEYWORDS:
        before, after = resolve_padding(padding, (n, n), (k, k), (stride, stride), (dilation, dilation))[:2]
    elif isinstance(padding, (tuple, list)) and len(padding) == 2:
        before, after = as_pair(padding, "padding", minimum=0)
    else:
        before = after = as_pair(padding, "padding", minimum=0)[0]
    size = _size_formula(n, k, before, after, stride, dilation, ceil_mode)
    if size < 1:
        raise ConvtraceValueError(
            KERNEL_TOO_LARGE, kernel=_extent_text(k, dilation), padded=str(n + before + after)
        )
    return size


def _extent_text(k: int, dilation: int) -> str:
    if dilation == 1:
        return str(k)
    return f"{k}, spanning {dilation * (k - 1) + 1} with dilation {dilation}"


def kernel_extent_text(kh: int, kw: int, dilation: tuple[int, int]) -> str:
    """'3×3', or '3×3 spanning 5×5 with dilation 2,2' in the message's language — for error messages."""
    size = f"{kh}×{kw}"
    if dilation == (1, 1):
        return size
    return Term(KERNEL_EXTENT_DILATED, size=size, extent=f"{dilation[0] * (kh - 1) + 1}×{dilation[1] * (kw - 1) + 1}",
                dilation=f"{dilation[0]},{dilation[1]}")

