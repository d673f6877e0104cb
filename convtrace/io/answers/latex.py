"""Answers written in LaTeX: a matrix environment, or bare ``&`` rows ending in ``\\\\``.

LaTeX gets its own reader because its errors name LaTeX causes (an unknown
environment, a stray command, unbalanced braces) and LaTeX's own row and entry
numbers, and because its entries (``\\frac``, spacing commands) need their own
clean-up before they are numbers.
"""

from __future__ import annotations

import re
from bisect import bisect_right

from convtrace.errors import ConvtraceValueError
from convtrace.io.answers.answer import AnswerNote
from convtrace.io.answers.cells import _assemble, _blank_out, _Cell, _Reading, _Row, _shown, _where
from convtrace.messages.answers import (
    ANSWER_LATEX_BRACES,
    ANSWER_LATEX_COMMAND,
    ANSWER_LATEX_MISMATCH,
    ANSWER_LATEX_NO_BEGIN,
    ANSWER_LATEX_NO_END,
    ANSWER_LATEX_OUTSIDE,
    ANSWER_LATEX_SEVERAL_MATRICES,
    ANSWER_LATEX_SEVERAL_VALUES,
    ANSWER_LATEX_UNKNOWN_ENV,
    ANSWER_NOTE_LATEX,
    ANSWER_NOTE_LATEX_ROWS,
)

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
