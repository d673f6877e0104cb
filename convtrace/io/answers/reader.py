"""Reading an answer: :func:`read_answer` (a path, standard input or inline text) and :func:`parse_answer_text`.

This is where a text is cleaned (BOM, odd spaces, code fences), a factor
written before the matrix is taken out (``1/9 * [[…]]``), the text is sent to
the right reader (LaTeX, brackets or plain rows), and where, when a comma
between digits could be a decimal comma or a separator, the reading that fits
the expected shape, the text's style or the language is chosen; a lone ``-``
is read as a sign only when the answer does not fit otherwise.
:func:`best_reading` chooses among the readings a grader is offered.  Files (``.npy``,
``.json``, images, text) are read here too.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from fractions import Fraction
from pathlib import Path

import numpy as np

from convtrace.errors import ConvtraceValueError
from convtrace.io.answers.answer import Answer, AnswerNote
from convtrace.io.answers.brackets import _ASSIGN, _brackets, looks_like_code
from convtrace.io.answers.cells import _blank_out, _Reading, _shape_text, _where
from convtrace.io.answers.commas import _comma_notes, _comma_style, _plain, may_have_decimal_commas
from convtrace.io.answers.latex import _latex, looks_like_latex
from convtrace.io.answers.tidy import tidied
from convtrace.io.matrix import BLANK_MARKERS, looks_inline
from convtrace.messages import Term
from convtrace.messages.answers import (
    ANSWER_COMMA_AMBIGUOUS,
    ANSWER_EMPTY,
    ANSWER_INFINITE,
    ANSWER_NOTE_BRACES,
    ANSWER_NOTE_COMMA_FORCED,
    ANSWER_NOTE_COMMA_GROUPS_TIED,
    ANSWER_NOTE_COMMA_LOCALE,
    ANSWER_NOTE_COMMA_SHAPE,
    ANSWER_NOTE_COMMA_SPREADSHEET,
    ANSWER_NOTE_FACTOR,
    ANSWER_NOTE_NAN_BLANK,
    ANSWER_NOTE_SEMICOLON_CSV,
    ANSWER_NOTE_SEPARATOR_SHAPE,
    ANSWER_NOTE_STACKED_MAPS,
    ANSWER_NOTE_THOUSANDS,
    ANSWER_NPY_NOT_NUMBERS,
    ANSWER_PICTURE_SHAPE,
)
from convtrace.messages.parsing import (
    HINT_TEXT_MATRIX,
    IS_DIRECTORY,
    JSON_NOT_MATRIX,
    NO_SUCH_FILE,
    WHAT_TEXT_MATRIX,
)
from convtrace.syntax import normalise_minus

#: File endings read as text answers (anything not .npy, .json or an image is read as text too).
TEXT_SUFFIXES = frozenset({".txt", ".csv", ".tsv", ".tex", ".m", ".py", ".md", ".dat"})
#: Memory reading text takes per value, a generous estimate (as in convtrace.io.matrix).
BYTES_PER_TEXT_VALUE = 400

_SPACES = str.maketrans({c: " " for c in "\u00a0\u2007\u2009\u200a\u202f\u205f\u3000"})


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


def _check_size(text: str, source: str) -> None:
    from convtrace.limits import check_parts

    values = len(text) // 2 + 1
    check_parts(Term(WHAT_TEXT_MATRIX), [(source, (values,), BYTES_PER_TEXT_VALUE)], hint=Term(HINT_TEXT_MATRIX))


def _answer(reading: _Reading, source: str, extra: list[AnswerNote] | None = None) -> Answer:
    notes = list(reading.notes) + _comma_notes(reading) + list(extra or [])
    return Answer(values=reading.values, blanks=reading.blanks, source=source, notes=notes,
                  alternatives=[_answer(other, source) for other in reading.alternatives],
                  regrouped=reading.regrouped)


#: Braces or parentheses around every row: Mathematica's and C's ``{{1, 2}, {3, 4}}``, Python's
#: tuples ``((1, 2), (3, 4))``.
_BRACED = re.compile(r"\A\s*(?:\{|\(\s*\()")


def parse_answer_text(text: str, source: str, *, expected_shape: tuple[int, ...] | None = None,
                      decimal_comma: bool | None = None, lang: str = "en", json: bool = False) -> Answer:
    """An answer written as text (any format of the module docstring), or an error naming the real cause."""
    _check_size(text, source)
    text = _clean(text)
    tidy_notes: list[AnswerNote] = []
    if not json and not looks_like_latex(text):
        text, tidy_notes = tidied(text)
    factor = None if json else _factor_in_front(text)
    if factor:
        text = _blank_out(text, factor.start(2), factor.end(3))
    answer = _read_tidy(text, source, expected_shape, decimal_comma, lang, json)
    for reading in (answer, *answer.alternatives):
        reading.notes[:0] = tidy_notes
        if factor:
            _scaled(reading, factor)
    return answer


#: A number, a fraction or a LaTeX fraction, as a factor is written: 1/9, -2, 0.5, \frac{1}{16}, \tfrac19.
_FACTOR_NUMBER = (r"[-+]?\s*(?:\d+(?:\.\d+)?(?:\s*/\s*\d+(?:\.\d+)?)?"
                  r"|\\[dt]?frac\s*(?:\{\s*\d+\s*\}\s*\{\s*\d+\s*\}|\d\d))")
#: A factor written before the matrix: ``1/9 * [[…]]``, ``(1/9)[[…]]``, ``1/16·[1 2; 3 4]``,
#: ``A = 1/9 * np.array(…)``, ``\frac{1}{9} \begin{bmatrix}…``.  Groups: what comes before it
#: (a ``$`` or ``A =``), the factor, the multiplication sign.
_FACTOR = re.compile(
    r"\A(\s*(?:\$\$?|\\\[)?\s*(?:>>>\s*)?(?:[A-Za-z_][\w.]*\s*=\s*)?)"
    rf"((?:[-+]?\(\s*{_FACTOR_NUMBER}\s*\)|{_FACTOR_NUMBER}))"
    r"(\s*(?:\*|·|⋅|×|\\cdot|\\times)\s*|[ \t]*)"
    r"(?=\[|\{|(?:np\.|numpy\.|torch\.)?(?:array|asarray|matrix|tensor)\s*\(|\\left|\\begin)")


def _factor_in_front(text: str) -> re.Match | None:
    """The factor written before the answer's matrix, where there is one (and no other number before it)."""
    m = _FACTOR.match(text)
    if not m or (not m.group(3).strip() and "(" not in m.group(2) and "/" not in m.group(2)
                 and "frac" not in m.group(2) and not re.search(r"\\begin|\\left", text[m.end():m.end() + 6])):
        return None  # '2 [1 2]': a factor needs a sign, parentheses, or to be a fraction
    try:
        _factor_value(m.group(2))
    except ZeroDivisionError:
        return None  # '1/0 * [1 2]': read as written, and refused where 1/0 is
    return m


def _factor_value(written: str) -> Fraction:
    """``(1/9)`` → 1/9, ``-\\frac{2}{3}`` → -2/3, ``0.5`` → 1/2."""
    text = re.sub(r"\s+", "", written)
    sign = -1 if text.startswith("-") else 1
    text = text.lstrip("+-").strip("()")
    if text.startswith(("+", "-")):
        sign *= -1 if text[0] == "-" else 1
        text = text[1:]
    frac = re.fullmatch(r"\\[dt]?frac(?:\{(\d+)\}\{(\d+)\}|(\d)(\d))", text)
    if frac:
        num, den = (frac.group(1), frac.group(2)) if frac.group(1) else (frac.group(3), frac.group(4))
        text = f"{num}/{den}"
    num, _, den = text.partition("/")
    return sign * Fraction(num) / Fraction(den or 1)


def _scaled(answer: Answer, factor: re.Match) -> None:
    """Every value of ``answer`` times the factor, exactly (9 × 1/9 is 1, where 9 × 0.111… need not be)."""
    value = _factor_value(factor.group(2))
    flat = [v if v != v else float(value * Fraction(v)) for v in answer.values.ravel().tolist()]
    answer.values = np.array(flat, dtype=np.float64).reshape(answer.values.shape)
    shown = str(value.numerator) if value.denominator == 1 else f"{value.numerator}/{value.denominator}"
    answer.notes.append(AnswerNote(ANSWER_NOTE_FACTOR, {"factor": shown,
                                                        "token": (factor.group(2) + factor.group(3)).strip()}))


def _read_tidy(text: str, source: str, expected_shape, decimal_comma, lang: str, json: bool) -> Answer:
    try:
        if not json and _BRACED.match(text) and not looks_like_latex(text) and not re.search(r"[&\\]", text):
            # read as brackets, one character for one: positions stay right
            answer = _parse_clean(text.translate(str.maketrans("{}()", "[][]")), source, expected_shape,
                                  decimal_comma, lang, json)
            answer.notes.append(AnswerNote(ANSWER_NOTE_BRACES, {"open": text.lstrip()[0]}))
        else:
            answer = _parse_clean(text, source, expected_shape, decimal_comma, lang, json)
    except ConvtraceValueError:
        readings = [] if json else _thousands_readings(text, None, source, expected_shape, lang)
        if readings:  # 12.345.678: no number without its thousands separators
            return readings[0]
        raise
    answer = _maps_one_below_another(answer, expected_shape)
    answer.alternatives = [_maps_one_below_another(other, expected_shape) for other in answer.alternatives]
    if not json:
        answer.alternatives += _thousands_readings(text, answer, source, expected_shape, lang)
    return answer


def _maps_one_below_another(answer: Answer, expected_shape) -> Answer:
    """An exercise of C maps of H×W answered as C·H rows of W, no blank line between the maps: the maps."""
    if not expected_shape or len(expected_shape) != 3 or expected_shape[0] < 2 or answer.values.ndim != 2:
        return answer
    maps, rows, cols = expected_shape
    if answer.values.shape != (maps * rows, cols):
        return answer
    answer.values = answer.values.reshape(expected_shape)
    if answer.blanks is not None:
        answer.blanks = answer.blanks.reshape(expected_shape)
    answer.notes.append(AnswerNote(ANSWER_NOTE_STACKED_MAPS, {"rows": maps * rows, "maps": maps, "each": rows}))
    return answer


#: A number written with thousands separators: 1.200, 12,345,678, 1.200,5 (Spanish), 1,200.5 (English).
_THOUSANDS = re.compile(
    r"(?<![\d.,])[1-9]\d{0,2}(?P<sep>[.,])\d{3}(?:(?P=sep)\d{3})*(?:(?!(?P=sep))[.,]\d+)?(?![\d.,])")


def _thousands_value(token: str) -> str:
    """``1.200,5`` → ``1200.5``: the first separator groups thousands, the other marks decimals."""
    sep = token[len(re.match(r"\d+", token).group(0))]
    whole, _, fraction = token.partition("," if sep == "." else ".")
    return whole.replace(sep, "") + ("." + fraction if fraction else "")


def _thousands_readings(text: str, answer: Answer | None, source: str, expected_shape, lang: str) -> list[Answer]:
    """The answer with every number that can carry thousands separators read with them (``1.200`` as
    1200), when that gives a shape that fits: a grader prefers it where more cells are then right."""
    found = []

    def without_separators(m: re.Match) -> str:
        found.append(m.group(0))
        return _thousands_value(m.group(0)).ljust(len(m.group(0)))  # later positions stay where they were

    rewritten = _THOUSANDS.sub(without_separators, text)
    if not found:
        return []
    try:
        other = _parse_clean(rewritten, source, expected_shape, False, lang, False)
    except ConvtraceValueError:
        return []
    other = _maps_one_below_another(other, expected_shape)
    if not (expected_shape and _fits(other.values.shape, tuple(expected_shape))) and (
            answer is None or other.values.shape != answer.values.shape):
        return []
    other.notes = [AnswerNote(ANSWER_NOTE_THOUSANDS, {"token": found[0], "value": _thousands_value(found[0])})]
    return [other]


def _parse_clean(text: str, source: str, expected_shape, decimal_comma, lang: str, json: bool) -> Answer:
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
    bracketed = json or stripped.startswith("[") or bool(_ASSIGN.match(text) and "[" in text) or looks_like_code(
        text)
    nested = bracketed and bool(json or re.search(r"(?:array|matrix|Matrix|tensor|Tensor)\s*\(|\[\s*\[", text))

    outside_quotes = re.sub(r'"[^"\n]*"', " ", text)
    possible = not nested and may_have_decimal_commas(outside_quotes)

    def read(comma: bool, signs: bool) -> _Reading:
        if bracketed:
            return _brackets(text, source, comma, lines, expected, json)
        return _plain(lines, source, comma, expected, groups=decimal_comma is not False, signs=signs)

    try:
        reading, extra = _chosen(text, source, lines, expected, decimal_comma, lang, bracketed, possible,
                                 lambda comma: read(comma, False))
    except ConvtraceValueError as err:
        # Refused as written (rows of 4 and 3 values): a lone '-' before a number may be its sign.
        if err.key == ANSWER_COMMA_AMBIGUOUS or bracketed or not expected or not _LONE_MINUS.search(text):
            raise
        try:
            reading, extra = _chosen(text, source, lines, expected, decimal_comma, lang, bracketed, possible,
                                     lambda comma: read(comma, True))
        except ConvtraceValueError:
            raise err from None
        if not (_fits(reading.values.shape, expected) or reading.alternatives):
            raise
        return _answer(reading, source, extra)
    if expected and not bracketed and not _fits(reading.values.shape, expected) and _LONE_MINUS.search(text):
        # Read, but not to the exercise's shape: read the same way again with a lone '-' as a sign.
        signed = read(reading.comma, True)
        if signed.error is None and (_fits(signed.values.shape, expected) or signed.alternatives):
            reading = signed
    return _answer(reading, source, extra)


#: A lone '-' with a number after it, spaces between: a sign or a blank cell (see :mod:`.rows`).
_LONE_MINUS = re.compile(r"(?<!\S)- +[\d.,(]")


def _chosen(text: str, source: str, lines: list[str], expected, decimal_comma, lang: str, bracketed: bool,
            possible: bool, read: Callable[[bool], _Reading]) -> tuple[_Reading, list[AnswerNote]]:
    """The reading to take, with decimal commas or with commas as separators, and the notes that say why."""
    if decimal_comma is not None:
        reading = read(bool(decimal_comma) and possible)
        if reading.error and decimal_comma and possible and not bracketed:
            separated = read(False)  # '0,375,0,5': commas of both kinds
            decimal = separated if separated.regrouped else (separated.alternatives or [None])[0]
            if decimal is not None:
                decimal.alternatives = [r for r in separated.alternatives if r is not decimal]
                return decimal, [AnswerNote(ANSWER_NOTE_COMMA_FORCED)]
        if reading.error:
            raise reading.error
        return reading, [AnswerNote(ANSWER_NOTE_COMMA_FORCED)] if decimal_comma and reading.comma_tokens else []
    if not possible:
        reading = read(False)
        if reading.error:
            raise reading.error
        return reading, []
    style = _comma_style(text)
    separator, comma = read(False), read(True)
    if separator.regrouped and comma.error is None:
        # Unreadable with commas as separators, and then read with some as decimal commas: the reading
        # with decimal commas is the one to take, as it was when the other was refused.
        return comma, []
    valid = [r for r in (separator, comma) if r.error is None]
    if not valid:
        raise (comma if style == "decimal" else separator).error
    if len(valid) == 1:
        return valid[0], []
    if expected:
        fitting = [r for r in valid if _fits(r.values.shape, expected)]
        if len(fitting) == 1:
            chosen = fitting[0]
            other = separator if chosen is comma else comma
            key = ANSWER_NOTE_COMMA_SHAPE if chosen is comma else ANSWER_NOTE_SEPARATOR_SHAPE
            return chosen, [AnswerNote(key, {"shape": _shape_text(chosen.values.shape),
                                             "other": _shape_text(other.values.shape)})]
    if style == "separator":
        return separator, []
    # In a spreadsheet's CSV (';' between values) or paste (tabs), a comma never separates values.
    spreadsheet = "\t" in text or any(n.key == ANSWER_NOTE_SEMICOLON_CSV for n in comma.notes)
    if spreadsheet:
        return comma, [AnswerNote(ANSWER_NOTE_COMMA_SPREADSHEET, {"other": _shape_text(separator.values.shape)})]
    if lang == "es":
        return comma, [AnswerNote(ANSWER_NOTE_COMMA_LOCALE, {"other": _shape_text(separator.values.shape)})]
    written, read_as = comma.comma_tokens[0]
    line = next((k for k, ln in enumerate(lines, start=1) if written in ln), None)
    where = _where(source, line) if line else source
    raise ConvtraceValueError(ANSWER_COMMA_AMBIGUOUS, where=where, token=written, decimal=read_as,
                              spaced=written.replace(",", ", "), shape_comma=_shape_text(comma.values.shape),
                              shape_separator=_shape_text(separator.values.shape))


def best_reading(answer: Answer, cells_right: Callable[[Answer], int]) -> Answer:
    """The reading of ``answer`` to grade: one of its :attr:`~Answer.alternatives` only where it makes
    more cells right (``cells_right``) than the answer as read and than the alternatives before it.

    Where two readings of a row's commas make as many cells right (``1,5,2``: 1.5 and 2, or 1 and 5.2),
    the grade is the same either way; the one taken says which other there was, in a note.
    """
    if not answer.alternatives:
        return answer
    readings = [answer, *answer.alternatives]
    scores = [cells_right(reading) for reading in readings]
    best = max(range(len(readings)), key=lambda k: (scores[k], -k))
    chosen = readings[best]
    tied = [other for k, other in enumerate(readings) if k != best and scores[k] == scores[best]
            and other.regrouped and other.values.shape == chosen.values.shape
            and not np.array_equal(other.values, chosen.values, equal_nan=True)]
    if chosen.regrouped and tied:
        width = chosen.values.shape[-1]
        mine, theirs = chosen.values.reshape(-1, width), tied[0].values.reshape(-1, width)
        row = next(r for r in range(len(mine)) if not np.array_equal(mine[r], theirs[r], equal_nan=True))
        chosen.notes.append(AnswerNote(ANSWER_NOTE_COMMA_GROUPS_TIED, {
            "row": row + 1, "value": _row_text(mine[row]), "other": _row_text(theirs[row])}))
    return chosen


def _row_text(values: np.ndarray) -> str:
    """A row of values as a student would write it: ``1.5 2 ?``."""
    return " ".join("?" if v != v else np.format_float_positional(v, trim="-") for v in values.tolist())


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
    if looks_inline(spec) or looks_like_latex(s) or "\n" in spec or "\t" in spec or s[0] in '["#<' or looks_like_code(s):
        return True
    if re.search(r"\barray\s*\(|\[", s) or re.match(r"[A-Za-z_]\w*\s*=", s):
        return True  # NumPy's or MATLAB's notation, or an assignment: `x = np.array([[nan]])`
    if re.search(r"\.[A-Za-z]{1,4}\Z", s):
        return False  # a file name that does not exist
    if re.fullmatch(r"[-+]?\(\s*[-+]?[\d.,/]+\s*\)", normalise_minus(s)):
        return True  # one value in parentheses: (1/9)
    return bool(re.search(r"\d", s)) and bool(re.search(r"\s", s))


def _check_picture_size(path: Path, source: str, expected_shape: tuple[int, ...] | None) -> None:
    """Refuse a picture whose size is not the answer's before reading its pixels (a phone photo given
    as the answer to a 3×3 exercise took minutes and gigabytes to show as a marked table)."""
    if expected_shape is None or len(expected_shape) < 2:
        return
    from PIL import Image

    try:
        with Image.open(path) as img:
            width, height = img.size
    except Exception:  # noqa: BLE001 - not readable as a picture: read_matrix says why
        return
    if (height, width) != tuple(expected_shape[-2:]):
        raise ConvtraceValueError(ANSWER_PICTURE_SHAPE, where=source, size=f"{height}×{width}",
                                  shape=_shape_text(expected_shape))


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
            _check_picture_size(path, source, expected_shape)
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
