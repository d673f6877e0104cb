"""Reading what students write as an answer: :func:`read_answer`.

An answer is a matrix (or channels of matrices) of numbers, with cells a
student may leave blank.  Students paste it from wherever they worked, so the
reader takes, besides the plain rows every convtrace matrix accepts:

- **decimal commas**: ``4 2,25; 3 4,75``, a Spanish spreadsheet's CSV
  ``3,33;3,11;2`` (``;`` between values), tab-separated pastes ``4<TAB>2,25``,
  quoted cells ``"3,5";"2"``.  A comma between two digits is ambiguous
  (``1,5 2`` is 1.5 and 2, or 1, 5 and 2); the reader tries both readings and
  keeps the one that gives the expected shape.  When both or neither do, a
  text whose commas only ever stand between digits (with spaces, tabs or ``;``
  between values) is read with decimal commas in Spanish (``lang="es"``) and
  refused, naming both readings, in English; a text where commas separate
  values (``1, 2``, ``1,2,3`` alone) is read with separators.
  ``decimal_comma=True``/``False`` forces the reading.  Quoted cells and
  LaTeX entries hold one value each, so a comma in them is a decimal comma.
  In Python/NumPy lists and JSON, commas always separate values.
- **empty cells** of a CSV or a spreadsheet paste (``7,,7,8``, ``7;;7``,
  ``7<TAB><TAB>7``) are blanks.  Empty cells at the end of a line (a trailing
  ``,``) are blanks only where the row needs them to be as long as the
  longest row, or as long as the expected answer's rows; otherwise they are
  ignored (spreadsheets often end every line with ``;``).
- **LaTeX**: ``bmatrix``, ``pmatrix``, ``vmatrix``, ``Bmatrix``, ``Vmatrix``,
  ``matrix``, ``smallmatrix``, ``array`` (its column spec skipped), inside
  ``$…$``, ``$$…$$``, ``\\[…\\]``, ``\\(…\\)`` or ``equation``; bare ``&``
  rows ending in ``\\\\``; ``\\,`` ``\\;`` ``~`` spacing, ``{-3}``,
  ``\\frac{1}{2}`` (``\\dfrac``, ``\\tfrac``, ``-\\frac{1}{9}``, ``\\frac12``),
  ``2{,}25``, ``\\text{?}``; an empty entry is a blank.  ``A =`` before the
  matrix is allowed, any other text outside it is refused.
- **MATLAB**: ``[1 2 3\\n 4 5 6]`` (a new line starts a row), ``[1, 2; 3, 4]``,
  ``...`` continuations, ``% comments``, ``A = [ … ];``, and MATLAB's display
  (``A =`` on a line of its own, then the rows).
- **NumPy and Python**: ``array([[1, 2], [3, 4]])``, ``np.array([[1., 2.5],
  [3, 4]], dtype=float)``, the printed ``[[1 2]\\n [3 4]]``, lists
  ``[[1, 2], [3, 4]]``; ``nan``, ``None`` and ``null`` are blanks.
- **numbers**: integers, decimals (``3.``, ``.5``, ``+3``, ``1e-3``),
  fractions (``1/9``, ``1.5/2``), the typographic minus ``−`` and other
  dashes; blank markers ``? _ - —``.  ``inf`` is refused; thousands
  separators are not read (``1 000`` is two values).
- BOM, non-breaking and thin spaces, CRLF line ends, trailing spaces and
  Markdown code fences are ignored; ``# comments`` are skipped.  A line of
  text (a header such as ``Answer:``) is never ignored: it is refused.

Files: ``.npy`` (NaN as blank), ``.json`` (nested lists, ``null`` as blank),
images through :func:`convtrace.io.readers.read_matrix`, anything else as text.

Every reading taken that a teacher may want to know (decimal commas, LaTeX,
empty cells read as blanks) is an :class:`AnswerNote` in ``Answer.notes``: a
message key and its parameters, shown in English or Spanish.
"""

from __future__ import annotations

import re
import sys
from bisect import bisect_right
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path

import numpy as np

from convtrace.errors import ConvtraceValueError
from convtrace.io.matrix import BLANK_MARKERS, MAX_NESTING, looks_inline
from convtrace.messages import Term, translate
from convtrace.messages.answers import (
    ANSWER_COMMA_AMBIGUOUS,
    ANSWER_EMPTY,
    ANSWER_INFINITE,
    ANSWER_LATEX_BRACES,
    ANSWER_LATEX_COMMAND,
    ANSWER_LATEX_MISMATCH,
    ANSWER_LATEX_NO_BEGIN,
    ANSWER_LATEX_NO_END,
    ANSWER_LATEX_OUTSIDE,
    ANSWER_LATEX_RAGGED,
    ANSWER_LATEX_SEVERAL_MATRICES,
    ANSWER_LATEX_SEVERAL_VALUES,
    ANSWER_LATEX_UNKNOWN_ENV,
    ANSWER_MIXED_NESTING,
    ANSWER_NOT_NUMBER,
    ANSWER_NOTE_COMMA_FORCED,
    ANSWER_NOTE_COMMA_LOCALE,
    ANSWER_NOTE_COMMA_SHAPE,
    ANSWER_NOTE_COMMA_SPREADSHEET,
    ANSWER_NOTE_DECIMAL_COMMA,
    ANSWER_NOTE_EMPTY_CELLS,
    ANSWER_NOTE_LATEX,
    ANSWER_NOTE_LATEX_ROWS,
    ANSWER_NOTE_LISTS,
    ANSWER_NOTE_MATLAB,
    ANSWER_NOTE_MATLAB_DISPLAY,
    ANSWER_NOTE_NAN_BLANK,
    ANSWER_NOTE_NUMPY,
    ANSWER_NOTE_SEMICOLON_CSV,
    ANSWER_NOTE_SEPARATOR_SHAPE,
    ANSWER_NOTE_TABS,
    ANSWER_NPY_NOT_NUMBERS,
    ANSWER_RAGGED,
    ANSWER_TEXT_LINE,
    ANSWER_TOO_MANY_DIMS,
    ANSWER_TRAILING,
    ANSWER_UNCLOSED,
    ANSWER_UNOPENED,
)
from convtrace.messages.parsing import (
    HINT_TEXT_MATRIX,
    IS_DIRECTORY,
    JSON_NOT_MATRIX,
    NO_SUCH_FILE,
    PARSE_CHANNEL_SHAPE,
    PARSE_FLOAT_TOO_LARGE,
    PARSE_INT_TOO_LARGE,
    PARSE_TOO_DEEP,
    PARSE_ZERO_DIVISION,
    WHAT_TEXT_MATRIX,
)
from convtrace.syntax import NumberTooLarge, float_spelling, normalise_minus, parse_number

#: Words that mean "no value here" in code a student pastes (NumPy's nan, Python's None, JSON's null).
NULL_WORDS = frozenset({"nan", "none", "null"})
#: File endings read as text answers (anything not .npy, .json or an image is read as text too).
TEXT_SUFFIXES = frozenset({".txt", ".csv", ".tsv", ".tex", ".m", ".py", ".md", ".dat"})
#: Memory reading text takes per value, a generous estimate (as in convtrace.io.matrix).
BYTES_PER_TEXT_VALUE = 400

_SPACES = str.maketrans({c: " " for c in "\u00a0\u2007\u2009\u200a\u202f\u205f\u3000"})
_DEC_COMMA = re.compile(r"[+-]?(?:\d+,\d+|,\d+)(?:[eE][+-]?\d+)?")
_DIGIT_COMMA = re.compile(r"\d,\d")


@dataclass(frozen=True)
class AnswerNote:
    """A reading the answer reader took: a message key of :mod:`convtrace.messages.answers` and its fields."""

    key: str
    params: dict = field(default_factory=dict)

    def message(self, lang: str = "en") -> str:
        return translate(self.key, lang, **self.params)


@dataclass
class Answer:
    """A student's answer as read: values (NaN where blank), where the blanks are, and how it was read."""

    values: np.ndarray                   # float64, NaN where blank
    blanks: np.ndarray | None            # bool, True where blank; None when no cell is blank
    source: str
    notes: list[AnswerNote] = field(default_factory=list)

    @property
    def shape(self) -> tuple[int, ...]:
        return tuple(self.values.shape)

    def note_messages(self, lang: str = "en") -> list[str]:
        return [note.message(lang) for note in self.notes]


# --------------------------------------------------------------------------- cells and numbers


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
    if "," in text and (comma or cell.quoted) and _DEC_COMMA.fullmatch(text):
        text = text.replace(",", ".")
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


def _assemble(channels: list[list[_Row]], source: str, comma: bool, lines: list[str],
              expected_shape: tuple[int, ...] | None, latex: bool = False) -> _Reading:
    """Rows of cells as an array: trailing empty cells settled, rows and channels checked, numbers read."""
    reading = _Reading(comma=comma)
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


# --------------------------------------------------------------------------- plain rows and CSV


def _split_line(code: str, lineno: int, comma: bool, source: str,
                semi_values: bool | None = None) -> tuple[list[_Row], bool, bool]:
    """The rows one line holds, whether ';' separated values there, and whether it had tabs.

    Strong separators (tab, ',' unless a decimal comma, ';' between values) make
    cells that may be empty; spaces only separate values.
    """
    pieces: list[tuple[str, str, int]] = []   # (kind, text, col): val / quoted / sep / semi / space
    i, n = 0, len(code)
    while i < n:
        ch = code[i]
        if ch == '"':
            end = code.find('"', i + 1)
            if end < 0:
                raise ConvtraceValueError(ANSWER_UNCLOSED, where=_where(source, lineno, i + 1), bracket='"',
                                          closing='"')
            pieces.append(("quoted", code[i + 1:end], i + 1))
            i = end + 1
        elif ch == "\t":
            pieces.append(("tab", ch, i + 1))
            i += 1
        elif ch == ",":
            pieces.append(("sep", ch, i + 1))  # a decimal comma is taken inside the value below
            i += 1
        elif ch == ";":
            pieces.append(("semi", ch, i + 1))
            i += 1
        elif ch.isspace():
            pieces.append(("space", ch, i + 1))
            i += 1
        else:
            j = i
            while j < n and not code[j].isspace() and (
                    code[j] not in ',;\t"'
                    or (comma and code[j] == "," and code[j - 1].isdigit() and j + 1 < n and code[j + 1].isdigit())):
                j += 1
            pieces.append(("val", code[i:j], i + 1))
            i = j
    tabs = any(kind == "tab" for kind, _, _ in pieces)
    strip = code.strip()
    if semi_values is None:
        semi_values = (";" in strip and not re.search(r"\s", strip)
                       and not any(kind == "sep" for kind, _, _ in pieces))
    groups: list[list[tuple[str, str, int]]] = [[]]
    for piece in pieces:
        if piece[0] == "semi" and not semi_values:
            groups.append([])
        else:
            groups[-1].append(piece)
    rows = []
    for group in groups:
        strong = any(kind in ("tab", "sep", "semi") for kind, _, _ in group)
        cells: list[_Cell] = []
        if strong:
            segment: list[_Cell] = []
            start_col = group[0][2] if group else 1
            for kind, text, col in group + [("end", "", 0)]:
                if kind in ("tab", "sep", "semi", "end"):
                    cells.extend(segment or [_Cell("", lineno, start_col)])
                    segment = []
                    start_col = col + 1
                elif kind == "val":
                    segment.append(_Cell(text, lineno, col))
                elif kind == "quoted":
                    segment.append(_Cell(text, lineno, col, quoted=True))
        else:
            cells = [_Cell(text, lineno, col, quoted=(kind == "quoted")) for kind, text, col in group
                     if kind in ("val", "quoted")]
        trailing = 0
        while cells and not cells[-1].text.strip() and not cells[-1].quoted:
            cells.pop()
            trailing += 1
        if cells or trailing:
            rows.append(_Row(cells, lineno, trailing))
    return rows, semi_values and ";" in strip, tabs


_MATLAB_DISPLAY = re.compile(r"\s*([A-Za-z_]\w*)\s*=\s*")


def _plain(lines: list[str], source: str, comma: bool, expected_shape) -> _Reading:
    # One text, one dialect: where ';' separates values on one line (a spreadsheet's CSV), it does on all.
    semi_csv = None
    try:
        if any(_split_line(ln.split("#", 1)[0], k, comma, source)[1] for k, ln in enumerate(lines, start=1)):
            semi_csv = True
    except ConvtraceValueError as err:
        return _Reading(comma=comma, error=err)
    channels: list[list[_Row]] = [[]]
    blank = False
    semi = tabs = False
    display = None
    seen = False
    for lineno, line in enumerate(lines, start=1):
        code = line.split("#", 1)[0]
        if not code.strip() and "\t" not in code:  # a line of tabs is a row of empty cells
            blank = bool(not line.strip()) or blank
            continue
        if not seen:
            seen = True
            m = _MATLAB_DISPLAY.fullmatch(code)
            if m:
                display = m.group(1)
                continue
        try:
            rows, semi_here, tabs_here = _split_line(code, lineno, comma, source, semi_csv)
        except ConvtraceValueError as err:
            return _Reading(comma=comma, error=err)
        semi |= semi_here
        tabs |= tabs_here
        if not rows:
            continue
        if blank and channels[-1]:
            channels.append([])
        blank = False
        channels[-1].extend(rows)
    reading = _assemble(channels, source, comma, lines, expected_shape)
    if display:
        reading.notes.insert(0, AnswerNote(ANSWER_NOTE_MATLAB_DISPLAY, {"name": display}))
    if semi:
        reading.notes.insert(0, AnswerNote(ANSWER_NOTE_SEMICOLON_CSV))
    if tabs:
        reading.notes.insert(0, AnswerNote(ANSWER_NOTE_TABS))
    return reading


# --------------------------------------------------------------------------- brackets: MATLAB, NumPy, lists


@dataclass(slots=True)
class _Tok:
    text: str
    line: int
    col: int


def _tokens(text: str, comma: bool) -> list[_Tok]:
    value = r"(?:[^\s,;\[\]\"]|(?<=\d),(?=\d))+" if comma else r"[^\s,;\[\]\"]+"
    pattern = re.compile(r'"[^"\n]*"|\.\.\.|[\[\];,\n]|' + value)
    out = []
    for lineno, line in enumerate(text.split("\n"), start=1):
        for m in pattern.finditer(line):
            if m.group(0) != "\n":
                out.append(_Tok(m.group(0), lineno, m.start() + 1))
        out.append(_Tok("\n", lineno, len(line) + 1))
    return out


def _blank_out(text: str, start: int, end: int) -> str:
    """``text`` with [start, end) replaced by spaces (new lines kept): positions stay where they were."""
    return text[:start] + re.sub(r"[^\n]", " ", text[start:end]) + text[end:]


_ASSIGN = re.compile(r"\A\s*(?:>>>\s*)?[A-Za-z_][\w.]*\s*=\s*(?=\S)")
_WRAPPER = re.compile(r"\A\s*(?:(?:np|numpy|sympy|sp)\s*\.\s*)?(?:array|asarray|matrix|Matrix)\s*\(")


def _strip_code(text: str, source: str) -> tuple[str, bool]:
    """Assignment, ``array(…)`` wrapper, comments and a final ';' blanked out; whether a wrapper was there."""
    lines = text.split("\n")
    for k, line in enumerate(lines):
        m = re.search(r"[%#]", line)
        if m:
            lines[k] = line[:m.start()] + " " * (len(line) - m.start())
    text = "\n".join(lines)
    m = _ASSIGN.match(text)
    if m:
        text = _blank_out(text, 0, m.end())
    wrapper = _WRAPPER.match(text)
    if wrapper:
        text = _blank_out(text, 0, wrapper.end())
        close = text.rfind(")")
        last = text.rfind("]")
        if close < 0 or close < last:
            line = text.count("\n", 0, wrapper.end()) + 1
            raise ConvtraceValueError(ANSWER_UNCLOSED, where=_where(source, line), bracket="(", closing=")")
        tail = text[last + 1:close]
        if not tail.strip() or re.fullmatch(r"\s*,\s*dtype\s*=\s*[\w.'\"]+\s*", tail):
            text = _blank_out(text, last + 1, close + 1)
        # else left in place: reported as text after the closing bracket
    m = re.search(r"\]\s*;\s*\Z", text)
    if m:
        semi = text.rfind(";")
        text = _blank_out(text, semi, semi + 1)
    return text, bool(wrapper)


def _bracket_parse(tokens: list[_Tok], source: str):
    """Nested lists of cells; in a list of numbers at the top, ';' or a new line starts a row (MATLAB)."""
    pos = 0
    matlab = False

    def significant(k: int) -> _Tok | None:
        while k < len(tokens) and tokens[k].text == "\n":
            k += 1
        return tokens[k] if k < len(tokens) else None

    def parse_list(depth: int):
        nonlocal pos, matlab
        opening = tokens[pos]
        if depth > MAX_NESTING:
            raise ConvtraceValueError(PARSE_TOO_DEEP, where=_where(source, opening.line, opening.col),
                                      limit=MAX_NESTING)
        pos += 1
        items: list = []
        rows: list = []
        prev = "open"
        while pos < len(tokens):
            tok = tokens[pos]
            text = tok.text
            if text == "[":
                items.append(parse_list(depth + 1))
                prev = "value"
                continue
            if text == "]":
                pos += 1
                if rows:
                    if items:
                        rows.append(items)
                    matlab = True
                    return rows
                return items
            pos += 1
            if text == ",":
                if prev in ("comma", "open", "semi"):
                    items.append(_Cell("", tok.line, tok.col))
                prev = "comma"
            elif text == ";":
                if prev == "comma":
                    items.append(_Cell("", tok.line, tok.col))
                rows.append(items)
                items = []
                prev = "semi"
            elif text == "...":
                while pos < len(tokens) and tokens[pos].text != "\n":
                    pos += 1
                pos += 1  # the new line it continues
            elif text == "\n":
                nxt = significant(pos)
                flat = not any(isinstance(item, list) for item in items)
                if (depth == 1 and flat and items and prev == "value" and nxt is not None
                        and nxt.text not in ("]", ";", ",")):
                    rows.append(items)
                    items = []
                    prev = "semi"
            else:
                if text.startswith('"'):
                    items.append(_Cell(text[1:-1], tok.line, tok.col + 1, quoted=True))
                else:
                    items.append(_Cell(text, tok.line, tok.col))
                prev = "value"
        raise ConvtraceValueError(ANSWER_UNCLOSED, where=_where(source, opening.line, opening.col), bracket="[",
                                  closing="]")

    first = significant(0)
    if first is None or first.text != "[":
        tok = first or _Tok("", 1, 1)
        raise ConvtraceValueError(ANSWER_NOT_NUMBER, where=_where(source, tok.line, tok.col), token=tok.text,
                                  line=tok.line, col=tok.col)
    pos = tokens.index(first)
    result = parse_list(1)
    for tok in tokens[pos:]:
        if tok.text == "]":
            raise ConvtraceValueError(ANSWER_UNOPENED, where=_where(source, tok.line, tok.col), bracket="]")
        if tok.text not in ("\n", ";"):
            raise ConvtraceValueError(ANSWER_TRAILING, where=_where(source, tok.line, tok.col),
                                      token=_shown(tok.text))
    return result, matlab


def _first_cell(item) -> _Cell | None:
    while isinstance(item, list):
        if not item:
            return None
        item = item[0]
    return item


def _depth(item, source: str) -> int:
    if not isinstance(item, list):
        return 0
    depths = {_depth(x, source) for x in item}
    if len(depths) > 1:
        cell = _first_cell(item)
        where = _where(source, cell.line) if cell else source
        raise ConvtraceValueError(ANSWER_MIXED_NESTING, where=where)
    return 1 + (depths.pop() if depths else 0)


def _brackets(text: str, source: str, comma: bool, lines: list[str], expected_shape, json: bool) -> _Reading:
    try:
        code, wrapped = (text, False) if json else _strip_code(text, source)
        nested, matlab = _bracket_parse(_tokens(code, comma), source)
        depth = _depth(nested, source)
    except ConvtraceValueError as err:
        return _Reading(comma=comma, error=err)

    def row(cells: list[_Cell]) -> _Row:
        return _Row(cells, cells[0].line if cells else 1)

    if depth == 1:
        channels = [[row(nested)]]
    elif depth == 2:
        channels = [[row(r) for r in nested]]
    elif depth == 3:
        channels = [[row(r) for r in ch] for ch in nested]
    else:
        cell = _first_cell(nested)
        return _Reading(comma=comma, error=ConvtraceValueError(
            ANSWER_TOO_MANY_DIMS, where=_where(source, cell.line) if cell else source, ndim=depth))
    reading = _assemble(channels, source, comma, lines, expected_shape)
    kind = ANSWER_NOTE_NUMPY if wrapped else ANSWER_NOTE_MATLAB if matlab else None
    if kind is None and depth >= 2 and not json:
        kind = ANSWER_NOTE_LISTS
    if kind:
        reading.notes.insert(0, AnswerNote(kind))
    return reading


# --------------------------------------------------------------------------- LaTeX

MATRIX_ENVS = frozenset({"matrix", "bmatrix", "pmatrix", "vmatrix", "Vmatrix", "Bmatrix", "smallmatrix", "array",
                         "bmatrix*", "pmatrix*", "matrix*", "vmatrix*", "Bmatrix*", "Vmatrix*", "tabular"})
WRAPPING_ENVS = frozenset({"equation", "equation*", "displaymath", "math", "gather", "gather*", "align",
                           "align*", "center"})
_ENV = re.compile(r"\\(begin|end)\s*\{([A-Za-z]+\*?)\}")
_ROW_END = re.compile(r"\\\\(?:\s*\[[^\]]*\])?|\\cr\b")
_ENTRY_SEP = re.compile(r"(?<!\\)&")
_DROP = re.compile(r"\\(?:hline|midrule|toprule|bottomrule|cline\s*\{[^{}]*\}|hfill|qquad|quad|displaystyle|textstyle"
                   r"|scriptstyle|left\s*\.|right\s*\.|h?phantom\s*\{[^{}]*\}|[,;:! ])|~")
_WRAPPING_COMMAND = re.compile(r"\\(?:text|textrm|mathrm|mathbf|textbf|boldsymbol|mbox|mathit|textit|bm|mathsf)"
                               r"\s*\{([^{}]*)\}")
_FRAC = re.compile(r"\\(?:[dtc]?frac|nicefrac|sfrac)\s*(\{[^{}]*\}|[0-9])\s*(\{[^{}]*\}|[0-9])")
_OUTSIDE_OK = re.compile(r"\$\$|\$|\\\[|\\\]|\\\(|\\\)|\\left\s*(?:[(\[|.]|\\\{|\\lbrack|\\vert)"
                         r"|\\right\s*(?:[)\]|.]|\\\}|\\rbrack|\\vert)|[.,;]")


def looks_like_latex(text: str) -> bool:
    return bool(re.search(r"\\begin|\\end\s*\{|&|\\\\|\\[dt]?frac|\\\[|\$", text))


def _latex_entry(raw: str, where: str, row: int, entry: int) -> str:
    """One LaTeX entry as plain number text: spacing dropped, \\frac as a/b, braces removed."""
    s = _DROP.sub(" ", raw)
    for _ in range(3):
        s = _WRAPPING_COMMAND.sub(r"\1", s)
    s = _FRAC.sub(lambda m: f"{m.group(1).strip('{}').strip()}/{m.group(2).strip('{}').strip()}", s)
    s = s.replace("\\_", "_").replace("\\{", "{").replace("\\}", "}")
    command = re.search(r"\\[A-Za-z]+|\\.", s)
    shown = _shown(raw.strip())
    if command:
        raise ConvtraceValueError(ANSWER_LATEX_COMMAND, where=where, row=row, entry=entry, command=command.group(0),
                                  cell=shown)
    if s.count("{") != s.count("}"):
        raise ConvtraceValueError(ANSWER_LATEX_BRACES, where=where, row=row, entry=entry, cell=shown)
    s = s.replace("{", "").replace("}", "").strip()
    m = re.match(r"[+\-][+\-\s]*", s)
    if m:  # signs, perhaps spaced or doubled (-\frac{-1}{9}): one sign
        sign = "-" if m.group(0).count("-") % 2 else ""
        s = sign + s[m.end():].lstrip()
    s = re.sub(r"/\s+|\s+/", "/", s)
    if re.search(r"\s", s):
        raise ConvtraceValueError(ANSWER_LATEX_SEVERAL_VALUES, where=where, row=row, entry=entry, cell=shown)
    return s


class _Lines:
    def __init__(self, text: str) -> None:
        self.starts = [0] + [m.end() for m in re.finditer("\n", text)]

    def at(self, offset: int) -> tuple[int, int]:
        k = bisect_right(self.starts, offset) - 1
        return k + 1, offset - self.starts[k] + 1


def _latex(text: str, source: str, comma: bool | None, lines: list[str], expected_shape) -> _Reading:
    """A LaTeX matrix (or bare & rows): errors name the LaTeX cause and LaTeX rows."""
    pos = _Lines(text)
    clean = re.sub(r"(?<!\\)%[^\n]*", lambda m: " " * len(m.group(0)), text)
    stack: list[re.Match] = []
    matrices: list[tuple[re.Match, re.Match]] = []
    for m in _ENV.finditer(clean):
        kind, env = m.group(1), m.group(2)
        where = _where(source, *pos.at(m.start()))
        if env not in MATRIX_ENVS and env not in WRAPPING_ENVS:
            raise ConvtraceValueError(ANSWER_LATEX_UNKNOWN_ENV, where=where, env=env)
        if kind == "begin":
            stack.append(m)
            continue
        if not stack:
            raise ConvtraceValueError(ANSWER_LATEX_NO_BEGIN, where=where, env=env)
        begin = stack.pop()
        if begin.group(2) != env:
            raise ConvtraceValueError(ANSWER_LATEX_MISMATCH, where=where, env=begin.group(2), other=env)
        if env in MATRIX_ENVS:
            matrices.append((begin, m))
    if stack:
        begin = stack[-1]
        raise ConvtraceValueError(ANSWER_LATEX_NO_END, where=_where(source, *pos.at(begin.start())),
                                  env=begin.group(2))
    if len(matrices) > 1:
        raise ConvtraceValueError(ANSWER_LATEX_SEVERAL_MATRICES, where=source, n=len(matrices))
    if matrices:
        begin, end = matrices[0]
        start = begin.end()
        env = begin.group(2)
        if env in ("array", "tabular") or env.endswith("*"):
            spec = re.match(r"\s*(?:\[[^\]]*\])?\s*(?:\{(?:[^{}]|\{[^{}]*\})*\})?", clean[start:end.start()])
            start += spec.end() if spec else 0
        body_start, body_end = start, end.start()
        outside = _blank_out(clean, begin.start(), end.end())
        outside = _ENV.sub(lambda m: " " * len(m.group(0)), outside)
        outside = _OUTSIDE_OK.sub(lambda m: " " * len(m.group(0)), outside)
        before = outside[:begin.start()]
        assign = re.search(r"[^\n]{0,30}=\s*\Z", before)
        if assign:
            outside = _blank_out(outside, assign.start(), begin.start())
        stray = re.search(r"\S+", outside)
        if stray:
            raise ConvtraceValueError(ANSWER_LATEX_OUTSIDE, where=_where(source, *pos.at(stray.start())),
                                      text=_shown(stray.group(0)))
        note = AnswerNote(ANSWER_NOTE_LATEX, {"env": env})
    else:
        body_start, body_end = 0, len(clean)
        clean = _OUTSIDE_OK.sub(lambda m: " " * len(m.group(0)) if m.group(0) not in ".,;" else m.group(0), clean)
        clean = _ENV.sub(lambda m: " " * len(m.group(0)), clean)
        note = AnswerNote(ANSWER_NOTE_LATEX_ROWS)
    body = clean[body_start:body_end]
    rows: list[_Row] = []
    row_start = 0
    parts = []
    for m in _ROW_END.finditer(body):
        parts.append((row_start, body[row_start:m.start()]))
        row_start = m.end()
    parts.append((row_start, body[row_start:]))
    empty_rows = []
    while len(parts) > 1 and not _DROP.sub(" ", parts[-1][1]).strip():
        empty_rows.append(parts.pop())  # after the last \\ (or several)
    for number, (offset, part) in enumerate(parts, start=1):
        entries: list[_Cell] = []
        entry_start = 0
        pieces = []
        for m in _ENTRY_SEP.finditer(part):
            pieces.append((entry_start, part[entry_start:m.end() - 1]))
            entry_start = m.end()
        pieces.append((entry_start, part[entry_start:]))
        for k, (at, raw) in enumerate(pieces, start=1):
            lead = len(raw) - len(raw.lstrip())
            line, col = pos.at(body_start + offset + at + lead)
            text = _latex_entry(raw, _where(source, line, col), number, k)
            entries.append(_Cell(text, line, col, quoted=comma is not False, latex=(number, k)))
        line = entries[0].line if entries else pos.at(body_start + offset)[0]
        trailing = 0
        while entries and not entries[-1].text:
            entries.pop()
            trailing += 1
        rows.append(_Row(entries, line, trailing, index=number))
    # Empty rows at the end are blank rows only where the expected answer needs them (as empty entries).
    if expected_shape and len(expected_shape) == 2 and empty_rows:
        for offset, _ in reversed(empty_rows[-max(0, expected_shape[0] - len(rows)):] if expected_shape[0] > len(rows)
                                  else []):
            line, col = pos.at(body_start + offset)
            rows.append(_Row([], line, trailing=expected_shape[1], index=len(rows) + 1))
    reading = _assemble([rows], source, bool(comma), lines, expected_shape, latex=True)
    reading.notes.insert(0, note)
    return reading


# --------------------------------------------------------------------------- choosing a reading


def _clean(text: str) -> str:
    text = text.replace("\ufeff", "").replace("\r\n", "\n").replace("\r", "\n").translate(_SPACES)
    text = normalise_minus(text)
    lines = text.split("\n")
    lines = ["" if re.fullmatch(r"\s*```[\w+-]*\s*", line) else line.rstrip(" ") for line in lines]
    return "\n".join(lines)


def _fits(shape: tuple[int, ...], expected: tuple[int, ...]) -> bool:
    if tuple(shape) == tuple(expected):
        return True
    squeeze = tuple(n for n in shape if n != 1)
    return squeeze == tuple(n for n in expected if n != 1) and len(squeeze) > 0


def _comma_style(text: str) -> str:
    """'decimal' when every comma stands between digits and values are separated otherwise, else 'separator'."""
    outside = re.sub(r'"[^"\n]*"', " ", text)
    commas = [m.start() for m in re.finditer(",", outside)]
    if not commas:
        return "separator"
    for i in commas:
        if not (0 < i < len(outside) - 1 and outside[i - 1].isdigit() and outside[i + 1].isdigit()):
            return "separator"
    if re.search(r"[\d?_)\]][ \t]+[-+.\d?_]", outside) or "\t" in outside or ";" in outside:
        return "decimal"
    return "separator"


def _check_size(text: str, source: str) -> None:
    from convtrace.limits import check_parts

    values = len(text) // 2 + 1
    check_parts(Term(WHAT_TEXT_MATRIX), [(source, (values,), BYTES_PER_TEXT_VALUE)], hint=Term(HINT_TEXT_MATRIX))


def _comma_notes(reading: _Reading) -> list[AnswerNote]:
    if not reading.comma_tokens:
        return []
    written, read = reading.comma_tokens[0]
    return [AnswerNote(ANSWER_NOTE_DECIMAL_COMMA, {"token": written, "value": read,
                                                   "count": len(reading.comma_tokens)})]


def _answer(reading: _Reading, source: str, extra: list[AnswerNote] | None = None) -> Answer:
    notes = list(reading.notes) + _comma_notes(reading) + list(extra or [])
    return Answer(values=reading.values, blanks=reading.blanks, source=source, notes=notes)


def parse_answer_text(text: str, source: str, *, expected_shape: tuple[int, ...] | None = None,
                      decimal_comma: bool | None = None, lang: str = "en", json: bool = False) -> Answer:
    """An answer written as text (any format of the module docstring), or an error naming the real cause."""
    _check_size(text, source)
    text = _clean(text)
    lines = text.split("\n")
    content = [re.sub(r"(?<!\\)[#%].*", "", line) for line in lines] if not looks_like_latex(text) else lines
    if not any(line.strip() for line in content):
        raise ConvtraceValueError(ANSWER_EMPTY, where=source)
    expected = tuple(expected_shape) if expected_shape else None
    if not json and looks_like_latex(text):
        reading = _latex(text, source, decimal_comma, lines, expected)
        if reading.error:
            raise reading.error
        extra = [AnswerNote(ANSWER_NOTE_COMMA_FORCED)] if decimal_comma and reading.comma_tokens else []
        return _answer(reading, source, extra)
    stripped = text.lstrip()
    bracketed = json or stripped.startswith("[") or bool(_ASSIGN.match(text) and "[" in text) or bool(
        _WRAPPER.match(text))
    nested = bracketed and bool(json or re.search(r"(?:array|matrix|Matrix)\s*\(|\[\s*\[", text))

    def read(comma: bool) -> _Reading:
        if bracketed:
            return _brackets(text, source, comma, lines, expected, json)
        return _plain(lines, source, comma, expected)

    outside_quotes = re.sub(r'"[^"\n]*"', " ", text)
    possible = not nested and bool(_DIGIT_COMMA.search(outside_quotes))
    if decimal_comma is not None:
        reading = read(bool(decimal_comma) and possible)
        if reading.error:
            raise reading.error
        extra = [AnswerNote(ANSWER_NOTE_COMMA_FORCED)] if decimal_comma and reading.comma_tokens else []
        return _answer(reading, source, extra)
    if not possible:
        reading = read(False)
        if reading.error:
            raise reading.error
        return _answer(reading, source)
    style = _comma_style(text)
    separator, comma = read(False), read(True)
    valid = [r for r in (separator, comma) if r.error is None]
    if not valid:
        raise (comma if style == "decimal" else separator).error
    if len(valid) == 1:
        return _answer(valid[0], source)
    if expected:
        fitting = [r for r in valid if _fits(r.values.shape, expected)]
        if len(fitting) == 1:
            chosen = fitting[0]
            other = separator if chosen is comma else comma
            key = ANSWER_NOTE_COMMA_SHAPE if chosen is comma else ANSWER_NOTE_SEPARATOR_SHAPE
            return _answer(chosen, source, [AnswerNote(key, {"shape": _shape_text(chosen.values.shape),
                                                             "other": _shape_text(other.values.shape)})])
    if style == "separator":
        return _answer(separator, source)
    # In a spreadsheet's CSV (';' between values) or paste (tabs), a comma never separates values.
    spreadsheet = "\t" in text or any(n.key == ANSWER_NOTE_SEMICOLON_CSV for n in comma.notes)
    if spreadsheet:
        return _answer(comma, source, [AnswerNote(ANSWER_NOTE_COMMA_SPREADSHEET,
                                                  {"other": _shape_text(separator.values.shape)})])
    if lang == "es":
        return _answer(comma, source, [AnswerNote(ANSWER_NOTE_COMMA_LOCALE,
                                                  {"other": _shape_text(separator.values.shape)})])
    written, read_as = comma.comma_tokens[0]
    line = next((k for k, ln in enumerate(lines, start=1) if written in ln), None)
    where = _where(source, line) if line else source
    raise ConvtraceValueError(ANSWER_COMMA_AMBIGUOUS, where=where, token=written, decimal=read_as,
                              spaced=written.replace(",", ", "), shape_comma=_shape_text(comma.values.shape),
                              shape_separator=_shape_text(separator.values.shape))


# --------------------------------------------------------------------------- files


def _from_array(arr: np.ndarray, source: str) -> Answer:
    if arr.dtype.kind not in "biuf":
        raise ConvtraceValueError(ANSWER_NPY_NOT_NUMBERS, where=source, dtype=str(arr.dtype))
    values = np.atleast_1d(np.asarray(arr, dtype=np.float64))
    if np.isinf(values).any():
        raise ConvtraceValueError(ANSWER_INFINITE, where=source, token="inf")
    blanks = np.isnan(values)
    notes = [AnswerNote(ANSWER_NOTE_NAN_BLANK, {"n": int(blanks.sum())})] if blanks.any() else []
    return Answer(values=values, blanks=blanks if blanks.any() else None, source=source, notes=notes)


def _looks_like_answer_text(spec: str) -> bool:
    """Whether a command-line argument is an answer written inline rather than a path."""
    s = spec.strip()
    if not s or all(t in BLANK_MARKERS for t in s.split()):
        return True  # empty, or only blanks: read (and refused or graded) as an answer
    if looks_inline(spec) or looks_like_latex(s) or "\n" in spec or "\t" in spec or s[0] in '["#' or _WRAPPER.match(s):
        return True
    if re.search(r"\barray\s*\(|\[", s) or re.match(r"[A-Za-z_]\w*\s*=", s):
        return True  # NumPy's or MATLAB's notation, or an assignment: `x = np.array([[nan]])`
    if re.search(r"\.[A-Za-z]{1,4}\Z", s):
        return False  # a file name that does not exist
    return bool(re.search(r"\d", s)) and bool(re.search(r"\s", s))


def read_answer(source: str, *, expected_shape: tuple[int, ...] | None = None, decimal_comma: bool | None = None,
                lang: str = "en", stdin=None) -> Answer:
    """A student's answer from ``source``: a path, ``-`` (standard input) or the answer written inline.

    ``expected_shape`` (the exercise's output shape) settles whether a comma
    between digits is a decimal comma; ``decimal_comma`` forces it either way;
    ``lang == "es"`` prefers decimal commas when the text is written that way
    and the shape does not settle it.  Raises ConvtraceValueError naming the
    real cause when the answer cannot be read.
    """
    options = {"expected_shape": expected_shape, "decimal_comma": decimal_comma, "lang": lang}
    if source == "-":
        stream = sys.stdin if stdin is None else stdin
        return parse_answer_text(stream.read(), "<stdin>", **options)
    if not source.strip():
        return parse_answer_text(source, "<argument>", **options)
    path = Path(source)
    try:
        exists = path.exists()
    except (OSError, ValueError):
        exists = False
    if exists:
        from convtrace.io.readers import IMAGE_SUFFIXES, read_matrix, read_npy, read_text_file

        if path.is_dir():
            raise ConvtraceValueError(IS_DIRECTORY, where=source)
        suffix = path.suffix.lower()
        if suffix == ".npy":
            return _from_array(read_npy(path, source), source)
        if suffix in IMAGE_SUFFIXES:
            return _from_array(read_matrix(source).values, source)
        text = read_text_file(path)
        if suffix == ".json":
            if not _clean(text).strip():
                raise ConvtraceValueError(ANSWER_EMPTY, where=source)
            if not _clean(text).lstrip().startswith("["):
                raise ConvtraceValueError(JSON_NOT_MATRIX, where=source)
            return parse_answer_text(text, source, json=True, **options)
        return parse_answer_text(text, source, **options)
    if _looks_like_answer_text(source):
        return parse_answer_text(source, "<argument>", **options)
    raise ConvtraceValueError(NO_SUCH_FILE, where=source)
