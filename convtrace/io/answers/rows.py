"""Rows longer than the exercise's, read to its width: a minus apart from its number, decimal commas between commas.

Two things students type make a row hold more values than they meant:

- **a minus written apart from its number**: ``1 - 3 4`` (or ``1 − 3 4``, with
  the typographic minus or an en dash, both ``-`` by then) is 1, -3 and 4.  A
  lone ``-`` is also a blank cell, so it is read as a sign only where the
  answer read with blanks does not have the exercise's shape (``signs``, see
  :func:`.reader._parse_clean`) and the row then has the exercise's number of
  values; where one way of taking the signs does that it is taken
  (:data:`ANSWER_NOTE_SPACED_MINUS`), where several do they are readings to
  grade, as below.  A '-' between tabs is a spreadsheet's empty cell, never a sign.
- **decimal commas in a row that commas also separate**: ``0,375,0,5`` is 0.375
  and 0.5 to a Spanish speaker.  Where a row of the exercise's width can be made
  from its groups of digits, in a row with a run of two commas or more written
  between digits with no space (``1,5 2``, one such comma at a time, is the
  reader's own choice in :mod:`.reader`), each way is a reading: ``1,5,2`` is
  1.5 and 2, or 1 and 5.2.  These readings are never taken as
  read, since ``60,70,50,40`` is also an English CSV of the wrong width whose
  shape the grader names; they are :attr:`_Reading.alternatives`, and the
  grader takes one only where it makes more cells right (as for thousands
  separators), saying so when another makes as many
  (:data:`ANSWER_NOTE_COMMA_GROUPS`, :data:`ANSWER_NOTE_COMMA_GROUPS_TIED`).

Only rows longer than the exercise's are read anew, and only when the expected
shape is known: a row that fits is left as written.
"""

from __future__ import annotations

import itertools
import math
import re

from convtrace.io.answers.answer import AnswerNote
from convtrace.io.answers.cells import _Cell, _Row
from convtrace.io.matrix import BLANK_MARKERS
from convtrace.messages.answers import ANSWER_NOTE_COMMA_GROUPS, ANSWER_NOTE_SPACED_MINUS

#: The most readings of a text's decimal commas tried (all rows' ways together); past it none is.
MAX_COMMA_READINGS = 256
#: The most ways one row's joins are looked through.
_MAX_ROW_WAYS = 4096

_DIGITS = re.compile(r"\d+")
_SIGNED_DIGITS = re.compile(r"[-+]?\d+")
_NUMBER_START = re.compile(r"[\d.,(]")

_SIGN, _COMMA = "sign", "comma"


def _gap(lines: list[str], a: _Cell, b: _Cell) -> str | None:
    """What is written between two neighbouring cells of one line (None across lines)."""
    if a.line != b.line or not 0 < a.line <= len(lines):
        return None
    return lines[a.line - 1][a.col - 1 + len(a.text):b.col - 1]


def _links(row: _Row, lines: list[str]) -> list[str | None]:
    """How each cell may join the next: ``sign`` (a lone '-' then a number, spaces between, not tabs),
    ``comma`` (digits, a bare comma, digits, in a row with a run of two such commas or more), or None."""
    cells = row.cells
    kinds: list[str | None] = [None] * max(len(cells) - 1, 0)
    bare = [False] * len(kinds)   # digits, a comma, digits (signed or not): '0,375,0,5', '0,-5'
    for k, (a, b) in enumerate(itertools.pairwise(cells)):
        if a.quoted or b.quoted or not a.text or not b.text:
            continue
        gap = _gap(lines, a, b)
        if gap is None:
            continue
        if a.text == "-" and gap and not gap.strip(" ") and _NUMBER_START.match(b.text) \
                and b.text not in BLANK_MARKERS:
            kinds[k] = _SIGN
        elif gap == "," and _SIGNED_DIGITS.fullmatch(a.text) and _SIGNED_DIGITS.fullmatch(b.text):
            bare[k] = True
            if _DIGITS.fullmatch(b.text):  # '0,-5': the comma before a sign separates
                kinds[k] = _COMMA
    longest = run = 0
    for joined in bare:
        run = run + 1 if joined else 0
        longest = max(longest, run)
    if longest < 2:  # no run of two commas: '1,5 2' and '0,5 1,5' are the reader's own choice
        kinds = [None if kind == _COMMA else kind for kind in kinds]
    return kinds


def _values(row: _Row, chosen: frozenset[int]) -> list[list[_Cell]]:
    """The row's cells grouped into values by the chosen joins."""
    groups: list[list[_Cell]] = []
    for k, cell in enumerate(row.cells):
        if k - 1 in chosen:
            groups[-1].append(cell)
        else:
            groups.append([cell])
    return groups


def _plausible(groups: list[list[_Cell]], kinds: list[str | None], chosen: frozenset[int]) -> bool:
    """One decimal comma a number, and no whole part written with a leading zero ('05')."""
    if any(kinds[k] == _COMMA and kinds[k + 1] == _COMMA and k + 1 in chosen for k in chosen
           if k + 1 < len(kinds)):
        return False
    for group in groups:
        digits = [c.text.lstrip("+-") for c in group if c.text != "-"]
        if digits and len(digits[0]) > 1 and digits[0].startswith("0") and digits[0].isdigit():
            return False
    return True


def _ways(row: _Row, lines: list[str], width: int) -> list[frozenset[int]]:
    """Each set of joins that gives the row ``width`` values (none when it has that many or fewer)."""
    need = len(row.cells) - width
    if need <= 0:
        return []
    kinds = _links(row, lines)
    usable = [k for k, kind in enumerate(kinds) if kind]
    if len(usable) < need or math.comb(len(usable), need) > _MAX_ROW_WAYS:
        return []
    ways = []
    for chosen in map(frozenset, itertools.combinations(usable, need)):
        if _plausible(_values(row, chosen), kinds, chosen):
            ways.append(chosen)
    return ways


def _joined(row: _Row, lines: list[str], chosen: frozenset[int]) -> _Row:
    """The row with the chosen cells joined into one value each (``- 3`` → ``-3``, ``0`` ``375`` → ``0,375``)."""
    cells = []
    for group in _values(row, chosen):
        if len(group) == 1:
            cells.append(group[0])
            continue
        first, last = group[0], group[-1]
        text = re.sub(r"\s+", "", lines[first.line - 1][first.col - 1:last.col - 1 + len(last.text)])
        cells.append(_Cell(text, first.line, first.col, quoted="," in text))  # one value: its comma is decimal
    return _Row(cells, row.line, row.trailing, row.index)


def _written(row: _Row, lines: list[str], group: list[_Cell]) -> str:
    first, last = group[0], group[-1]
    return lines[first.line - 1][first.col - 1:last.col - 1 + len(last.text)]


class RowFits:
    """How the rows of one reading fit the exercise's width: the signs taken, the comma readings offered."""

    def __init__(self, channels: list[list[_Row]], lines: list[str], expected_shape, *, groups: bool,
                 signs: bool) -> None:
        self.channels = channels
        self.notes: list[AnswerNote] = []
        self.alternatives: list[list[list[_Row]]] = []
        self.comma_notes: list[AnswerNote] = []
        if not expected_shape or not channels:
            return
        width = expected_shape[-1]
        taken: list[str] = []   # the signs taken, as written
        choices: list[tuple[int, int, list[frozenset[int]]]] = []  # (channel, row, its ways with commas)
        fixed = [list(channel) for channel in channels]
        for c, channel in enumerate(fixed):
            for r, row in enumerate(channel):
                ways = _ways(row, lines, width)
                kinds = _links(row, lines) if ways else []
                if not groups:  # --decimal-comma no: a comma always separates
                    ways = [way for way in ways if all(kinds[k] == _SIGN for k in way)]
                if not signs:  # a lone '-' is a blank, as everywhere, unless nothing fits then
                    ways = [way for way in ways if all(kinds[k] == _COMMA for k in way)]
                if len(ways) == 1 and all(kinds[k] == _SIGN for k in ways[0]):
                    taken += [_written(row, lines, g) for g in _values(row, ways[0]) if len(g) > 1]
                    channel[r] = _joined(row, lines, ways[0])
                elif ways:
                    choices.append((c, r, ways))
        if taken:
            self.channels = fixed
            self.notes.append(AnswerNote(ANSWER_NOTE_SPACED_MINUS, {
                "token": taken[0], "value": re.sub(r"\s+", "", taken[0]), "count": len(taken)}))
        if not choices or math.prod(len(ways) for _, _, ways in choices) > MAX_COMMA_READINGS:
            return
        for pick in itertools.product(*(ways for _, _, ways in choices)):
            reading = [[_Row(list(row.cells), row.line, row.trailing, row.index) for row in channel]
                       for channel in self.channels]  # rows of their own: assembling fills in trailing cells
            for (c, r, _), chosen in zip(choices, pick, strict=True):
                reading[c][r] = _joined(self.channels[c][r], lines, chosen)
            if any(len(row.cells) != width for channel in reading for row in channel):
                continue  # another row is not of the exercise's width: no reading of the commas helps
            self.alternatives.append(reading)
            self.comma_notes.append(_comma_groups_note(choices, pick, self.channels, lines))


def _comma_groups_note(choices, pick, channels, lines) -> AnswerNote:
    """The first run read anew, as written and as read: ``'0,375,0,5'`` as ``0.375 0.5``; or, where
    only signs were, the first minus taken as one."""
    for (c, r, _), chosen in zip(choices, pick, strict=True):
        row = channels[c][r]
        kinds = _links(row, lines)
        commas = [k for k in chosen if kinds[k] == _COMMA]
        if not commas:
            continue
        start = end = min(commas)
        while start > 0 and (kinds[start - 1] == _COMMA or (kinds[start - 1] == _SIGN and start - 1 in chosen)):
            start -= 1
        end += 1
        while end < len(kinds) and kinds[end] == _COMMA:
            end += 1
        groups = _values(row, chosen)
        owner = [g for g, group in enumerate(groups) for _ in group]  # the value each cell belongs to
        read = [re.sub(r"\s+", "", _written(row, lines, groups[g])).replace(",", ".")
                for g in range(owner[start], owner[end] + 1)]
        return AnswerNote(ANSWER_NOTE_COMMA_GROUPS, {"token": _written(row, lines, row.cells[start:end + 1]),
                                                     "value": " ".join(read), "count": len(choices)})
    (c, r, _), chosen = choices[0], pick[0]
    row = channels[c][r]
    token = next(_written(row, lines, g) for g in _values(row, chosen) if len(g) > 1)
    return AnswerNote(ANSWER_NOTE_SPACED_MINUS, {"token": token, "value": re.sub(r"\s+", "", token), "count": 1})
