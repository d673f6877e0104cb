"""Typed settings of an operation: every option parsed and checked once.

A :class:`ConvSpec` or :class:`PoolSpec` is made from any spelling — API
keywords (``padding=1``), command-line strings (``"1"``, ``"2x3"``), answer-key
JSON — and is then the only form that passes between the library, the
renderers and the command line.  Specs are frozen dataclasses:
``dataclasses.replace(spec, padding=2)`` gives a checked variant, which is how
grading describes a student's mistake.  ``to_dict``/``from_dict`` is the JSON
form used in answer keys and exports.
"""

from __future__ import annotations

import dataclasses
import functools
import numbers
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, ClassVar

from convtrace.errors import ConvtraceValueError
from convtrace.messages.params import (
    BAD_PAD_VALUE,
    BAD_SPEC,
    SPEC_UNKNOWN_FIELD,
    UNKNOWN_POOL_MODE,
)
from convtrace.names import POOL_MODES
from convtrace.params import as_bool, as_pair, normalize_pad_mode, parse_padding
from convtrace.syntax import number_value, parse_number

#: The version of the JSON form written by ``to_dict``.
SPEC_FORMAT = 1

POOL_MODE_ALIASES = {
    "max": "max", "maximum": "max", "máximo": "max", "maximo": "max",
    "avg": "avg", "average": "avg", "mean": "avg", "promedio": "avg", "media": "avg",
    "min": "min", "minimum": "min", "mínimo": "min", "minimo": "min",
    "sum": "sum", "add": "sum", "suma": "sum",
}

#: Padding as stored in a spec: a keyword resolved against the input ('same',
#: 'full'), or explicit (top, bottom, left, right).  'valid' is (0, 0, 0, 0).
Padding = str | tuple[int, int, int, int]

NO_PADDING = (0, 0, 0, 0)


def normalize_pool_mode(mode: object) -> str:
    """convtrace's name for a pooling mode ('max', 'avg', 'min', 'sum') in any accepted spelling."""
    key = str(mode).strip().lower()
    if key not in POOL_MODE_ALIASES:
        raise ConvtraceValueError(UNKNOWN_POOL_MODE, value=mode, choices=", ".join(POOL_MODES))
    return POOL_MODE_ALIASES[key]


def as_padding(value: object) -> Padding:
    """Any padding spelling as 'same', 'full' or (top, bottom, left, right)."""
    parsed = parse_padding(value)
    return NO_PADDING if parsed == "valid" else parsed


def as_pad_value(value: object) -> int | float:
    """The constant for zero padding: a finite real number (a string is parsed)."""
    if isinstance(value, str):
        try:
            value = number_value(parse_number(value))
        except (ValueError, ZeroDivisionError):
            raise ConvtraceValueError(BAD_PAD_VALUE, value=value) from None
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise ConvtraceValueError(BAD_PAD_VALUE, value=value)
    try:
        finite = abs(float(value)) != float("inf") and float(value) == float(value)
    except OverflowError:
        finite = False
    if not finite:
        raise ConvtraceValueError(BAD_PAD_VALUE, value=value)
    if isinstance(value, numbers.Integral):
        return int(value)
    if isinstance(value, Fraction):
        return number_value(value)
    return float(value)


def padding_to_json(padding: Padding) -> object:
    if isinstance(padding, str):
        return padding
    top, bottom, left, right = padding
    if top == bottom == left == right:
        return top
    return list(padding)


def _pair_to_json(pair: tuple[int, int]) -> object:
    return pair[0] if pair[0] == pair[1] else list(pair)


def _check_fields(cls, values: dict, where: str, extra: tuple[str, ...] = ()) -> None:
    """Refuse a setting ``cls`` does not have, naming the ones it has."""
    names = {f.name for f in dataclasses.fields(cls)}
    unknown = sorted(set(values) - names - set(extra), key=str)
    if unknown:
        raise ConvtraceValueError(SPEC_UNKNOWN_FIELD, where=where, field=unknown[0], fields=", ".join(sorted(names)))


class _Spec:
    """What both specs share: checked construction, variants and the JSON form."""

    kind: ClassVar[str]

    def _set(self, name: str, value: object) -> None:
        object.__setattr__(self, name, value)

    def replace(self, **changes: Any):
        """A checked copy with ``changes`` applied (``dataclasses.replace`` does the same)."""
        _check_fields(type(self), changes, "spec")
        return dataclasses.replace(self, **changes)

    def to_dict(self) -> dict:
        doc: dict[str, Any] = {}
        for f in dataclasses.fields(self):
            value = getattr(self, f.name)
            if f.name == "padding":
                value = padding_to_json(value)
            elif isinstance(value, tuple):
                value = _pair_to_json(value)
            doc[f.name] = value
        return doc

    @classmethod
    def from_dict(cls, doc: object, where: str = "spec"):
        """A spec from its JSON form; any spelling the constructor accepts, unknown fields refused."""
        if not isinstance(doc, dict):
            raise ConvtraceValueError(BAD_SPEC, where=where, reason="params must be an object")
        names = {f.name for f in dataclasses.fields(cls)}
        _check_fields(cls, doc, where, extra=("pads",))
        values = {k: v for k, v in doc.items() if k in names}
        for key, value in values.items():
            if isinstance(value, list):
                values[key] = tuple(value)
        return cls(**values)


@dataclass(frozen=True)
class ConvSpec(_Spec):
    """Settings of a convolution (cross-correlation unless ``flip``)."""

    kind: ClassVar[str] = "conv2d"

    padding: Padding = NO_PADDING
    pad_mode: str = "zeros"
    pad_value: int | float = 0
    stride: tuple[int, int] = (1, 1)
    dilation: tuple[int, int] = (1, 1)
    flip: bool = False

    def __post_init__(self) -> None:
        self._set("padding", as_padding(self.padding))
        self._set("pad_mode", normalize_pad_mode(self.pad_mode))
        self._set("pad_value", as_pad_value(self.pad_value))
        self._set("stride", as_pair(self.stride, "stride"))
        self._set("dilation", as_pair(self.dilation, "dilation"))
        self._set("flip", as_bool(self.flip, "flip"))

    @property
    def constant(self) -> int | float:
        """The value padding cells take: ``pad_value`` for zero padding, unused (0) otherwise."""
        return self.pad_value if self.pad_mode == "zeros" else 0


@dataclass(frozen=True)
class PoolSpec(_Spec):
    """Settings of a pooling; ``stride`` None means "the window size" (the one default-stride rule)."""

    kind: ClassVar[str] = "pool2d"

    size: tuple[int, int] | str = (2, 2)
    mode: str = "max"
    stride: tuple[int, int] | None = None
    padding: Padding = NO_PADDING
    ceil_mode: bool = False
    count_include_pad: bool = True
    dilation: tuple[int, int] = (1, 1)

    def __post_init__(self) -> None:
        if isinstance(self.size, str) and self.size.strip().lower() == "global":
            self._set("size", "global")
        else:
            self._set("size", as_pair(self.size, "size"))
        self._set("mode", normalize_pool_mode(self.mode))
        if self.stride is not None and not (isinstance(self.stride, str) and not self.stride.strip()):
            self._set("stride", as_pair(self.stride, "stride"))
        else:
            self._set("stride", None)
        self._set("padding", as_padding(self.padding))
        self._set("ceil_mode", as_bool(self.ceil_mode, "ceil_mode"))
        self._set("count_include_pad", as_bool(self.count_include_pad, "count_include_pad"))
        self._set("dilation", as_pair(self.dilation, "dilation"))

    def window(self, input_hw: tuple[int, int]) -> tuple[int, int]:
        """The window's (rows, cols) for an input of ``input_hw``: 'global' covers it all."""
        return tuple(input_hw) if self.size == "global" else self.size  # type: ignore[return-value]

    def stride_for(self, window: tuple[int, int]) -> tuple[int, int]:
        """The stride applied: as given, else the window size (PyTorch's and Keras' default)."""
        return window if self.stride is None else self.stride


Spec = ConvSpec | PoolSpec

SPEC_TYPES: dict[str, type] = {ConvSpec.kind: ConvSpec, PoolSpec.kind: PoolSpec}


def spec_from_dict(op: object, params: object, where: str = "spec") -> Spec:
    """The spec for operation name ``op`` ('conv2d' / 'pool2d') from its JSON parameters."""
    cls = SPEC_TYPES.get(op) if isinstance(op, str) else None
    if cls is None:
        raise ConvtraceValueError(BAD_SPEC, where=where,
                                  reason=f"op must be one of {', '.join(SPEC_TYPES)}, got {op!r}")
    return cls.from_dict(params, where)


def make_spec(cls, spec=None, **options):
    """``spec`` with ``options`` applied, or a new ``cls`` from them; unknown options refused."""
    if spec is None:
        key = _options_key(options)
        if key is not None:
            return _spec_from_options(cls, key)
    if spec is not None and not options:
        return spec
    _check_fields(cls, options, "options")
    if spec is None:
        return cls(**options)
    return spec.replace(**options)


#: Option values whose type and value make a key as they are (no tuple whose items need their types).
_SCALAR_TYPES = frozenset({str, int, float, bool, type(None)})


def _options_key(options: dict) -> tuple | None:
    """The options as a cache key that tells 1, 1.0 and True apart, or None when a value is unhashable."""
    types = tuple(map(type, options.values()))
    if _SCALAR_TYPES.issuperset(types):  # the common case, without sorting or a call per value
        return (_SCALARS_KEY, tuple(options), tuple(options.values()), types)
    try:
        key = tuple(sorted((name, _typed(value)) for name, value in options.items()))
        hash(key)
    except TypeError:
        return None
    return key


_SCALARS_KEY = "scalars"  # marks a key of _options_key's common case (a typed key starts with a tuple)


def _typed(value):
    if isinstance(value, tuple):
        return tuple(_typed(item) for item in value)
    return type(value), value


@functools.lru_cache(maxsize=64)
def _spec_from_options(cls, key: tuple):
    """Specs are immutable: a loop over images with the same keywords parses them once (15 µs a call)."""
    if key[0] is _SCALARS_KEY:
        options = dict(zip(key[1], key[2], strict=True))
    else:
        options = {name: _untyped(value) for name, value in key}
    _check_fields(cls, options, "options")
    return cls(**options)


def _untyped(value):
    if len(value) == 2 and isinstance(value[0], type):
        return value[1]
    return tuple(_untyped(item) for item in value)


