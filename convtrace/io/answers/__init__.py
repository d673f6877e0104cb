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
  fractions (``1/9``, ``1.5/2``, ``(1/9)``, ``-(2/3)``), the typographic minus
  ``−`` and other dashes; blank markers ``? _ - —``.  ``inf`` is refused;
  thousands separators are not read (``1 000`` is two values).
- **a factor before the matrix**: ``1/9 * [[1, 2], [3, 4]]``, ``(1/9)[1 2; 3 4]``,
  ``\\frac{1}{9} \\begin{bmatrix}…``: every value is multiplied by it, exactly.
- **rows longer than the exercise's** (:mod:`.rows`, where the expected shape
  is known): ``1 - 3 4`` is 1, -3 and 4 where the row has three values (a lone
  ``-`` is otherwise a blank); ``0,375,0,5`` may be 0.375 and 0.5, a reading
  the grader takes where it makes more cells right (:func:`best_reading`).
- BOM, non-breaking and thin spaces, CRLF line ends, trailing spaces and
  Markdown code fences are ignored; ``# comments`` are skipped.  A line of
  text (a header such as ``Answer:``) is never ignored: it is refused.

Files: ``.npy`` (NaN as blank), ``.json`` (nested lists, ``null`` as blank),
images through :func:`convtrace.io.readers.read_matrix`, anything else as text.

Every reading taken that a teacher may want to know (decimal commas, LaTeX,
empty cells read as blanks) is an :class:`AnswerNote` in ``Answer.notes``: a
message key and its parameters, shown in English or Spanish.

The readers live in submodules, one concern each: :mod:`.answer` (the
:class:`Answer` and :class:`AnswerNote` types), :mod:`.cells` (cells, numbers
and assembling an array), :mod:`.commas` (plain rows, CSV separators and
decimal commas), :mod:`.rows` (rows read to the exercise's width), :mod:`.brackets`
(MATLAB, NumPy, lists, JSON), :mod:`.latex` and :mod:`.reader` (choosing a
reading; a factor before the matrix; files and standard input).
"""

from __future__ import annotations

from convtrace.io.answers.answer import Answer, AnswerNote
from convtrace.io.answers.cells import NULL_WORDS
from convtrace.io.answers.latex import MATRIX_ENVS, WRAPPING_ENVS, looks_like_latex
from convtrace.io.answers.reader import (
    BYTES_PER_TEXT_VALUE,
    TEXT_SUFFIXES,
    best_reading,
    parse_answer_text,
    read_answer,
)

__all__ = [
    "BYTES_PER_TEXT_VALUE",
    "MATRIX_ENVS",
    "NULL_WORDS",
    "TEXT_SUFFIXES",
    "WRAPPING_ENVS",
    "Answer",
    "AnswerNote",
    "best_reading",
    "looks_like_latex",
    "parse_answer_text",
    "read_answer",
]
