"""Scores teachers can use: per-cell credit, a scaled grade, and what a class got wrong.

Scoring policy (documented in the README, "Checking homework"):

- **Credit** is the fraction of the expected output's cells the answer got right: right cells / total
  cells.  A blank cell (``?``, ``_``, ``-``) earns nothing and costs nothing more than a wrong one.
- **Points**: with ``points=N`` (``--points 10``) the credit is scaled to a grade out of N
  (``credit × N``); without it the score is the fraction alone.
- **Wrong shape** (``shape_credit``): ``"none"`` (the default) gives 0; ``"overlap"`` credits the
  answer's cells that line up with the output at the same (i, j) and are right, over the output's
  total cells (so a 3×2 answer to a 3×3 exercise can earn at most 6/9).
- **Class summary** (:func:`class_summary`): how many students made each mistake (each student counted
  once per mistake id), the cells most students got wrong, and the mean and median credit of the
  answers that could be graded (files that could not be graded have no score and are left out).
"""

from __future__ import annotations

import statistics
from collections import Counter
from dataclasses import dataclass

import numpy as np

#: The wrong-shape policies: no credit, or credit for the right cells that line up.
SHAPE_CREDIT = ("none", "overlap")

#: A class row's status: graded, or why not.
GRADED = "graded"
NOT_ANSWER = "not_answer"
UNREADABLE = "unreadable"
EMPTY = "empty"
NO_KEY = "no_key"
STATUSES = (GRADED, NOT_ANSWER, UNREADABLE, EMPTY, NO_KEY)

#: How many of the most-missed cells a class summary lists.
TOP_CELLS = 5


@dataclass(frozen=True)
class Score:
    """One answer's score under a policy."""

    credited: int             # cells that earn credit (right cells; on a wrong shape, per the policy)
    total: int                # cells of the expected output
    shape_credit: str = "none"
    out_of: float | None = None

    @property
    def credit(self) -> float:
        return self.credited / self.total if self.total else 0.0

    @property
    def points(self) -> float | None:
        return None if self.out_of is None else self.credit * self.out_of

    def as_dict(self) -> dict:
        """The JSON fields (``credit`` to 4 decimals, ``points`` to 2)."""
        return {"credited": self.credited, "credit": round(self.credit, 4),
                "points": None if self.points is None else round(self.points, 2),
                "out_of": None if self.out_of is None else whole_or_float(self.out_of),
                "shape_credit": self.shape_credit}


def whole_or_float(value: float) -> int | float:
    return int(value) if float(value).is_integer() else float(value)


def _agree(answer: np.ndarray, expected: np.ndarray, tol: float) -> np.ndarray:
    """Cell-by-cell agreement, the grading rule: integers exactly, other numbers within ``tol``."""
    answer = np.asarray(answer, dtype=np.float64)
    if expected.dtype.kind in "iub":
        return answer == expected
    exp = expected.astype(np.float64)
    with np.errstate(invalid="ignore"):
        return (np.isnan(answer) & np.isnan(exp)) | (np.abs(answer - exp) <= tol + 1e-9 * np.maximum(1.0, np.abs(exp)))


def overlap_correct(grade) -> int:
    """Right cells of a wrong-shaped answer that line up with the output at the same index."""
    answer, expected = np.asarray(grade.answer), np.asarray(grade.expected)
    if answer.ndim != expected.ndim or answer.size == 0:
        return 0
    common = tuple(slice(0, min(a, e)) for a, e in zip(answer.shape, expected.shape, strict=True))
    missing = np.broadcast_to(np.asarray(grade.missing, dtype=bool), answer.shape)[common]
    return int((_agree(answer[common], expected[common], grade.tol) & ~missing).sum())


def score(grade, *, points: float | None = None, shape_credit: str = "none") -> Score:
    """``grade``'s score: credit for right cells, scaled to ``points`` if given; see the module's policy."""
    if shape_credit not in SHAPE_CREDIT:
        raise ValueError(f"shape_credit must be one of {SHAPE_CREDIT}")
    if grade.shape_ok:
        credited = grade.n_correct
    else:
        credited = overlap_correct(grade) if shape_credit == "overlap" else 0
    return Score(credited=credited, total=grade.n_cells, shape_credit=shape_credit, out_of=points)


def format_number(value: float, *, decimals: int = 2, decimal_comma: bool = False) -> str:
    """``value`` with ``decimals`` decimals, or as an integer when it is whole at that precision."""
    rounded = round(float(value), decimals)
    text = str(int(rounded)) if rounded.is_integer() else f"{rounded:.{decimals}f}"
    return text.replace(".", ",") if decimal_comma else text


@dataclass(frozen=True)
class Row:
    """One file of a class folder: graded (``grade`` and ``score``), or ``reason`` why not."""

    file: str
    status: str = GRADED
    grade: object = None
    score: Score | None = None
    reason: str | None = None

    @property
    def graded(self) -> bool:
        return self.status == GRADED and self.grade is not None


def mistake_id(diagnosis) -> str:
    """The stable id of a diagnosis (its ``mistake``), or its message key."""
    return str(getattr(diagnosis, "mistake", None) or diagnosis.key)


def _stats(values: list[float], decimals: int) -> dict | None:
    if not values:
        return None
    return {"mean": round(statistics.fmean(values), decimals), "median": round(statistics.median(values), decimals),
            "min": round(min(values), decimals), "max": round(max(values), decimals)}


def class_summary(rows: list[Row], top: int = TOP_CELLS) -> dict:
    """What a class got wrong, as JSON-ready data.

    ``mistakes``: mistake id → how many graded answers have it (each answer counted once per id), most
    common first.  ``cells``: the ``top`` cells wrong in the most answers (blank cells are not wrong),
    ``[{"cell": [i, j], "students": n}]``.  ``credit`` / ``points``: mean, median, min and max over the
    graded answers (``points`` only when a scale was given).
    """
    graded = [r for r in rows if r.graded]
    mistakes: Counter = Counter()
    cells: Counter = Counter()
    for row in graded:
        mistakes.update({mistake_id(d) for d in row.grade.diagnoses})
        cells.update(set(row.grade.wrong_cells))
    scores = [r.score for r in graded if r.score is not None]
    out_of = next((s.out_of for s in scores if s.out_of is not None), None)
    return {
        "files": len(rows),
        "graded": len(graded),
        "all_correct": sum(1 for r in graded if r.grade.all_correct),
        "not_graded": len(rows) - len(graded),
        "mistakes": dict(sorted(mistakes.items(), key=lambda kv: (-kv[1], kv[0]))),
        "cells": [{"cell": list(cell), "students": n}
                  for cell, n in sorted(cells.items(), key=lambda kv: (-kv[1], kv[0]))[:top]],
        "credit": _stats([s.credit for s in scores], 4),
        "points": None if out_of is None else {**_stats([s.points for s in scores], 2),
                                              "out_of": whole_or_float(out_of)},
    }
