"""Reading matrices from text: files, standard input and inline strings.

Accepted forms, for inputs, kernels and answers alike:

- rows on lines, values separated by spaces, commas or semicolons
  (``.txt``, ``.csv``); a blank line starts a new channel (a 3-D stack);
- inline: ``"1 2 3; 4 5 6"``, ``"[[1,2],[3,4]]"``, MATLAB ``"[1 2; 3 4]"``,
  NumPy's printed ``"[[1 2]\\n [3 4]]"``;
- numbers as ints, decimals, ``1e-3``, fractions ``1/9`` and the typographic
  minus ``−`` that slides use;
- ``# comments``; ``# key: value`` lines before the numbers are a header
  (kernel files use them for name, description and scale).  A line holding
  only a comment is skipped: it never separates channels, only a blank line does.

One meaning per text: a text is read the same inline, from standard input and
from a file.  What ``;`` means is decided line by line:

- on a line written without spaces where ``;`` is the only separator, ``;``
  separates values — the CSV of Spanish and other European spreadsheets:
  ``3;3;4`` is one row of three values (so is ``1;2;3`` inline);
- everywhere else ``;`` ends a row: ``6 8; 12 14`` and ``1, 2; 3, 4`` are 2×2,
  and so is ``1,2,3;4,5,6`` (2×3) — commas separate values there;
- inside brackets ``;`` always ends a row (MATLAB's ``[1 2; 3 4]``).

A decimal comma is recognised and refused, never split into two numbers: a
comma between digits, with no space after it, in a number that is otherwise
set apart by spaces (``0,5 1,5``) or by ``;`` alone (``3,5;2,25;1``), gives
"'0,5' looks like a decimal comma; write 0.5 … or separate the values with
', '".  Plain CSV (``1,2,3``, commas only) and bracketed lists are unaffected.

Every number must be one a computer can hold as written: an integer (or a
fraction's numerator or denominator) within 64 bits, a decimal within
±1.8e308.  Beyond that the reader refuses and says how to write it instead;
it never silently rounds to a float or turns ``1e999`` into infinity.

Errors say where: ``file.txt:3:7: 'x' is not a number``.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from fractions import Fraction

import numpy as np

from convtrace.errors import ConvtraceValueError
from convtrace.messages import Term
from convtrace.messages.parsing import (
    HINT_TEXT_MATRIX,
    PARSE_CHANNEL_SHAPE,
    PARSE_DECIMAL_COMMA,
    PARSE_EMPTY,
    PARSE_FLOAT_TOO_LARGE,
    PARSE_INT_TOO_LARGE,
    PARSE_NOT_NUMBER,
    PARSE_RAGGED,
    PARSE_TOO_DEEP,
    PARSE_TRAILING,
    PARSE_UNCLOSED,
    PARSE_ZERO_DIVISION,
    WHAT_TEXT_MATRIX,
    WORD_ROW,
)
from convtrace.syntax import NumberTooLarge, float_spelling, normalise_minus, parse_number

#: Cell markers a student may leave in an answer for "I don't know".
BLANK_MARKERS = frozenset({"?", "_", "-", "—"})

#: The deepest bracket nesting read: deeper text is refused before any recursion (JSON 2000 deep).
MAX_NESTING = 8
#: Memory reading text takes per value, a generous estimate (the token, its number, the lists).
BYTES_PER_TEXT_VALUE = 400

_TOKEN = re.compile(r"[^\s,;\[\]]+|\[|\]|;")
_VALUE = re.compile(r"[^\s,;\[\]]+")
_CHUNK = re.compile(r"[^\s;]+")
_SPACED = re.compile(r"\S\s+\S")
_DECIMAL_COMMA = re.compile(r"[+-]?\d+,\d+")


@dataclass(slots=True)
class Token:
    text: str
    line: int
    col: int


@dataclass
class ParsedMatrix:
    """Numbers read from text, with what the reader learnt about them."""

    values: np.ndarray                   # int64 where every number is an integer, else float64
    source: str
    header: dict[str, str] = field(default_factory=dict)
    blanks: np.ndarray | None = None     # True where a blank marker stood (answers only)
    fractions: list[list[Fraction]] | None = None  # exact values, when every number is rational

    @property
    def exact(self) -> np.ndarray | None:
        """The values as Fractions (object array) when all were written exactly."""
        if self.fractions is None:
            return None
        return np.array(self.fractions, dtype=object).reshape(self.values.shape)


def _normalise(text: str) -> str:
    return normalise_minus(text).replace("\ufeff", "").replace("\t", " ")


def _where(source: str, token: Token) -> str:
    return f"{source}:{token.line}:{token.col}"


def _shown(text: str, limit: int = 40) -> str:
    """A token as a message shows it: a runaway one (5000 digits) cut short."""
    return text if len(text) <= limit else text[:limit - 1] + "…"


def _parse_number(token: Token, source: str, allow_blank: bool) -> Fraction | float | None:
    """One written number through :func:`convtrace.syntax.parse_number`, or an error at its place."""
    text = token.text
    if allow_blank and text in BLANK_MARKERS:
        return None
    try:
        return parse_number(text, bounded=True)
    except NumberTooLarge as exc:
        if exc.integer:
            spelled = float_spelling(text)
            if math.isfinite(float(spelled)):
                raise ConvtraceValueError(PARSE_INT_TOO_LARGE, where=_where(source, token), token=_shown(text),
                                          spelled=spelled) from None
        raise ConvtraceValueError(PARSE_FLOAT_TOO_LARGE, where=_where(source, token), token=_shown(text)) from None
    except ZeroDivisionError:
        raise ConvtraceValueError(PARSE_ZERO_DIVISION, where=_where(source, token), token=_shown(text)) from None
    except ValueError:
        raise ConvtraceValueError(PARSE_NOT_NUMBER, where=_where(source, token), token=_shown(text)) from None


def _split_header(lines: list[str]) -> tuple[dict[str, str], int]:
    """``# key: value`` lines at the top, and the index of the first other line."""
    header: dict[str, str] = {}
    i = 0
    while i < len(lines):
        stripped = lines[i].strip()
        if not stripped:
            i += 1
            continue
        m = re.match(r"#\s*([A-Za-z_][\w-]*)\s*:\s*(.*)$", stripped)
        if m:
            header[m.group(1).lower()] = m.group(2).strip()
            i += 1
            continue
        if stripped.startswith("#"):
            i += 1
            continue
        break
    return header, i


def _tokens(text: str, first_line: int = 1) -> list[Token]:
    out = []
    for lineno, line in enumerate(text.splitlines(), start=first_line):
        code = line.split("#", 1)[0]
        for m in _TOKEN.finditer(code):
            out.append(Token(m.group(0), lineno, m.start() + 1))
        out.append(Token("\n", lineno, len(code) + 1))
    return out


def _bracketed(tokens: list[Token], source: str) -> list:
    """Nested lists from bracket syntax; ';' inside brackets ends a row (MATLAB).

    Nesting deeper than :data:`MAX_NESTING` is refused where it happens, so a
    pathological text (JSON nested 2000 deep) is one clear error, not a RecursionError.
    """
    pos = 0

    def parse_list(depth: int) -> list:
        nonlocal pos
        opening = tokens[pos]
        if depth > MAX_NESTING:
            raise ConvtraceValueError(PARSE_TOO_DEEP, where=_where(source, opening), limit=MAX_NESTING)
        pos += 1
        items: list = []
        rows: list = []
        while pos < len(tokens):
            tok = tokens[pos]
            if tok.text == "[":
                items.append(parse_list(depth + 1))
            elif tok.text == "]":
                pos += 1
                if rows:
                    if items:
                        rows.append(items)
                    return rows
                return items
            elif tok.text == ";":
                rows.append(items)
                items = []
                pos += 1
            elif tok.text == "\n":
                pos += 1
            else:
                items.append(tok)
                pos += 1
        raise ConvtraceValueError(PARSE_UNCLOSED, where=_where(source, opening))

    while pos < len(tokens) and tokens[pos].text == "\n":
        pos += 1
    result = parse_list(1)
    for tok in tokens[pos:]:
        if tok.text != "\n":
            raise ConvtraceValueError(PARSE_TRAILING, where=_where(source, tok), token=tok.text)
    return result


def _groups(code: str) -> list[tuple[str, int]]:
    """``code`` split at each ';', with the column (0-based) where each part starts."""
    out, start = [], 0
    for part in code.split(";"):
        out.append((part, start))
        start += len(part) + 1
    return out


def _decimal_comma(text: str, line: int, col: int, source: str) -> ConvtraceValueError:
    return ConvtraceValueError(PARSE_DECIMAL_COMMA, where=f"{source}:{line}:{col}", token=text,
                               decimal=text.replace(",", "."), spaced=text.replace(",", ", "))


def _line_rows(code: str, line: int, source: str) -> list[list[Token]]:
    """The rows one line of plain text holds; what ';' means is in the module docstring."""
    if ";" in code and not re.search(r"\s", code.strip()):
        groups = _groups(code)
        if not any("," in part for part, _ in groups):
            # Values separated by ';' alone: European CSV, one row.
            return [[Token(m.group(0), line, m.start() + 1) for m in _VALUE.finditer(code)]]
        for part, start in groups:
            bare = part.strip("[]")
            if _DECIMAL_COMMA.fullmatch(bare):
                raise _decimal_comma(bare, line, start + part.index(bare) + 1, source)
        # Else commas separate values and ';' ends rows: 1,2,3;4,5,6.
    rows = []
    for part, start in _groups(code):
        if _SPACED.search(part.strip()):
            for m in _CHUNK.finditer(part):
                bare = m.group(0).strip("[]")
                if _DECIMAL_COMMA.fullmatch(bare):
                    raise _decimal_comma(bare, line, start + m.start() + m.group(0).index(bare) + 1, source)
        row = [Token(m.group(0), line, start + m.start() + 1) for m in _VALUE.finditer(part)]
        if row:
            rows.append(row)
    return rows


def _plain_rows(lines: list[str], first_line: int, source: str) -> list:
    """Rows from lines (';' as the module docstring says); blank lines split channels."""
    channels: list[list[list[Token]]] = [[]]
    blank = False
    for lineno, line in enumerate(lines, start=first_line):
        if not line.strip():
            blank = True
            continue
        rows = _line_rows(line.split("#", 1)[0], lineno, source)
        if not rows:
            continue  # a comment, or only separators
        if blank and channels[-1]:
            channels.append([])
        blank = False
        channels[-1].extend(rows)
    channels = [c for c in channels if c]
    return channels[0] if len(channels) == 1 else channels


def _first_token(item):
    while isinstance(item, list):
        if not item:
            return None
        item = item[0]
    return item


def _shape_text(shape: tuple[int, ...]) -> str:
    return "×".join(str(n) for n in shape)


def _shape_check(nested, source: str, what: str) -> tuple[int, ...]:
    """Every row as long as the first, every channel the first's shape: else where it breaks.

    Returns the shape.  Rows are compared by their count of values (``row 2 has
    3 values but row 1 has 2``), channels by their whole shape (``channel 2 is
    3×2 but channel 1 is 2×2``).
    """

    def check(level) -> tuple[int, ...]:
        if not isinstance(level, list):
            return ()
        if not level:
            return (0,)
        if not any(isinstance(item, list) for item in level):
            return (len(level),)
        rows_level = all(not isinstance(item, list) or not any(isinstance(x, list) for x in item)
                         for item in level)
        if rows_level:
            lengths = [len(item) if isinstance(item, list) else -1 for item in level]
            for k, item in enumerate(level):
                if lengths[k] != lengths[0]:
                    tok = _first_token(item) or _first_token(level[0])
                    where = f"{source}:{tok.line}" if isinstance(tok, Token) else source
                    raise ConvtraceValueError(PARSE_RAGGED, where=where, what=what,
                                              n=lengths[k] if lengths[k] >= 0 else 1,
                                              expected=lengths[0], index=k + 1)
            return (len(level), lengths[0])
        shapes = []
        for k, item in enumerate(level):
            shape = check(item)
            if shapes and shape != shapes[0]:
                tok = _first_token(item)
                where = f"{source}:{tok.line}" if isinstance(tok, Token) else source
                raise ConvtraceValueError(PARSE_CHANNEL_SHAPE, where=where, index=k + 1,
                                          shape=_shape_text(shape) or "1", expected=_shape_text(shapes[0]) or "1")
            shapes.append(shape)
        return (len(level), *shapes[0])

    return check(nested)


def _check_size(text: str, source: str) -> None:
    """Refuse, before tokenising, a text whose values would need more memory than the limit."""
    from convtrace.limits import check_parts

    values = len(text) // 2 + 1  # a value and a separator take at least two characters
    check_parts(Term(WHAT_TEXT_MATRIX), [(source, (values,), BYTES_PER_TEXT_VALUE)], hint=Term(HINT_TEXT_MATRIX))


def parse_matrix_text(text: str, source: str, *, inline: bool = False, allow_blank: bool = False,
                      what: str = Term(WORD_ROW)) -> ParsedMatrix:
    """Numbers in ``text`` as a 1-, 2- or 3-D array; errors name ``source``:line:column.

    ``inline`` is accepted for callers' clarity: a text means the same wherever it
    is written (see the module docstring).
    """
    _check_size(text, source)
    text = _normalise(text)
    lines = text.splitlines()
    header, start = _split_header(lines)
    body = lines[start:]
    first = next((line.split("#", 1)[0].strip() for line in body if line.split("#", 1)[0].strip()), "")
    if not any(_VALUE.search(line.split("#", 1)[0]) for line in body):
        raise ConvtraceValueError(PARSE_EMPTY, where=source)
    if first.startswith("["):
        tokens = _tokens("\n".join(body), first_line=start + 1)
        if not any(t.text not in ("\n", ";", "[", "]") for t in tokens):
            raise ConvtraceValueError(PARSE_EMPTY, where=source)
        nested = _bracketed(tokens, source)
    else:
        nested = _plain_rows(body, start + 1, source)
        if not nested:
            raise ConvtraceValueError(PARSE_EMPTY, where=source)
    if nested and not isinstance(nested[0], list):
        nested = [nested]  # a single row
    _shape_check(nested, source, what)

    def convert(item):
        if isinstance(item, list):
            return [convert(x) for x in item]
        return _parse_number(item, source, allow_blank)

    numbers = convert(nested)
    flat = list(_flatten(numbers))
    if not flat:
        raise ConvtraceValueError(PARSE_EMPTY, where=source)
    blanks = np.array([v is None for v in flat]).reshape(np.shape(_shape_of(numbers)))
    exact = all(isinstance(v, Fraction) or v is None for v in flat)
    if exact and all(v is None or v.denominator == 1 for v in flat):
        values = np.array([0 if v is None else int(v) for v in flat], dtype=np.int64)
    else:
        values = np.array([np.nan if v is None else float(v) for v in flat], dtype=np.float64)
    values = values.reshape(blanks.shape)
    fractions = None
    if exact and not blanks.any():
        fractions = numbers
    return ParsedMatrix(values=values, source=source, header=header,
                        blanks=blanks if blanks.any() else None, fractions=fractions)


def _flatten(nested):
    for item in nested:
        if isinstance(item, list):
            yield from _flatten(item)
        else:
            yield item


def _shape_of(nested):
    """A zero array of the nested lists' shape (they are rectangular by now)."""
    shape = []
    level = nested
    while isinstance(level, list):
        shape.append(len(level))
        level = level[0] if level else None
    return np.zeros(shape)


def looks_inline(spec: str) -> bool:
    """Whether a command-line argument is a matrix written inline rather than a path."""
    s = _normalise(spec).strip()
    if not s:
        return False
    if s.startswith("[") or ";" in s or "\n" in s:
        return True
    return bool(re.fullmatch(r"[\d\s,;.+\-/eE]+", s)) and bool(re.search(r"\d", s))
