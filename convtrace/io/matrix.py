"""Reading matrices from text: files, standard input and inline strings.

Accepted forms, for inputs, kernels and answers alike:

- rows on lines, values separated by spaces, commas or semicolons
  (``.txt``, ``.csv``); a blank line starts a new channel (a 3-D stack);
- inline: ``"1 2 3; 4 5 6"``, ``"[[1,2],[3,4]]"``, MATLAB ``"[1 2; 3 4]"``,
  NumPy's printed ``"[[1 2]\\n [3 4]]"``;
- numbers as ints, decimals, ``1e-3``, fractions ``1/9`` and the typographic
  minus ``−`` that slides use;
- ``# comments``; ``# key: value`` lines before the numbers are a header
  (kernel files use them for name, description and scale).

Errors say where: ``file.txt:3:7: 'x' is not a number``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from fractions import Fraction

import numpy as np

from convtrace.errors import ConvtraceValueError
from convtrace.messages import Term
from convtrace.messages.parsing import (
    PARSE_EMPTY,
    PARSE_NOT_NUMBER,
    PARSE_RAGGED,
    PARSE_TRAILING,
    PARSE_UNCLOSED,
    PARSE_ZERO_DIVISION,
    WORD_ROW,
)

#: Cell markers a student may leave in an answer for "I don't know".
BLANK_MARKERS = frozenset({"?", "_", "-", "—"})

_NUMBER = re.compile(
    r"""^[+-]?(
        (\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?   # 12, 1.5, .5, 1e-3
        |\d+/\d+                              # 1/9
        |inf|infinity|nan
    )$""",
    re.VERBOSE | re.IGNORECASE,
)
_TOKEN = re.compile(r"[^\s,;\[\]]+|\[|\]|;")


@dataclass
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
    return text.replace("\u2212", "-").replace("\u2013", "-").replace("\ufeff", "").replace("\t", " ")


def _parse_number(token: Token, source: str, allow_blank: bool) -> Fraction | float | None:
    text = token.text
    if allow_blank and text in BLANK_MARKERS:
        return None
    if not _NUMBER.match(text):
        raise ConvtraceValueError(PARSE_NOT_NUMBER, where=f"{source}:{token.line}:{token.col}", token=text)
    lowered = text.lower().lstrip("+-")
    if lowered in ("inf", "infinity", "nan"):
        return float(text)
    if "/" in text:
        num, den = text.lstrip("+").split("/")
        if int(den) == 0:
            raise ConvtraceValueError(PARSE_ZERO_DIVISION, where=f"{source}:{token.line}:{token.col}", token=text)
        return Fraction(int(num), int(den))
    if re.fullmatch(r"[+-]?\d+", text):
        return Fraction(int(text))
    return float(text)


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


def _tokens(text: str) -> list[Token]:
    out = []
    for lineno, line in enumerate(text.splitlines(), start=1):
        code = line.split("#", 1)[0]
        for m in _TOKEN.finditer(code):
            out.append(Token(m.group(0), lineno, m.start() + 1))
        out.append(Token("\n", lineno, len(code) + 1))
    return out


def _bracketed(tokens: list[Token], source: str) -> list:
    """Nested lists from bracket syntax; ';' inside brackets ends a row (MATLAB)."""
    pos = 0

    def parse_list() -> list:
        nonlocal pos
        opening = tokens[pos]
        pos += 1
        items: list = []
        rows: list = []
        while pos < len(tokens):
            tok = tokens[pos]
            if tok.text == "[":
                items.append(parse_list())
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
        raise ConvtraceValueError(PARSE_UNCLOSED, where=f"{source}:{opening.line}:{opening.col}")

    while pos < len(tokens) and tokens[pos].text == "\n":
        pos += 1
    result = parse_list()
    for tok in tokens[pos:]:
        if tok.text != "\n":
            raise ConvtraceValueError(PARSE_TRAILING, where=f"{source}:{tok.line}:{tok.col}", token=tok.text)
    return result


def _plain_rows(tokens: list[Token], inline: bool) -> list:
    """Rows from lines (and ';' inline); blank lines split channels."""
    channels: list[list[list[Token]]] = [[]]
    row: list[Token] = []
    blank_run = 0
    for tok in tokens:
        if tok.text == "\n" or (tok.text == ";" and inline):
            if row:
                if blank_run and channels[-1]:
                    channels.append([])
                channels[-1].append(row)
                row = []
                blank_run = 0
            elif tok.text == "\n":
                blank_run += 1
            continue
        if tok.text == ";":  # a value separator in files (European CSV)
            continue
        if tok.text in "[]":
            continue
        row.append(tok)
    if row:
        if blank_run and channels[-1]:
            channels.append([])
        channels[-1].append(row)
    channels = [c for c in channels if c]
    return channels[0] if len(channels) == 1 else channels


def _shape_check(nested, source: str, what: str) -> None:
    """Every row as long as the first, every channel as tall: else where it breaks."""

    def first_token(item):
        while isinstance(item, list):
            if not item:
                return None
            item = item[0]
        return item

    def check(level):
        if not isinstance(level, list) or not level or not isinstance(level[0], list):
            return
        lengths = [len(item) if isinstance(item, list) else -1 for item in level]
        for k, item in enumerate(level):
            if lengths[k] != lengths[0]:
                tok = first_token(item) or first_token(level[0])
                where = f"{source}:{tok.line}" if isinstance(tok, Token) else source
                raise ConvtraceValueError(PARSE_RAGGED, where=where, what=what, n=lengths[k] if lengths[k] >= 0 else 1,
                                          expected=lengths[0], index=k + 1)
        for item in level:
            check(item)

    check(nested)


def parse_matrix_text(text: str, source: str, *, inline: bool = False, allow_blank: bool = False,
                      what: str = Term(WORD_ROW)) -> ParsedMatrix:
    """Numbers in ``text`` as a 1-, 2- or 3-D array; errors name ``source``:line:column."""
    text = _normalise(text)
    lines = text.splitlines()
    header, start = _split_header(lines)
    body = "\n".join(lines[start:])
    tokens = _tokens(body)
    # Line numbers in errors refer to the whole text, header included.
    for tok in tokens:
        tok.line += start
    if not any(t.text not in ("\n", ";", "[", "]") for t in tokens):
        raise ConvtraceValueError(PARSE_EMPTY, where=source)
    first = next(t for t in tokens if t.text != "\n")
    nested = _bracketed(tokens, source) if first.text == "[" else _plain_rows(tokens, inline)
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
