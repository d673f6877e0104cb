"""Limits on memory and work, checked from the settings before anything is allocated.

Every operation estimates, with Python integers (no overflow), what it is about
to allocate — the input in its compute dtype, the padding index maps, the
output, and for a trace the padded input, the traced windows and products and
the list of cells (for chosen cells of a photo, only the part of the input and
output kept around them) — and how many multiply-adds or comparisons it will do.  Past
a limit it refuses with a :class:`~convtrace.errors.ConvtraceValueError` that
says what was asked, the estimate, and how to go further, instead of growing
until the machine kills it.

The limits, in one place:

``MAX_MEMORY`` (default 4 GiB)
    The most memory one operation (or one trace) may allocate.  A 50-megapixel
    RGB photo filtered with ``padding='same'`` needs about 2.4 GB in int64 and
    1.2 GB in float32, so it passes.  Override it with the environment variable
    ``CONVTRACE_MAX_MEMORY``: bytes, or a number with K, M, G, T (powers of
    1024; ``8G``, ``1.5T``, ``512MiB``), or ``unlimited``.

``MAX_WORK`` (default 2**40 ≈ 1.1·10¹², minutes to hours of CPU)
    The most output values × window cells one operation may compute.  Override
    it with ``CONVTRACE_MAX_WORK``: a number with K, M, G, T (powers of 1000;
    ``1e13``, ``50T``), or ``unlimited``.

``MAX_PARAM`` (2**31 − 1)
    The largest stride, dilation, padding or window size accepted: past it a
    setting is refused before any arithmetic, so no value ever overflows the
    engine's 64-bit integers.

For other callers (the command line's ``quiz --size``, ``--max-steps``):
:func:`check_elements` and :func:`check_bytes` raise the same error for one
allocation, :func:`check_work` for a count of steps.
"""

from __future__ import annotations

import math
import os
import re
from collections.abc import Iterable

from convtrace.errors import ConvtraceValueError
from convtrace.messages import Term
from convtrace.messages.params import (
    BAD_LIMIT_SETTING,
    HINT_GENERAL,
    MEMORY_LIMIT,
    WORK_LIMIT,
)

MEMORY_ENV = "CONVTRACE_MAX_MEMORY"
WORK_ENV = "CONVTRACE_MAX_WORK"

#: Default limit on the memory one operation allocates, in bytes.
MAX_MEMORY = 4 << 30
#: Default limit on output values × window cells for one operation.
MAX_WORK = 1 << 40
#: Largest stride, dilation, padding or window size accepted.
MAX_PARAM = (1 << 31) - 1

INT64_MAX = (1 << 63) - 1

_UNLIMITED = ("unlimited", "none", "inf", "infinite", "off", "no")
_BINARY = {"": 1, "k": 1 << 10, "m": 1 << 20, "g": 1 << 30, "t": 1 << 40, "p": 1 << 50, "e": 1 << 60}
_DECIMAL = {"": 1, "k": 10**3, "m": 10**6, "g": 10**9, "t": 10**12, "p": 10**15, "e": 10**18}


def _parse_amount(name: str, text: str, units: dict[str, int]) -> int | None:
    """``text`` as an integer amount (None: unlimited), or an error naming the variable."""
    value = text.strip().lower()
    if value in _UNLIMITED:
        return None
    match = re.fullmatch(r"(\d+(?:\.\d*)?(?:e\d+)?|\.\d+)\s*([kmgtpe]?)(?:i?b)?", value)
    if match is None:
        raise ConvtraceValueError(BAD_LIMIT_SETTING, name=name, value=text)
    number = float(match.group(1)) * units[match.group(2)]
    if not math.isfinite(number) or number < 1:
        raise ConvtraceValueError(BAD_LIMIT_SETTING, name=name, value=text)
    return int(number)


def max_memory(environ=None) -> int | None:
    """The memory limit in bytes (None: unlimited), from CONVTRACE_MAX_MEMORY or the default."""
    env = os.environ if environ is None else environ
    text = env.get(MEMORY_ENV, "")
    return MAX_MEMORY if not text.strip() else _parse_amount(MEMORY_ENV, text, _BINARY)


def max_work(environ=None) -> int | None:
    """The work limit (None: unlimited), from CONVTRACE_MAX_WORK or the default."""
    env = os.environ if environ is None else environ
    text = env.get(WORK_ENV, "")
    return MAX_WORK if not text.strip() else _parse_amount(WORK_ENV, text, _DECIMAL)


def format_bytes(n: int) -> str:
    """1536 → '1.5 KiB'; sizes beyond exbibytes in scientific notation."""
    if n < 1024:
        return f"{n} B"
    for unit in ("KiB", "MiB", "GiB", "TiB", "PiB", "EiB"):
        n_units = n / 1024
        if n_units < 1024 or unit == "EiB":
            if n_units >= 1024:
                return f"{float(n):.2g} B"
            return f"{n_units:.1f} {unit}"
        n = n_units
    return f"{float(n):.2g} B"  # pragma: no cover


def format_count(n: int) -> str:
    """A large count readably: 1234 → '1234', 2**40 → '1.1e+12'."""
    return str(n) if n < 10**7 else f"{float(n):.2g}"


def _suggest(need: int, binary: bool) -> str:
    """A round setting just above ``need``: '8G', '2T' … (or 'unlimited' past petabytes)."""
    units = (("G", 1 << 30), ("T", 1 << 40), ("P", 1 << 50)) if binary else (
        ("G", 10**9), ("T", 10**12), ("P", 10**15))
    for suffix, size in units:
        count = -(-need // size)
        if count < 1024:
            return f"{1 << max(count - 1, 0).bit_length()}{suffix}"
    return "unlimited"


def shape_text(shape: Iterable[int]) -> str:
    """(3, 200, 200) → '3×200×200'."""
    return "×".join(str(int(v)) for v in shape)


def _part_bytes(part: tuple[str, tuple[int, ...], int]) -> int:
    _, shape, itemsize = part
    return math.prod(map(int, shape)) * int(itemsize)


def parts_bytes(parts: list[tuple[str, tuple[int, ...], int]]) -> int:
    """The bytes of the allocations ``parts`` together (see :func:`check_parts`)."""
    return sum(map(_part_bytes, parts))


def check_parts(what: str, parts: list[tuple[str, tuple[int, ...], int]], hint: str | None = None,
                environ=None, need: int | None = None) -> int:
    """Refuse when the allocations ``parts`` together exceed the memory limit; returns their bytes.

    Each part is (name, shape, itemsize); ``what`` and ``hint`` are text or
    :class:`~convtrace.messages.Term` s, as in every message.  ``need``: their
    :func:`parts_bytes`, when the caller has it already.
    """
    if need is None:
        need = parts_bytes(parts)
    limit = max_memory(environ)
    if limit is not None and need > limit:
        name, shape, _ = max(parts, key=_part_bytes)
        raise ConvtraceValueError(MEMORY_LIMIT, what=what, need=format_bytes(need), limit=format_bytes(limit),
                                  part=name, shape=shape_text(shape),
                                  hint=Term(HINT_GENERAL) if hint is None else hint,
                                  suggest=_suggest(need, binary=True))
    return need


def check_bytes(nbytes: int, what: str, hint: str | None = None) -> None:
    """Refuse one allocation of ``nbytes`` bytes past the memory limit (``what`` names it)."""
    check_parts(what, [(what, (int(nbytes),), 1)], hint)


def check_elements(count: int, itemsize: int, what: str, hint: str | None = None) -> None:
    """Refuse an array of ``count`` values of ``itemsize`` bytes past the memory limit.

    ``what``: what is being made (text or a Term), e.g. ``Term(SOME_KEY)`` for
    "the quiz's input"; ``hint``: how to ask for less (default "ask for less").
    The message also says how to raise the limit (CONVTRACE_MAX_MEMORY).
    """
    check_parts(what, [(what, (int(count),), int(itemsize))], hint)


def check_work(work: int, what: str, hint: str | None = None, environ=None) -> None:
    """Refuse ``work`` steps (output values × window cells) past the work limit."""
    limit = max_work(environ)
    work = int(work)
    if limit is not None and work > limit:
        raise ConvtraceValueError(WORK_LIMIT, what=what, work=format_count(work), limit=format_count(limit),
                                  hint=Term(HINT_GENERAL) if hint is None else hint,
                                  suggest=_suggest(work, binary=False))
