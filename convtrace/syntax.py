"""The small grammars users type: numbers, sizes, pairs and pooling steps.

One parser each, shared by the API, the command line, matrix files and answer
keys, so ``1/9``, ``−3`` (the slides' typographic minus) and ``5x5`` mean the
same thing wherever they are written.
"""

from __future__ import annotations

import re
from fractions import Fraction

from convtrace.errors import ConvtraceValueError
from convtrace.messages.options import BAD_NUMBER_OPTION, BAD_POOL_SPEC, BAD_SIZE_SPEC

#: Minus signs people paste from slides and word processors.
MINUS_SIGNS = "\u2212\u2013\u2012\ufe63\uff0d"
_MINUS_TABLE = str.maketrans({c: "-" for c in MINUS_SIGNS})

_NUMBER = re.compile(
    r"""^[+-]?(
        (\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?   # 12, 1.5, .5, 1e-3
        |\d+/\d+                              # 1/9
        |inf|infinity|nan
    )$""",
    re.VERBOSE | re.IGNORECASE,
)
_INTEGER = re.compile(r"[+-]?\d+")
_LITERALS = ("inf", "infinity", "nan")

#: The integers a number written in a matrix may be (int64): past them, the engine cannot be exact.
INT64_MIN, INT64_MAX = -(1 << 63), (1 << 63) - 1
#: Decimal digits of INT64_MAX; an integer written with more (leading zeros aside) is beyond int64.
_INT64_DIGITS = len(str(INT64_MAX))


class NumberTooLarge(ValueError):
    """A number that fits nowhere convtrace computes: a decimal past ±1.8e308 (``1e999``), or
    an integer (or a fraction's numerator or denominator) past 64 bits.  ``integer`` tells which."""

    def __init__(self, text: str, integer: bool) -> None:
        super().__init__(text)
        self.text = text
        self.integer = integer

#: Separators accepted between the two numbers of a size or pair: 5x5, 5×5, 5,5, 5 5.
_PAIR_SEPARATORS = re.compile(r"[\s,;x×X*]+")


def normalise_minus(text: str) -> str:
    """Typographic minus signs as ASCII '-'."""
    return text.translate(_MINUS_TABLE)


def is_number(text: str) -> bool:
    """Whether ``text`` is one number in the syntax :func:`parse_number` reads."""
    return bool(_NUMBER.match(normalise_minus(text.strip())))


def _integer(digits: str, text: str, bounded: bool) -> int:
    """``digits`` (an optional sign and decimal digits) as an int; past int64 an error when ``bounded``."""
    if bounded:
        if len(digits.lstrip("+-").lstrip("0")) > _INT64_DIGITS:
            raise NumberTooLarge(text, integer=True)  # before int(): no huge conversions
        value = int(digits)
        if not INT64_MIN <= value <= INT64_MAX:
            raise NumberTooLarge(text, integer=True)
        return value
    return int(digits)


def parse_number(text: str, *, bounded: bool = False) -> Fraction | float:
    """An exact Fraction for integers and fractions such as 1/9; a float for decimals, inf and nan.

    Raises ValueError (ZeroDivisionError for ``n/0``) when ``text`` is not a
    number; callers turn that into a message that says where it was written.
    With ``bounded`` (matrices and kernels), a number that fits nowhere raises
    :class:`NumberTooLarge`: a decimal whose value overflows a float (``1e999``
    would silently be inf), or an integer, numerator or denominator beyond
    int64 (``99999999999999999999`` would silently be rounded or wrap).
    """
    text = normalise_minus(text.strip())
    if not _NUMBER.match(text):
        raise ValueError(text)
    lowered = text.lower().lstrip("+-")
    if lowered in _LITERALS:
        return float(text)
    if "/" in text:
        num, den = text.lstrip("+").split("/")
        numerator, denominator = _integer(num, text, bounded), _integer(den, text, bounded)
        if denominator == 0:
            raise ZeroDivisionError(text)
        return Fraction(numerator, denominator)
    if _INTEGER.fullmatch(text):
        return Fraction(_integer(text, text, bounded))
    value = float(text)
    if bounded and value in (float("inf"), float("-inf")):
        raise NumberTooLarge(text, integer=False)
    return value


def float_spelling(text: str) -> str:
    """An integer or fraction written in full as the short float literal to use instead:
    '99999999999999999999' → '1e+20', '-123456789012345678901/7' → '-1.76e+19'."""
    from decimal import Decimal, InvalidOperation, localcontext

    text = normalise_minus(text.strip()).lstrip("+")
    try:
        with localcontext() as ctx:
            ctx.prec = 3
            if "/" in text:
                num, den = text.split("/")
                value = Decimal(num) / Decimal(den)
            else:
                value = +Decimal(text)
    except (InvalidOperation, ArithmeticError, ValueError):
        return "1e20"
    spelled = f"{value:.3g}".lower()
    mantissa, _, exponent = spelled.partition("e")
    if "." in mantissa:
        mantissa = mantissa.rstrip("0").rstrip(".")
    return f"{mantissa}e{int(exponent)}" if exponent else mantissa


def number_value(value: Fraction | float) -> int | float:
    """A parsed number as the plain Python value the engine takes: int when whole, else float."""
    if isinstance(value, Fraction):
        return int(value) if value.denominator == 1 else float(value)
    return value


def parse_number_option(text: str, name: str) -> int | float:
    """A number given on the command line for option ``name``, or a clear error."""
    try:
        return number_value(parse_number(text))
    except (ValueError, ZeroDivisionError):
        raise ConvtraceValueError(BAD_NUMBER_OPTION, name=name, value=text) from None


def split_pair(value: object) -> object:
    """'2,3' / '2x3' / '2 3' / '(2, 3)' as a tuple of strings; anything else unchanged."""
    if isinstance(value, str):
        parts = [p for p in _PAIR_SEPARATORS.split(value.strip().strip("()[]")) if p]
        if len(parts) > 1:
            return tuple(parts)
        if parts:
            return parts[0]
    return value


def parse_size(text: str) -> tuple[int, int]:
    """'5x5', '5×7', '5,7' or '5' as (rows, cols) of positive ints."""
    parts = split_pair(str(text))
    parts = parts if isinstance(parts, tuple) else (parts, parts)
    if len(parts) != 2 or not all(_INTEGER.fullmatch(normalise_minus(str(p))) for p in parts):
        raise ConvtraceValueError(BAD_SIZE_SPEC, value=text)
    rows, cols = (int(normalise_minus(str(p))) for p in parts)
    if min(rows, cols) < 1:
        raise ConvtraceValueError(BAD_SIZE_SPEC, value=text)
    return rows, cols


def parse_pool_step(spec: str) -> tuple[str, object]:
    """'max:2', 'avg:2x3', 'max:global' or 'max' (size 2) as (mode, size)."""
    from convtrace.spec import POOL_MODE_ALIASES

    mode, _, size = str(spec).partition(":")
    mode = mode.strip().lower()
    if mode not in POOL_MODE_ALIASES:
        raise ConvtraceValueError(BAD_POOL_SPEC, value=spec)
    size = size.strip() or "2"
    if size.lower() == "global":
        return POOL_MODE_ALIASES[mode], "global"
    try:
        rows, cols = parse_size(size)
    except ConvtraceValueError:
        raise ConvtraceValueError(BAD_POOL_SPEC, value=spec) from None
    return POOL_MODE_ALIASES[mode], rows if rows == cols else (rows, cols)
