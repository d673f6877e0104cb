"""The verdict on one answer: :class:`Grade`, :func:`grade` and :func:`describe`.

:func:`grade` marks every cell against the engine's output, asks :mod:`convtrace.grading.explain`
for the mistakes, and keeps the engine's working for the wrong cells; :func:`describe` says a
diagnosis in a language.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from convtrace.convolution import Conv2d
from convtrace.grading.exercise import Exercise
from convtrace.grading.explain import _close, _diagnose, _Verdict
from convtrace.grading.mistakes import Diagnosis
from convtrace.grading.pipeline import PipelineSpec
from convtrace.messages import translate
from convtrace.messages.grading import (
    MISTAKE_AND,
    MISTAKE_UNEXPLAINED,
    SHAPE_MISMATCH,
    SHAPE_OR,
    SHAPE_WOULD_COME_FROM,
)
from convtrace.pooling import Pool2d

#: Default tolerance for float answers: fit for answers rounded to two decimals.
DEFAULT_TOL = 0.005
#: How many wrong cells a grade carries the engine's working for.
MAX_WORKED_CELLS = 8
#: How many of the settings that would give a wrong shape are named.
MAX_SHAPE_OPTIONS = 4
#: How many wrong cells an unexplained answer carries the working for.
MAX_UNEXPLAINED_CELLS = 3


@dataclass(frozen=True, eq=False)
class Grade:
    """The verdict on one answer."""

    exercise: Exercise
    expected: np.ndarray
    answer: np.ndarray
    missing: np.ndarray        # True where the student left the cell blank
    correct: np.ndarray        # True where the cell is right (False when shapes differ)
    tol: float
    diagnoses: list[Diagnosis]
    shape_ok: bool
    operation: Conv2d | Pool2d
    working: Any = None   # the engine's working for ``working_cells`` (a ConvTrace, PoolTrace, TConvTrace or PipelineTrace)
    working_cells: tuple = ()                      # the wrong cells ``working`` is for, in its order
    #: The working, done WITH the diagnosed mistake, of the cells it does not explain (``slip_cells``):
    #: what the student would have got had they made only that mistake.
    slip_working: Any = None   # for the first MAX_WORKED_CELLS of ``slip_cells``
    slip_cells: tuple = ()

    @property
    def n_cells(self) -> int:
        return int(self.expected.size)

    @property
    def n_correct(self) -> int:
        return int(self.correct.sum()) if self.shape_ok else 0

    @property
    def n_missing(self) -> int:
        return int(self.missing.sum()) if self.shape_ok else 0

    @property
    def n_wrong(self) -> int:
        return self.n_cells - self.n_correct - self.n_missing

    @property
    def all_correct(self) -> bool:
        return self.shape_ok and self.n_correct == self.n_cells

    @property
    def wrong_cells(self) -> list[tuple[int, ...]]:
        if not self.shape_ok:
            return []
        bad = ~self.correct & ~self.missing
        return [tuple(int(v) for v in idx) for idx in np.argwhere(bad)]

    @property
    def unexplained(self) -> bool:
        return any(d.key == MISTAKE_UNEXPLAINED for d in self.diagnoses)


# IPython's displays find a Grade by module and class name (convtrace.render.notebook): keep the public one.
Grade.__module__ = "convtrace.grading"



def _aligned(ex: Exercise, expected: np.ndarray, answer, missing) -> tuple[np.ndarray, np.ndarray]:
    """The answer and its blanks as they are compared with ``expected``: a row for a vector, and so on."""
    answer = np.asarray(answer, dtype=np.float64)
    if answer.ndim == 1 and expected.ndim == 2 and expected.shape[0] == 1:
        answer = answer[None, :]
    if isinstance(ex.spec, PipelineSpec) and expected.ndim == 1 and answer.ndim == 2 and 1 in answer.shape:
        answer = answer.ravel()     # a vector (after flatten or dense) written as a row or a column
        if missing is not None:
            missing = np.asarray(missing, dtype=bool).ravel()
    missing = np.zeros(answer.shape, dtype=bool) if missing is None else np.asarray(missing, dtype=bool)
    return answer, missing


def cells_right(ex: Exercise, answer, missing=None, tol: float = DEFAULT_TOL,
                expected: np.ndarray | None = None) -> int:
    """How many cells :func:`grade` would mark right, without its diagnosis (choosing among readings)."""
    expected = ex.expected() if expected is None else expected
    answer, missing = _aligned(ex, expected, answer, missing)
    if answer.shape != expected.shape:
        return 0
    return int((_close(answer, expected, tol) & ~missing).sum())


def grade(ex: Exercise, answer, missing=None, tol: float = DEFAULT_TOL) -> Grade:
    """Mark every cell of ``answer`` against the engine's output for ``ex``, and diagnose mistakes."""
    operation = ex.operation()
    expected = operation.run()
    answer, missing = _aligned(ex, expected, answer, missing)
    shape_ok = answer.shape == expected.shape
    correct = _close(answer, expected, tol) & ~missing if shape_ok else np.zeros(expected.shape, dtype=bool)
    all_ok = shape_ok and bool(correct.all())
    verdict = _Verdict([]) if all_ok else _diagnose(ex, expected, answer, missing, tol)
    result = Grade(exercise=ex, expected=expected, answer=answer, missing=missing, correct=correct, tol=tol,
                   diagnoses=verdict.diagnoses, shape_ok=shape_ok, operation=operation)
    limit = MAX_UNEXPLAINED_CELLS if result.unexplained else MAX_WORKED_CELLS
    wrong = result.wrong_cells[:limit]
    if wrong:
        result = replace(result, working=operation.trace(cells=wrong), working_cells=tuple(wrong))
    if verdict.slip_op is not None:
        worked = list(verdict.slip_work_cells[:MAX_WORKED_CELLS])
        result = replace(result, slip_working=verdict.slip_op.trace(cells=worked), slip_cells=verdict.slip_cells)
    return result


def describe(diagnosis: Diagnosis, lang: str = "en") -> str:
    """One sentence naming the mistake, in ``lang``."""
    params = dict(diagnosis.params)
    if diagnosis.key == SHAPE_MISMATCH:
        options = params.pop("options", None)
        text = translate(SHAPE_MISMATCH, lang, **params)
        if options:
            said = translate(SHAPE_OR, lang).join(
                translate(MISTAKE_AND, lang).join(describe(Diagnosis(m["key"], m["params"]), lang) for m in option)
                for option in options[:MAX_SHAPE_OPTIONS])
            text += translate(SHAPE_WOULD_COME_FROM, lang, options=said)
        return text
    if "cell" in params:
        params["cell"] = "[" + ", ".join(str(v) for v in params["cell"]) + "]"
    return translate(diagnosis.key, lang, **params)
