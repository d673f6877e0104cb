"""Answers in brackets: MATLAB matrices, NumPy arrays, Python lists and JSON.

:func:`_strip_code` blanks out what surrounds the brackets (an assignment,
``np.array(…)``, comments), :func:`_bracket_parse` reads the nested lists
(MATLAB's ``;`` and new-line rows included) and :func:`_brackets` turns them
into rows for :func:`.cells._assemble`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from convtrace.errors import ConvtraceValueError
from convtrace.io.answers.answer import AnswerNote
from convtrace.io.answers.cells import _assemble, _blank_out, _Cell, _Reading, _Row, _shown, _where
from convtrace.io.matrix import MAX_NESTING
from convtrace.messages.answers import (
    ANSWER_MIXED_NESTING,
    ANSWER_NOT_NUMBER,
    ANSWER_NOTE_LISTS,
    ANSWER_NOTE_MATLAB,
    ANSWER_NOTE_NUMPY,
    ANSWER_NOTE_STACKED,
    ANSWER_NOTE_TENSOR,
    ANSWER_NOTE_TF_TENSOR,
    ANSWER_TOO_MANY_DIMS,
    ANSWER_TRAILING,
    ANSWER_UNCLOSED,
    ANSWER_UNOPENED,
)
from convtrace.messages.parsing import PARSE_TOO_DEEP


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


_ASSIGN = re.compile(r"\A\s*(?:>>>\s*)?[A-Za-z_][\w.]*\s*=\s*(?=\S)")
_WRAPPER = re.compile(r"\A\s*(?:(?:np|numpy|sympy|sp)\s*\.\s*)?(?:array|asarray|matrix|Matrix)\s*\(")
#: PyTorch's printout (``tensor([[1., 2.], …])``) and its constructor (``torch.tensor(…)``).
_TENSOR = re.compile(r"\A\s*(?:torch\s*\.\s*)?(?:tensor|Tensor|as_tensor|from_numpy)\s*\(")
#: TensorFlow's printout: ``<tf.Tensor: shape=(2, 2), dtype=int32, numpy=array([[…]], dtype=int32)>``.
_TF_TENSOR = re.compile(r"\A\s*<\s*tf\.(?:Tensor|Variable)\b[^<>]*?numpy=(?=\s*array\s*\()")
#: What may follow the list inside the wrapper's parentheses: ``dtype=…``, ``grad_fn=<…>``,
#: ``requires_grad=True``, ``device='cuda:0'``.
_WRAPPER_TAIL = re.compile(r"(?:\s*,\s*\w+\s*=\s*(?:<[^<>\n]*>|[\w.'\":]+))*\s*")


def looks_like_code(text: str) -> bool:
    """Whether ``text`` starts as NumPy, PyTorch or TensorFlow code or printout does."""
    return bool(_WRAPPER.match(text) or _TENSOR.match(text) or _TF_TENSOR.match(text))


def _strip_code(text: str, source: str) -> tuple[str, str | None]:
    """Assignment, ``array(…)`` or ``tensor(…)`` wrapper, comments and a final ';' blanked out; which
    wrapper was there (a note key), if any."""
    lines = text.split("\n")
    for k, line in enumerate(lines):
        m = re.search(r"[%#]", line)
        if m:
            lines[k] = line[:m.start()] + " " * (len(line) - m.start())
    text = "\n".join(lines)
    m = _ASSIGN.match(text)
    if m:
        text = _blank_out(text, 0, m.end())
    kind = None
    tf = _TF_TENSOR.match(text)
    if tf and re.search(r">\s*\Z", text):
        end = text.rfind(">")
        text = _blank_out(_blank_out(text, end, end + 1), 0, tf.end())
        kind = ANSWER_NOTE_TF_TENSOR
    tensor = _TENSOR.match(text)
    wrapper = _WRAPPER.match(text) or tensor
    if wrapper:
        kind = kind or (ANSWER_NOTE_TENSOR if tensor else ANSWER_NOTE_NUMPY)
        text = _blank_out(text, 0, wrapper.end())
        close = text.rfind(")")
        last = text.rfind("]")
        if close < 0 or close < last:
            line = text.count("\n", 0, wrapper.end()) + 1
            raise ConvtraceValueError(ANSWER_UNCLOSED, where=_where(source, line), bracket="(", closing=")")
        tail = text[last + 1:close]
        if _WRAPPER_TAIL.fullmatch(tail):
            text = _blank_out(text, last + 1, close + 1)
        # else left in place: reported as text after the closing bracket
    m = re.search(r"\]\s*;\s*\Z", text)
    if m:
        semi = text.rfind(";")
        text = _blank_out(text, semi, semi + 1)
    return text, kind


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
    # More lists after the first (``[1, 2]`` then ``[3, 4]``, one per line or with ',' or ';' between):
    # the rows of a matrix, or the channels when each is a matrix.
    more = [result]
    while True:
        k = pos
        while k < len(tokens) and tokens[k].text in ("\n", ",", ";"):
            k += 1
        if k == pos or k >= len(tokens) or tokens[k].text != "[":
            break
        pos = k
        more.append(parse_list(1))
    stacked = len(more) > 1
    if stacked:
        result, matlab = more, False
    for tok in tokens[pos:]:
        if tok.text == "]":
            raise ConvtraceValueError(ANSWER_UNOPENED, where=_where(source, tok.line, tok.col), bracket="]")
        if tok.text not in ("\n", ";"):
            raise ConvtraceValueError(ANSWER_TRAILING, where=_where(source, tok.line, tok.col),
                                      token=_shown(tok.text))
    return result, matlab, stacked


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
        code, wrapper = (text, None) if json else _strip_code(text, source)
        nested, matlab, stacked = _bracket_parse(_tokens(code, comma), source)
        depth = _depth(nested, source)
    except ConvtraceValueError as err:
        return _Reading(comma=comma, error=err)

    def row(cells: list[_Cell]) -> _Row:
        return _Row(cells, cells[0].line if cells else 1)

    while depth > 3 and len(nested) == 1:  # a batch of one, as PyTorch prints it: (1, C, H, W)
        nested, depth = nested[0], depth - 1

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
    kind = wrapper or (ANSWER_NOTE_STACKED if stacked else ANSWER_NOTE_MATLAB if matlab else None)
    if kind is None and depth >= 2 and not json:
        kind = ANSWER_NOTE_LISTS
    if kind:
        reading.notes.insert(0, AnswerNote(kind))
    return reading
