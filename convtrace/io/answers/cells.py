"""Cells, rows and numbers: what every answer reader produces, and how it becomes an array.

Each reader (plain rows in :mod:`.commas`, brackets in :mod:`.brackets`, LaTeX
in :mod:`.latex`) splits the text into rows (:class:`_Row`) of cells (:class:`_Cell`);
:func:`_assemble` reads their numbers (blanks, NaN words, decimal commas,
fractions) and checks rows and channels into one :class:`_Reading`.  The small
text helpers the readers share (error places, shortened text) live here too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from fractions import Fraction

import numpy as np

from convtrace.errors import ConvtraceValueError
from convtrace.io.answers.answer import AnswerNote
from convtrace.io.matrix import BLANK_MARKERS
from convtrace.messages.answers import (
    ANSWER_EMPTY,
    ANSWER_INFINITE,
    ANSWER_LATEX_RAGGED,
    ANSWER_NOT_NUMBER,
    ANSWER_NOTE_BLANK_LINES,
    ANSWER_NOTE_EMPTY_CELLS,
    ANSWER_NOTE_NAN_BLANK,
    ANSWER_RAGGED,
    ANSWER_TEXT_LINE,
)
from convtrace.messages.parsing import (
    PARSE_CHANNEL_SHAPE,
    PARSE_FLOAT_TOO_LARGE,
    PARSE_INT_TOO_LARGE,
    PARSE_ZERO_DIVISION,
)
from convtrace.syntax import NumberTooLarge, float_spelling, parse_number

#: Words that mean "no value here" in code a student pastes (NumPy's nan, Python's None, JSON's null).
NULL_WORDS = frozenset({"nan", "none", "null"})

_DEC_COMMA = re.compile(r"[+-]?(?:\d+,\d+|,\d+)(?:[eE][+-]?\d+)?")
#: One number in parentheses, a sign before them or inside: ``(1/9)``, ``-(2/3)``, ``(-0,5)``.
_PARENTHESISED = re.compile(r"([+-]?)\(\s*([^()\s]+)\s*\)")


@dataclass(slots=True)
class _Cell:
    text: str           # "" for an empty cell
    line: int
    col: int
    quoted: bool = False   # a quoted CSV cell or a LaTeX entry: one value, a comma in it is decimal
    latex: tuple[int, int] | None = None  # (row, entry) in the LaTeX matrix


@dataclass(slots=True)
class _Row:
    cells: list[_Cell]
    line: int
    trailing: int = 0   # empty cells dropped from the end of the line
    index: int | None = None  # the row's number as the student counts it (LaTeX rows)


@dataclass
class _Reading:
    comma: bool
    values: np.ndarray | None = None
    blanks: np.ndarray | None = None
    error: ConvtraceValueError | None = None
    notes: list[AnswerNote] = field(default_factory=list)
    comma_tokens: list[tuple[str, str]] = field(default_factory=list)
    #: Other readings that fit the exercise's rows as well (``1,5,2`` as 1.5 and 2, or 1 and 5.2):
    #: the grader takes the one that makes the most cells right (see :mod:`.rows`).
    alternatives: list[_Reading] = field(default_factory=list)
    regrouped: bool = False   # a reading of a row's commas or signs, one of several (see .rows)


class _Counts:
    def __init__(self) -> None:
        self.empty = 0
        self.null = 0
        self.commas: list[tuple[str, str]] = []


def _where(source: str, line: int, col: int | None = None) -> str:
    return f"{source}:{line}" if col is None else f"{source}:{line}:{col}"


def _shown(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[:limit - 1] + "…"


def _plain_number(text: str) -> Fraction | float:
    """A number as :func:`parse_number` reads it, plus a fraction of decimals (``1.5/2``)."""
    try:
        return parse_number(text, bounded=True)
    except ValueError as exc:
        if isinstance(exc, NumberTooLarge) or text.count("/") != 1:
            raise
        num, den = text.split("/")
        if "/" in num or not num.strip() or not den.strip():
            raise
        a, b = parse_number(num, bounded=True), parse_number(den, bounded=True)
        if b == 0:
            raise ZeroDivisionError(text) from None
        if isinstance(a, Fraction) and isinstance(b, Fraction):
            return a / b
        return float(a) / float(b)


def _number(cell: _Cell, source: str, comma: bool, counts: _Counts, lines: list[str]) -> float | None:
    """One cell's value (None for a blank), or an error that says where and why."""
    text = cell.text.strip()
    where = _where(source, cell.line, cell.col)
    if not text:
        counts.empty += 1
        return None
    if text in BLANK_MARKERS:
        return None
    lowered = text.lower()
    if lowered in NULL_WORDS:
        counts.null += 1
        return None
    if lowered.lstrip("+-") in ("inf", "infinity", "∞"):
        raise ConvtraceValueError(ANSWER_INFINITE, where=where, token=_shown(text))
    written = text
    inner = _PARENTHESISED.fullmatch(text)
    if inner and not (inner.group(1) and inner.group(2)[0] in "+-"):
        text = inner.group(1) + inner.group(2)  # (1/9) is 1/9; -(2/3) is -2/3
    if "," in text and (comma or cell.quoted) and _DEC_COMMA.fullmatch(text):
        text = re.sub(r"^([-+]?)\.", r"\g<1>0.", text.replace(",", "."))  # ',5' is 0,5: shown as 0.5
        counts.commas.append((written, text))
    try:
        value = _plain_number(text)
    except NumberTooLarge as exc:
        if exc.integer:
            spelled = float_spelling(text)
            if spelled not in ("inf", "-inf") and abs(float(spelled)) < float("inf"):
                raise ConvtraceValueError(PARSE_INT_TOO_LARGE, where=where, token=_shown(written),
                                          spelled=spelled) from None
        raise ConvtraceValueError(PARSE_FLOAT_TOO_LARGE, where=where, token=_shown(written)) from None
    except ZeroDivisionError:
        raise ConvtraceValueError(PARSE_ZERO_DIVISION, where=where, token=_shown(written)) from None
    except ValueError:
        raw = lines[cell.line - 1] if 0 < cell.line <= len(lines) else ""
        if cell.latex is None and raw.strip() and not re.search(r"\d", raw):
            raise ConvtraceValueError(ANSWER_TEXT_LINE, where=_where(source, cell.line), line=cell.line,
                                      text=_shown(raw.strip(), 60)) from None
        raise ConvtraceValueError(ANSWER_NOT_NUMBER, where=where, token=_shown(written), line=cell.line,
                                  col=cell.col) from None
    value = float(value)
    if value != value or value in (float("inf"), float("-inf")):
        raise ConvtraceValueError(ANSWER_INFINITE, where=where, token=_shown(written))
    return value


def _shape_text(shape) -> str:
    return "×".join(str(n) for n in shape)


def _without_trailing_separator_rows(channels: list[list[_Row]], expected_shape) -> list[list[_Row]]:
    """The answer without the lines of only separators at its end (``;;``: the empty rows a spreadsheet
    exports below a table), where they are rows past the exercise's (or its shape is unknown)."""
    if not channels:
        return channels
    last = list(channels[-1])
    want = expected_shape[-2] if expected_shape and len(expected_shape) >= 2 else 0
    while last and not last[-1].cells and len(last) > want:
        last.pop()
    return [*channels[:-1], last] if last else channels[:-1]


def _rows_spaced_by_blank_lines(channels: list[list[_Row]], expected_shape) -> bool:
    """Whether blocks of rows parted by blank lines are one matrix written with its rows spaced out: the
    exercise has one map, and the rows together are its rows, each as wide as it (a student's
    ``28 2 -6⏎⏎7 9 34⏎⏎20 12 -1`` is 3×3, not three maps of 1×3)."""
    if len(channels) < 2 or not expected_shape or len(expected_shape) != 2:
        return False
    rows = [row for channel in channels for row in channel]
    return len(rows) == expected_shape[0] and all(len(row.cells) == expected_shape[1] for row in rows)


def _assemble(channels: list[list[_Row]], source: str, comma: bool, lines: list[str],
              expected_shape: tuple[int, ...] | None, latex: bool = False) -> _Reading:
    """Rows of cells as an array: trailing empty cells settled, rows and channels checked, numbers read."""
    reading = _Reading(comma=comma)
    channels = _without_trailing_separator_rows(channels, expected_shape)
    rows = [row for channel in channels for row in channel]
    longest = max((len(r.cells) for r in rows), default=0)
    target = longest
    if expected_shape:
        want = expected_shape[-1]
        if want > longest and all(len(r.cells) + r.trailing >= want for r in rows):
            target = want
    for row in rows:
        short = target - len(row.cells)
        if short > 0 and row.trailing:
            fill = min(short, row.trailing)
            start = row.cells[-1].col + 1 if row.cells else 1
            row.cells.extend(_Cell("", row.line, start) for _ in range(fill))
    channels = [[r for r in channel if r.cells] for channel in channels]
    channels = [c for c in channels if c]
    if not channels:
        reading.error = ConvtraceValueError(ANSWER_EMPTY, where=source)
        return reading
    if _rows_spaced_by_blank_lines(channels, expected_shape):
        channels = [[row for channel in channels for row in channel]]
        reading.notes.append(AnswerNote(ANSWER_NOTE_BLANK_LINES, {}))
    counts = _Counts()
    try:
        flat = [_number(cell, source, comma, counts, lines) for ch in channels for row in ch for cell in row.cells]
    except ConvtraceValueError as err:
        reading.error = err
        return reading
    shapes = []
    for k, channel in enumerate(channels):
        first = len(channel[0].cells)
        for index, row in enumerate(channel[1:], start=2):
            if len(row.cells) != first:
                key = ANSWER_LATEX_RAGGED if latex else ANSWER_RAGGED
                reading.error = ConvtraceValueError(key, where=_where(source, row.line), index=row.index or index,
                                                    n=len(row.cells), expected=first)
                return reading
        shape = (len(channel), first)
        if shapes and shape != shapes[0]:
            reading.error = ConvtraceValueError(PARSE_CHANNEL_SHAPE, where=_where(source, channel[0].line),
                                                index=k + 1, shape=_shape_text(shape),
                                                expected=_shape_text(shapes[0]))
            return reading
        shapes.append(shape)
    shape = shapes[0] if len(channels) == 1 else (len(channels), *shapes[0])
    blanks = np.array([v is None for v in flat], dtype=bool).reshape(shape)
    reading.values = np.array([np.nan if v is None else v for v in flat], dtype=np.float64).reshape(shape)
    reading.blanks = blanks if blanks.any() else None
    reading.comma_tokens = counts.commas
    if counts.empty:
        reading.notes.append(AnswerNote(ANSWER_NOTE_EMPTY_CELLS, {"n": counts.empty}))
    if counts.null:
        reading.notes.append(AnswerNote(ANSWER_NOTE_NAN_BLANK, {"n": counts.null}))
    return reading


def _blank_out(text: str, start: int, end: int) -> str:
    """``text`` with [start, end) replaced by spaces (new lines kept): positions stay where they were."""
    return text[:start] + re.sub(r"[^\n]", " ", text[start:end]) + text[end:]
