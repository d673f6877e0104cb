"""Plain rows, CSVs and spreadsheet pastes: separators, empty cells and decimal commas.

Here commas, semicolons and tabs either separate values (possibly leaving
empty cells) or, for a comma between digits, mark decimals.  :func:`_plain`
reads a text one way or the other; :func:`_comma_style` says which way a text
looks written, and :func:`_comma_notes` records the decimal commas read.
Choosing between the two readings is :func:`.reader.parse_answer_text`'s job.
"""

from __future__ import annotations

import re

from convtrace.errors import ConvtraceValueError
from convtrace.io.answers.answer import AnswerNote
from convtrace.io.answers.cells import _assemble, _Cell, _Reading, _Row, _where
from convtrace.io.answers.rows import RowFits
from convtrace.io.matrix import BLANK_MARKERS
from convtrace.messages.answers import (
    ANSWER_NOTE_DECIMAL_COMMA,
    ANSWER_NOTE_MATLAB_DISPLAY,
    ANSWER_NOTE_SEMICOLON_CSV,
    ANSWER_NOTE_TABS,
    ANSWER_UNCLOSED,
)

_DIGIT_COMMA = re.compile(r"\d,\d")


def may_have_decimal_commas(text: str) -> bool:
    """Whether a comma in ``text`` (outside quotes) may be a decimal comma: one between digits, or
    numbers written ``,5`` (0,5) where every value has a comma (``6 ,8`` is two values, 6 and 8)."""
    if _DIGIT_COMMA.search(text):
        return True
    tokens = [t for t in re.split(r"[\s;]+", text) if t]
    return any(re.match(r"[-+]?,\d", t) for t in tokens) and all("," in t or t in BLANK_MARKERS for t in tokens)


def _leading_decimal_comma(code: str, i: int) -> bool:
    """Whether the ',' at ``i`` starts a number (``,5`` for 0,5, ``-,5``): a digit follows, and nothing
    of a value comes before but a sign (the line's start, a space, a tab or ';')."""

    def starts_token(k: int) -> bool:
        return k == 0 or code[k - 1].isspace() or code[k - 1] in ";\t"

    if not (i + 1 < len(code) and code[i + 1].isdigit()):
        return False
    return starts_token(i) or (code[i - 1] in "+-" and starts_token(i - 1))  # ',5', '-,5'


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
        elif ch == "," and not (comma and _leading_decimal_comma(code, i)):
            pieces.append(("sep", ch, i + 1))  # a decimal comma is taken inside the value below
            i += 1
        elif ch == ";":
            pieces.append(("semi", ch, i + 1))
            i += 1
        elif ch.isspace():
            pieces.append(("space", ch, i + 1))
            i += 1
        else:
            j = i + 1 if ch == "," else i  # ',5': the Spanish way of writing 0,5
            while j < n and not code[j].isspace() and (
                    code[j] not in ',;\t"'
                    or (comma and code[j] == "," and j + 1 < n and code[j + 1].isdigit()
                        and (code[j - 1].isdigit() or _leading_decimal_comma(code, j)))):
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


def _one_value_between_semicolons(lines: list[str]) -> bool:
    """Whether ';' separates values on every line of several (``28; 2; -6`` a line): one value or none
    between two ';' on every line, where MATLAB's ``1 2; 3 4`` has rows of several, and a text of rows
    of one value each is no exercise's answer."""
    codes = [code for code in (line.split("#", 1)[0].strip() for line in lines) if code]
    return len(codes) >= 2 and all(
        ";" in code and all(len(part.split()) <= 1 for part in code.split(";")) for code in codes)


def _one_row_between_semicolons(lines: list[str], expected_shape) -> bool:
    """Whether one line of values parted by ';' (``0,375; 0,5``) is the exercise's one row: it has one
    row of as many values, where MATLAB's reading (a column) could never be right."""
    codes = [code for code in (line.split("#", 1)[0].strip() for line in lines) if code]
    if len(codes) != 1 or ";" not in codes[0] or not expected_shape or len(expected_shape) < 2:
        return False
    parts = [part for part in codes[0].split(";") if part.strip()]
    return (all(n == 1 for n in expected_shape[:-1]) and expected_shape[-1] == len(parts) >= 2
            and all(len(part.split()) == 1 for part in parts))


def _plain(lines: list[str], source: str, comma: bool, expected_shape, groups: bool = True,
           signs: bool = False) -> _Reading:
    """Plain rows read with decimal commas (``comma``) or with commas as separators; rows longer than
    the expected shape's are read to its width as :class:`.rows.RowFits` says (``groups``: whether
    a comma between digits may be a decimal comma there; ``signs``: whether a lone '-' may be a sign)."""
    # One text, one dialect: where ';' separates values on one line (a spreadsheet's CSV), it does on all.
    semi_csv = None
    try:
        if any(_split_line(ln.split("#", 1)[0], k, comma, source)[1] for k, ln in enumerate(lines, start=1)):
            semi_csv = True
    except ConvtraceValueError as err:
        return _Reading(comma=comma, error=err)
    if semi_csv is None and (_one_value_between_semicolons(lines)
                             or _one_row_between_semicolons(lines, expected_shape)):
        semi_csv = True
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
    fits = RowFits(channels, lines, expected_shape, groups=groups and not comma, signs=signs)
    reading = _assemble(fits.channels, source, comma, lines, expected_shape)
    reading.notes[:0] = fits.notes
    for other, note in zip(fits.alternatives, fits.comma_notes, strict=True):
        alternative = _assemble(other, source, comma, lines, expected_shape)
        if alternative.error is None:
            alternative.comma_tokens = []  # said by the note, row by row
            alternative.notes[:0] = [*fits.notes, note]
            alternative.regrouped = True
            reading.alternatives.append(alternative)
    if reading.error is not None and reading.alternatives:
        # As written it cannot be read at all (rows of 4 and 3 values): a reading of its commas is the answer.
        first, *others = reading.alternatives
        first.alternatives = others
        reading = first
    for each in (reading, *reading.alternatives):
        if display:
            each.notes.insert(0, AnswerNote(ANSWER_NOTE_MATLAB_DISPLAY, {"name": display}))
        if semi:
            each.notes.insert(0, AnswerNote(ANSWER_NOTE_SEMICOLON_CSV))
        if tabs:
            each.notes.insert(0, AnswerNote(ANSWER_NOTE_TABS))
    return reading


def _comma_style(text: str) -> str:
    """'decimal' when every comma stands between digits and values are separated otherwise, else 'separator'."""
    outside = re.sub(r'"[^"\n]*"', " ", text)
    commas = [m.start() for m in re.finditer(",", outside)]
    if not commas:
        return "separator"
    for i in commas:
        between_digits = 0 < i < len(outside) - 1 and outside[i - 1].isdigit() and outside[i + 1].isdigit()
        if not (between_digits or _leading_decimal_comma(outside, i)):
            return "separator"
    if re.search(r"[\d?_)\]][ \t]+[-+.,\d?_]", outside) or "\t" in outside or ";" in outside:
        return "decimal"
    return "separator"


def _comma_notes(reading: _Reading) -> list[AnswerNote]:
    if not reading.comma_tokens:
        return []
    written, read = reading.comma_tokens[0]
    return [AnswerNote(ANSWER_NOTE_DECIMAL_COMMA, {"token": written, "value": read,
                                                   "count": len(reading.comma_tokens)})]
