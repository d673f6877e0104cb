"""Grading answers to convolution and pooling exercises, and naming the likely mistakes.

An :class:`Exercise` is an input, a kernel (for convolution) and the
parameters; :func:`grade` compares a student's matrix with the engine's
output cell by cell and, when they differ, recomputes the exercise the way
students commonly get it wrong — one mistake, or two together (kernel
flipped or transposed, scale forgotten, padding forgotten, added or of
another size, another border mode, stride, pooling mode or divisor, floor vs
ceil, the answer transposed or negated, every window shifted) — and names the
explanation that accounts for most of the cells the student wrote with the
fewest mistakes.  Cells it leaves over are slips measured against what the
student would have got with that mistake; when nothing explains most of the
answer, it says so (``unexplained``) instead of listing every cell.

The package splits that work by concern: :mod:`~convtrace.grading.exercise` (what was asked, and its
answer key), :mod:`~convtrace.grading.pipeline` (forward passes as exercises),
:mod:`~convtrace.grading.mistakes` (the mistakes tried and their ids), :mod:`~convtrace.grading.variants`
(the exercise run with mistakes), :mod:`~convtrace.grading.explain` (the search and the rules for
leftover cells) and :mod:`~convtrace.grading.grades` (the verdict).  Every name is importable from here.
"""

from __future__ import annotations

from convtrace.grading.exercise import (
    KEY_FORMAT,
    TCONV_OP,
    Exercise,
    _as_conv_exercise,
    _op_name,
    _tconv_spec,
)
from convtrace.grading.explain import (
    _Candidate,
    _cell_text,
    _cells_of,
    _close,
    _diagnose,
    _dims,
    _enough,
    _Explanation,
    _leftover_diagnoses,
    _neighbour,
    _search,
    _signature,
    _Verdict,
    diagnose,
)
from convtrace.grading.grades import (
    DEFAULT_TOL,
    MAX_SHAPE_OPTIONS,
    MAX_UNEXPLAINED_CELLS,
    MAX_WORKED_CELLS,
    Grade,
    describe,
    grade,
)
from convtrace.grading.mistakes import (
    _KEY_IDS,
    MISTAKE_IDS,
    PIPELINE_ORDER,
    POOL_ORDER,
    SHAPE_ID,
    TCONV_ORDER,
    Diagnosis,
    Mistake,
    _num,
    _padding_mistakes,
    _padding_value,
    _pair_value,
    _pipeline_mistakes,
    _rotationally_symmetric,
    _stride_mistakes,
    _tconv_mistakes,
    candidate_mistakes,
)
from convtrace.grading.pipeline import (
    PIPELINE_OP,
    PipelineRun,
    PipelineSpec,
    PipelineTrace,
    _pipeline_run,
)
from convtrace.grading.variants import _shifted, _Variants

__all__ = [
    "DEFAULT_TOL", "MAX_WORKED_CELLS", "MAX_SHAPE_OPTIONS", "KEY_FORMAT", "TCONV_OP",
    "PIPELINE_OP", "PipelineSpec", "PipelineTrace", "PipelineRun", "Exercise", "MISTAKE_IDS",
    "TCONV_ORDER", "PIPELINE_ORDER", "POOL_ORDER", "SHAPE_ID", "MAX_UNEXPLAINED_CELLS",
    "Diagnosis", "Mistake", "Grade", "candidate_mistakes", "diagnose", "grade", "describe",
    # Helpers of the single module this package was; tests and callers may import them from here.
    "_pipeline_run", "_op_name", "_tconv_spec", "_as_conv_exercise", "_KEY_IDS", "_close",
    "_rotationally_symmetric", "_pair_value", "_padding_value", "_padding_mistakes",
    "_stride_mistakes", "_tconv_mistakes", "_pipeline_mistakes", "_shifted", "_Variants",
    "_Candidate", "_signature", "_enough", "_Explanation", "_search", "_cell_text",
    "_leftover_diagnoses", "_neighbour", "_num", "_dims", "_cells_of", "_Verdict", "_diagnose",
]
